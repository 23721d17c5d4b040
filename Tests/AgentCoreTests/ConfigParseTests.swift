import Testing
@testable import AgentCore

let testPath = "/home/u/project/agents.config.json"

/// Parses config text as if read from `testPath`.
func parseConfig(_ text: String, environment: [String: String] = [:]) throws(ConfigError) -> AppConfig {
    try ConfigLoader.parse(data: Array(text.utf8), path: testPath, environment: environment)
}

/// The error that parsing `text` must produce, or `nil` when it parses.
func configError(_ text: String, environment: [String: String] = [:]) -> ConfigError? {
    do {
        _ = try parseConfig(text, environment: environment)
        return nil
    } catch {
        return error
    }
}

@Suite(.timeLimit(.minutes(2))) struct ConfigShapeTests {
    @Test func readsSwiftcoderShapeWithEveryField() throws {
        let config = try parseConfig("""
            {
              "defaultProvider": "remote",
              "providers": {
                "remote": {
                  "type": "openrouter",
                  "apiBase": "https://router.example/v1",
                  "apiKey": "sk-1",
                  "model": "m1",
                  "models": ["m1", "m2"],
                  "headers": {"X-Title": "swiftcoder"},
                  "contextWindow": 32768,
                  "timeoutSeconds": 12.5,
                  "maxRetries": 0
                }
              }
            }
            """)
        let provider = try #require(config.providers.first)
        #expect(provider == ProviderConfig(
            name: "remote", kind: .openRouter, apiBase: "https://router.example/v1", apiKey: Secret("sk-1"),
            model: "m1", models: ["m1", "m2"], headers: ["X-Title": "swiftcoder"], contextWindow: 32768,
            timeoutSeconds: 12.5, maxRetries: 0))
        #expect(config.defaultProvider == "remote")
        #expect(config.sourcePath == testPath)
        #expect(config.unavailable.isEmpty)
    }

    @Test func keepsFileOrder() throws {
        let names = ["zeta", "alpha", "mid", "beta", "omega"]
        let body = names.map { "\"\($0)\": {\"apiBase\": \"http://h/\($0)\"}" }.joined(separator: ",\n")
        let config = try parseConfig("{\"providers\": {\n\(body)\n}}")
        #expect(config.providers.map(\.name) == names)
        #expect(config.activeProvider?.name == "zeta")
    }

    @Test func typeDefaultsToOpenAICompatibleAndBaseURLToTheKindDefault() throws {
        let config = try parseConfig("""
            {"providers": {"local": {"apiBase": "http://127.0.0.1:8080/v1"}, "oa": {"type": "openai"},
                           "ol": {"type": "ollama", "apiKey": null}}}
            """)
        #expect(config.providers.map(\.kind) == [.openAICompatible, .openAI, .ollama])
        #expect(config.providers[1].apiBase == "https://api.openai.com/v1")
        #expect(config.providers[2].apiBase == "http://localhost:11434")
        #expect(config.providers[2].apiKey == nil)
        #expect(config.providers[0].model == nil)
    }

    @Test func readsNanocoderShape() throws {
        let config = try parseConfig("""
            {
              "nanocoder": {
                "providers": [
                  {"name": "llama-cpp", "baseUrl": "http://localhost:8080/v1", "models": ["qwen3-coder", "qwen3:8b"]},
                  {"name": "OpenRouter", "baseUrl": "https://openrouter.ai/api/v1", "apiKey": "${OR_KEY}",
                   "models": ["openai/gpt-4o-mini"]}
                ],
                "mcpServers": []
              }
            }
            """, environment: ["OR_KEY": "or-secret"])
        #expect(config.providers.map(\.name) == ["llama-cpp", "OpenRouter"])
        #expect(config.providers.allSatisfy { $0.kind == .openAICompatible })
        #expect(config.providers[0].model == "qwen3-coder")
        #expect(config.providers[0].models == ["qwen3-coder", "qwen3:8b"])
        #expect(config.providers[1].apiBase == "https://openrouter.ai/api/v1")
        #expect(config.providers[1].apiKey?.value == "or-secret")
    }

    @Test func swiftcoderProvidersTakePrecedenceOverANanocoderBlock() throws {
        let config = try parseConfig("""
            {"providers": {"mine": {"apiBase": "http://a/v1"}},
             "nanocoder": {"providers": [{"name": "theirs", "baseUrl": "http://b/v1"}]}}
            """)
        #expect(config.providers.map(\.name) == ["mine"])
    }

    @Test func ignoresUnknownTopLevelKeys() throws {
        let config = try parseConfig(#"{"theme": "dark", "budget": {"usd": 5}, "approvalMode": "ask"}"#)
        #expect(config.providers.isEmpty)
        #expect(config.sourcePath == testPath)
    }

    @Test func exampleConfigParses() throws {
        let withKey = try parseConfig(ConfigLoader.exampleConfig, environment: ["OPENAI_API_KEY": "sk-x"])
        #expect(withKey.providers.map(\.name) == ["local", "openai"])
        #expect(withKey.providers[0].apiBase == "http://127.0.0.1:8080/v1")
        #expect(withKey.activeProvider?.name == "local")
        let withoutKey = try parseConfig(ConfigLoader.exampleConfig)
        #expect(withoutKey.providers.map(\.name) == ["local"])
        #expect(withoutKey.unavailable.map(\.name) == ["openai"])
    }

    @Test func documentExposesTheTreeForLaterLoaders() throws {
        let document = try ConfigLoader.document(parsing: Array(#"{"theme": {"name": "dusk"}}"#.utf8), path: testPath)
        #expect(document.root["theme"]?["name"]?.string == "dusk")
        #expect(document.root["theme"]?.position == SourcePosition(line: 1, column: 11))
    }
}

@Suite(.timeLimit(.minutes(2))) struct ConfigInterpolationInFileTests {
    private let text = """
        {
          "defaultProvider": "openai",
          "providers": {
            "openai": {
              "type": "openai",
              "model": "gpt-4o-mini",
              "apiKey": "${OPENAI_API_KEY}"
            },
            "local": {
              "apiBase": "http://${LLM_HOST:-127.0.0.1}:$LLM_PORT/v1",
              "headers": {"X-Cost": "$$0", "Authorization": "Bearer ${LOCAL_TOKEN:-none}"}
            }
          }
        }
        """

    @Test func interpolatesEveryStringField() throws {
        let config = try parseConfig(text, environment: ["OPENAI_API_KEY": "sk-abc", "LLM_PORT": "9000"])
        #expect(config.providers.map(\.name) == ["openai", "local"])
        #expect(config.providers[0].apiKey?.value == "sk-abc")
        #expect(config.providers[1].apiBase == "http://127.0.0.1:9000/v1")
        #expect(config.providers[1].headers == ["X-Cost": "$0", "Authorization": "Bearer none"])
    }

    @Test func unsetVariableMakesOnlyThatProviderUnavailable() throws {
        let config = try parseConfig(text, environment: ["LLM_PORT": "9000", "LLM_HOST": "gpu"])
        #expect(config.providers.map(\.name) == ["local"])
        #expect(config.providers[0].apiBase == "http://gpu:9000/v1")
        #expect(config.unavailable == [UnavailableProvider(
            name: "openai",
            reason: "environment variable OPENAI_API_KEY is not set "
                + "(agents.config.json line 7, field apiKey)")])
        #expect(config.defaultProvider == "openai")
        #expect(config.activeProvider?.name == "local")
    }

    @Test func reasonNamesTheEarliestUnsetFieldInTheEntry() throws {
        let config = try parseConfig("""
            {"providers": {"p": {
              "apiBase": "http://$H/v1",
              "headers": {"A": "${TOKEN}"}
            }}}
            """)
        let reason = try #require(config.unavailable.first?.reason)
        #expect(reason.contains("environment variable H is not set"))
        #expect(reason.contains("line 2, field apiBase"))
    }

    @Test func unsetVariableInDefaultProviderIsAnError() throws {
        let error = try #require(configError(#"{"defaultProvider": "${WHICH}", "providers": {}}"#))
        #expect(error.kind == .unsetVariable)
        #expect(error.description == "\(testPath):1:21: defaultProvider uses environment variable WHICH, which is not set")
    }

    @Test func malformedReferenceIsAnErrorWithItsPosition() throws {
        let error = try #require(configError("{\"providers\": {\"p\": {\n\"apiBase\": \"http://${HOST/v1\"}}}"))
        #expect(error.kind == .invalidValue)
        #expect(error.position == SourcePosition(line: 2, column: 12))
        #expect(error.field == "providers.p.apiBase")
    }
}
