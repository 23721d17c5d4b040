import Foundation
import MockLLMServer
import Testing

/// `swiftcoder models` and `swiftcoder providers` as processes against the mock server: the
/// table and `--json` columns, a provider that does not answer, one skipped for an unset
/// `${VAR}`, and the default chosen by which provider answers (also for `run`).
@Suite(.timeLimit(.minutes(5)), .enabled(if: Harness.canRunBinary, "swiftcoder binary not built (scripts/test builds it)"))
struct ListCommandsEndToEndTests {
    /// Nothing listens on the discard port of loopback: the connection is refused.
    static let deadBase = "http://127.0.0.1:9/v1"
    /// A variable no test environment sets.
    static let unsetVariable = "SWIFTCODER_E2E_UNSET_KEY"

    /// Writes `agents.config.json` with `providers` (name → raw JSON object), in order.
    static func writeConfig(in sandbox: URL, _ providers: [(String, String)], defaultProvider: String? = nil) throws
        -> URL {
        let url = sandbox.appendingPathComponent("agents.config.json")
        let entries = providers.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ",\n    ")
        let head = defaultProvider.map { "\"defaultProvider\": \"\($0)\",\n  " } ?? ""
        try "{\n  \(head)\"providers\": {\n    \(entries)\n  }\n}\n".write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func entry(_ type: String, _ apiBase: String, extra: String = "") -> String {
        #"{"type": "\#(type)", "apiBase": "\#(apiBase)"\#(extra)}"#
    }

    /// The table row of `provider` and `model`, split on runs of spaces.
    static func row(_ stdout: String, _ provider: String, _ model: String) -> [String]? {
        stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            .first { $0.count > 1 && $0[0] == provider && $0[1] == model }
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    static func providers(_ json: [String: Any]) throws -> [String: [String: Any]] {
        let list = try #require(json["providers"] as? [[String: Any]])
        return Dictionary(list.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func modelsTableAndJSONShowContextToolsStreamingAndPrices() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(models: ["gpt-4o-mini", "mock-model"]))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        // `mock` knows nothing itself (the built-in table fills gpt-4o-mini); `studio` is LM
        // Studio's metadata route on the same server (context 65536, local so price 0).
        let config = try Self.writeConfig(in: sandbox, [("mock", Self.entry("openai-compatible", server.baseURL)),
                                                        ("studio", Self.entry("lmstudio", server.baseURL))])
        let table = try Harness.run(["models", "--config", config.path], sandbox: sandbox)
        #expect(table.status == 0, "stderr: \(table.stderr)")
        #expect(table.stdout.hasPrefix("PROVIDER"), "\(table.stdout)")
        #expect(table.stdout.split(separator: "\n").first?.split(separator: " ").map(String.init)
            == ["PROVIDER", "MODEL", "CONTEXT", "TOOLS", "STREAM", "$/M", "IN", "$/M", "OUT"])
        #expect(Self.row(table.stdout, "mock", "gpt-4o-mini") == ["mock", "gpt-4o-mini", "128000", "yes", "yes", "0.15", "0.6"])
        #expect(Self.row(table.stdout, "mock", "mock-model") == ["mock", "mock-model", "?", "?", "yes", "n/a", "n/a"])
        #expect(Self.row(table.stdout, "studio", "gpt-4o-mini") == ["studio", "gpt-4o-mini", "65536", "yes", "yes", "0", "0"])

        let output = try Harness.run(["models", "--json", "--config", config.path], sandbox: sandbox)
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let byName = try Self.providers(try Self.json(output.stdout))
        let mockModels = try #require(byName["mock"]?["models"] as? [[String: Any]])
        let mini = try #require(mockModels.first { $0["id"] as? String == "gpt-4o-mini" })
        // The same figures as the table.
        #expect(mini["contextWindow"] as? Int == 128_000)
        #expect(mini["supportsTools"] as? Bool == true)
        #expect(mini["supportsStreaming"] as? Bool == true)
        let pricing = try #require(mini["pricing"] as? [String: Any])
        #expect((pricing["inputPerMillion"] as? NSNumber)?.doubleValue == 0.15)
        #expect((pricing["outputPerMillion"] as? NSNumber)?.doubleValue == 0.6)
        let studio = try #require((byName["studio"]?["models"] as? [[String: Any]])?.first)
        #expect(studio["contextWindow"] as? Int == 65536 && studio["isLoaded"] as? Bool == true)
    }

    @Test func aDeadProviderShowsItsURLAndReasonWhileTheLiveOneLists() throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Self.writeConfig(in: sandbox, [("dead", Self.entry("openai-compatible", Self.deadBase)),
                                                        ("live", Self.entry("openai-compatible", server.baseURL))])
        let models = try Harness.run(["models", "--config", config.path], sandbox: sandbox)
        // One provider listed: success (exit 1 only when none does).
        #expect(models.status == 0, "stderr: \(models.stderr)")
        let deadLine = try #require(models.stdout.split(separator: "\n").first { $0.hasPrefix("dead ") })
        #expect(deadLine.contains("\(Self.deadBase)/models") && deadLine.contains("server unreachable"), "\(deadLine)")
        #expect(Self.row(models.stdout, "live", "mock-model") != nil, "\(models.stdout)")

        let providers = try Harness.run(["providers", "--config", config.path], sandbox: sandbox)
        #expect(providers.status == 0, "stderr: \(providers.stderr)")
        let lines = providers.stdout.split(separator: "\n").map(String.init)
        let dead = try #require(lines.first { $0.contains(" dead ") })
        #expect(dead.contains(Self.deadBase) && dead.contains("offline: ") && dead.contains("unreachable"), "\(dead)")
        // No defaultProvider: the first that answered is the one the app starts with.
        let live = try #require(lines.first { $0.contains(" live ") })
        #expect(live.hasPrefix("*") && live.contains("online, 1 model"), "\(live)")
        #expect(!dead.hasPrefix("*"))

        let json = try Self.json(try Harness.run(["providers", "--json", "--config", config.path], sandbox: sandbox).stdout)
        #expect(json["defaultProvider"] as? String == "live")
        let byName = try Self.providers(json)
        #expect(byName["dead"]?["available"] as? Bool == false)
        #expect((byName["dead"]?["error"] as? String)?.contains(Self.deadBase) == true)
        #expect(byName["live"]?["available"] as? Bool == true)
        let modelsJSON = try Self.json(try Harness.run(["models", "--json", "--config", config.path], sandbox: sandbox).stdout)
        #expect(modelsJSON["defaultProvider"] as? String == "live")
    }

    @Test func aDeadProvidersLongReasonDoesNotWidenTheModelRows() throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Self.writeConfig(in: sandbox, [("dead", Self.entry("openai-compatible", Self.deadBase)),
                                                        ("live", Self.entry("openai-compatible", server.baseURL))])
        let models = try Harness.run(["models", "--config", config.path], sandbox: sandbox)
        #expect(models.status == 0, "stderr: \(models.stderr)")
        let lines = models.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first)
        let live = try #require(lines.firstIndex { $0.hasPrefix("live ") }, "\(models.stdout)")
        let dead = try #require(lines.firstIndex { $0.hasPrefix("dead ") }, "\(models.stdout)")
        // The header and the model row are as wide as their own cells need, not as the reason.
        #expect(header.count < 80, "header is \(header.count) columns: \(header)")
        #expect(lines[live].count < 80, "model row is \(lines[live].count) columns: \(lines[live])")
        #expect(lines[dead].count > header.count, "the reason should be longer than the header: \(lines[dead])")
        // The whole reason is still there, on the dead provider's own row below the models.
        #expect(dead > live)
        #expect(lines[dead].contains("\(Self.deadBase)/models") && lines[dead].contains("server unreachable"))
    }

    @Test func modelsExitsOneWhenNoProviderAnswers() throws {
        let sandbox = try Harness.makeSandbox()
        let config = try Self.writeConfig(in: sandbox, [("dead", Self.entry("openai-compatible", Self.deadBase))])
        let result = try Harness.run(["models", "--provider", "dead", "--config", config.path], sandbox: sandbox)
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(Self.deadBase)/models"), "\(result.stdout)")
    }

    @Test func aProviderSkippedForAnUnsetVariableIsNamedInBothCommands() throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let cloud = Self.entry("openai", "https://api.openai.com/v1", extra: #", "apiKey": "${\#(Self.unsetVariable)}""#)
        let config = try Self.writeConfig(in: sandbox, [("cloud", cloud),
                                                        ("live", Self.entry("openai-compatible", server.baseURL))])
        for command in ["models", "providers"] {
            let table = try Harness.run([command, "--config", config.path], sandbox: sandbox)
            #expect(table.status == 0, "\(command) stderr: \(table.stderr)")
            let line = try #require(table.stdout.split(separator: "\n").first { $0.contains("cloud") },
                                    "\(command): \(table.stdout)")
            #expect(line.contains("unavailable") && line.contains(Self.unsetVariable), "\(command): \(line)")

            let json = try Self.json(try Harness.run([command, "--json", "--config", config.path], sandbox: sandbox).stdout)
            let skipped = try #require(json["unavailable"] as? [[String: Any]], "\(command)")
            #expect(skipped.first?["name"] as? String == "cloud")
            #expect((skipped.first?["reason"] as? String)?.contains(Self.unsetVariable) == true, "\(command)")
        }
        // The request never went to OpenAI: only the mock was asked.
        #expect(server.requests.allSatisfy { $0.path == "/v1/models" })
        // Naming it says why once, not `provider "cloud" is unavailable: provider "cloud": ...`
        // (issue 14, bug 11).
        let named = try Harness.run(["run", "--provider", "cloud", "--config", config.path, "hi"], sandbox: sandbox)
        #expect(named.status != 0)
        #expect(named.stderr.contains("provider \"cloud\" is unavailable: environment variable \(Self.unsetVariable)"),
                "\(named.stderr)")
        #expect(named.stderr.components(separatedBy: "\"cloud\"").count == 2, "\(named.stderr)")
    }

    /// A misspelt key is named once on stderr, with where it is and the key it meant, by
    /// each of `run`, `models` and `providers` (issue 14, bug 10).
    @Test func anUnknownConfigKeyIsWarnedOnceByEachCommand() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "ok"))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let live = Self.entry("openai-compatible", server.baseURL, extra: #", "model": "mock-model", "apikey": "x""#)
        let config = try Self.writeConfig(in: sandbox, [("live", live)])
        let text = try String(contentsOf: config, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex { $0.contains("apikey") })
        let quote = try #require(lines[line].range(of: "\"apikey\""))
        let column = lines[line].distance(from: lines[line].startIndex, to: quote.lowerBound) + 1
        let expected = "\(config.path):\(line + 1):\(column): unknown key \"providers.live.apikey\" is ignored (did you mean apiKey?)"
        for arguments in [["models"], ["providers"], ["run", "hi"]] {
            let result = try Harness.run([arguments[0], "--config", config.path] + arguments.dropFirst(), sandbox: sandbox)
            #expect(result.status == 0, "\(arguments) stderr: \(result.stderr)")
            let warnings = result.stderr.split(separator: "\n").filter { $0.contains("unknown key") }.map(String.init)
            #expect(warnings == ["swiftcoder: " + expected], "\(arguments): \(result.stderr)")
        }
    }

    @Test func runUsesTheFirstProviderThatAnswersWhenNoDefaultIsSet() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "from the live one"))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let model = #", "model": "mock-model""#
        let config = try Self.writeConfig(in: sandbox, [("dead", Self.entry("openai-compatible", Self.deadBase, extra: model)),
                                                        ("live", Self.entry("openai-compatible", server.baseURL, extra: model))])
        let result = try Harness.run(["run", "--config", config.path, "hi"], sandbox: sandbox)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "from the live one")
        #expect(result.stderr.contains("dead did not answer") && result.stderr.contains("using live"), "\(result.stderr)")

        // A configured default is kept even when it is down: its error says why.
        let pinned = try Self.writeConfig(in: sandbox, [("dead", Self.entry("openai-compatible", Self.deadBase, extra: model)),
                                                        ("live", Self.entry("openai-compatible", server.baseURL, extra: model))],
                                          defaultProvider: "dead")
        let failed = try Harness.run(["run", "--config", pinned.path, "hi"], sandbox: sandbox)
        #expect(failed.status == 1)
        #expect(failed.stderr.contains(Self.deadBase), "\(failed.stderr)")
    }
}

/// The full-screen app with no `defaultProvider`: the first configured provider is down, the
/// second answers, and the app moves to the second once the checks are back.
@Suite(.timeLimit(.minutes(5)), .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct StartProviderTUITests {
    @Test func theAppMovesToTheFirstProviderThatAnswers() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "answered by the live one"))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let model = #", "model": "mock-model""#
        let config = try ListCommandsEndToEndTests.writeConfig(in: sandbox, [
            ("dead", ListCommandsEndToEndTests.entry("openai-compatible", ListCommandsEndToEndTests.deadBase, extra: model)),
            ("live", ListCommandsEndToEndTests.entry("openai-compatible", server.baseURL, extra: model)),
        ])
        let app = TUIEndToEndTests()
        let session = try app.startApp(config: config, sandbox: sandbox)
        defer { session.kill() }
        try session.waitFor("using live", "● online")
        try session.type("hi")
        try session.send("Enter")
        try session.waitFor("answered by the live one", "ready")
        #expect(server.requests.contains { $0.path == "/v1/chat/completions" })
        try session.send("C-d")
        try app.expectRestored(session, sandbox: sandbox, status: "0")
    }
}
