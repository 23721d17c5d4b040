import Testing
@testable import AgentCore

@Suite(.timeLimit(.minutes(2))) struct ConfigErrorTests {
    @Test func syntaxErrorsNameFileLineAndColumn() throws {
        let missingComma = try #require(configError("{\n  \"providers\": {}\n  \"theme\": \"x\"\n}"))
        #expect(missingComma.kind == .syntax)
        #expect(missingComma.description == "\(testPath):3:3: expected ',' or '}' after object member, found '\"'")

        let trailing = try #require(configError("{\"providers\": {\"a\": {\"models\": [\"m\",]}}}"))
        #expect(trailing.description.hasPrefix("\(testPath):1:36: trailing comma"))

        let unterminated = try #require(configError("{\n  \"defaultProvider\": \"local\n}"))
        #expect(unterminated.description.hasPrefix("\(testPath):2:22: unterminated string"))
    }

    @Test func wrongFieldTypesNameThePathAndPosition() throws {
        let cases: [(String, String)] = [
            (#"{"providers": {"p": {"apiBase": "http://h", "contextWindow": "big"}}}"#,
             "\(testPath):1:62: providers.p.contextWindow must be a number"),
            (#"{"providers": {"p": {"apiBase": "http://h", "models": "x"}}}"#,
             "\(testPath):1:55: providers.p.models must be an array of strings"),
            (#"{"providers": {"p": {"apiBase": "http://h", "models": ["a", 3]}}}"#,
             "\(testPath):1:61: providers.p.models[1] must be a string"),
            (#"{"providers": {"p": {"apiBase": 8080}}}"#, "\(testPath):1:33: providers.p.apiBase must be a string"),
            (#"{"providers": {"p": {"apiBase": "http://h", "headers": {"A": 1}}}}"#,
             "\(testPath):1:62: providers.p.headers.A must be a string"),
            (#"{"providers": {"p": {"apiBase": "http://h", "maxRetries": 1.5}}}"#,
             "\(testPath):1:59: providers.p.maxRetries must be a whole number"),
            (#"{"providers": {"p": "http://h"}}"#, "\(testPath):1:21: providers.p must be an object"),
            (#"{"providers": ["p"]}"#, "\(testPath):1:15: providers must be an object whose keys are provider names"),
            (#"{"nanocoder": {"providers": {}}}"#,
             "\(testPath):1:29: nanocoder.providers must be an array of provider objects"),
            (#"{"defaultProvider": 1, "providers": {}}"#, "\(testPath):1:21: defaultProvider must be a string"),
            ("[]", "\(testPath):1:1: the top level must be an object"),
        ]
        for (text, expected) in cases {
            let error = try #require(configError(text), "\(text)")
            #expect(error.description == expected)
        }
    }

    @Test func wrongTypeIsReportedEvenWhenAVariableIsUnset() throws {
        let error = try #require(configError(#"{"providers": {"p": {"apiKey": "${K}", "maxRetries": "3"}}}"#))
        #expect(error.kind == .wrongType)
        #expect(error.field == "providers.p.maxRetries")
    }

    @Test func outOfRangeNumbersAreRejected() throws {
        let zero = try #require(configError(#"{"providers": {"p": {"apiBase": "http://h", "contextWindow": 0}}}"#))
        #expect(zero.description.hasSuffix("providers.p.contextWindow must be at least 1"))
        let negative = try #require(configError(#"{"providers": {"p": {"apiBase": "http://h", "timeoutSeconds": -1}}}"#))
        #expect(negative.description.hasSuffix("providers.p.timeoutSeconds must be greater than 0"))
    }

    @Test func unknownTypeListsTheKnownTypes() throws {
        let error = try #require(configError("{\"providers\": {\"p\": {\n  \"type\": \"anthropic\"}}}"))
        #expect(error.kind == .unknownProviderType)
        #expect(error.position == SourcePosition(line: 2, column: 11))
        for kind in ProviderKind.allCases {
            #expect(error.description.contains(kind.rawValue))
        }
        #expect(error.description.contains("providers.p.type \"anthropic\" is not a known provider type"))
    }

    @Test func missingBaseURLNamesProviderAndField() throws {
        let error = try #require(configError(#"{"providers": {"mine": {"model": "m"}}}"#))
        #expect(error.kind == .missingField)
        #expect(error.description.contains("providers.mine.apiBase"))
        #expect(error.description.contains("provider \"mine\""))
        #expect(error.description.contains("openai-compatible"))
        let nano = try #require(configError(#"{"nanocoder": {"providers": [{"name": "n"}]}}"#))
        #expect(nano.field == "nanocoder.providers[0].baseUrl")
    }

    @Test func nonHTTPBaseURLIsRejected() throws {
        let error = try #require(configError(#"{"providers": {"p": {"apiBase": "localhost:8080"}}}"#))
        #expect(error.description == "\(testPath):1:33: providers.p.apiBase must start with http:// or https://")
    }

    @Test func nanocoderEntriesNeedAName() throws {
        let missing = try #require(configError(#"{"nanocoder": {"providers": [{"baseUrl": "http://h"}]}}"#))
        #expect(missing.description == "\(testPath):1:30: nanocoder.providers[0].name is required")
        let repeated = try #require(configError("""
            {"nanocoder": {"providers": [{"name": "a", "baseUrl": "http://h"},
                                         {"name": "a", "baseUrl": "http://h"}]}}
            """))
        #expect(repeated.description.contains("repeats provider name \"a\" (first defined at line 1)"))
    }

    @Test func repeatedProviderKeysAreRejected() throws {
        let error = try #require(configError("{\"providers\": {\"a\": {\"apiBase\": \"http://h\"},\n \"a\": {}}}"))
        #expect(error.position == SourcePosition(line: 2, column: 2))
        #expect(error.field == "providers.a")
    }

    @Test func defaultProviderMustNameAProvider() throws {
        let error = try #require(configError(#"{"defaultProvider": "nope", "providers": {"a": {"apiBase": "http://h"}}}"#))
        #expect(error.description == "\(testPath):1:21: defaultProvider \"nope\" does not name a provider (configured: a)")
    }

    @Test func apiKeyValueNeverAppearsInAnyMessage() {
        let key = "sk-live-TOPSECRET-4242"
        let environment = ["KEY": key]
        let broken = [
            "{\"providers\": {\"p\": {\"apiKey\": \"\(key)\", \"type\": \"bogus\"}}}",
            "{\"providers\": {\"p\": {\"apiKey\": \"\(key)\"}}}",
            "{\"providers\": {\"p\": {\"apiKey\": \"\(key)\", \"apiBase\": \"ftp://h\"}}}",
            "{\"providers\": {\"p\": {\"apiKey\": \"\(key)\", \"apiBase\": \"http://h\", \"models\": 1}}}",
            "{\"providers\": {\"p\": {\"apiKey\": \"\(key)\" \"apiBase\": \"http://h\"}}}",
            "{\"providers\": {\"p\": {\"apiKey\": \(key)}}}",
            "{\"providers\": {\"p\": {\"apiKey\": \"\(key)\\q\"}}}",
            "{\"providers\": {\"p\": {\"apiKey\": \"\(key)${\"}}}",
            "{\"providers\": {\"p\": {\"apiKey\": \"\(key)",
            "{\"providers\": {\"p\": {\"apiKey\": \"${KEY}\", \"type\": \"bogus\"}}}",
            "{\"defaultProvider\": \"${KEY}\", \"providers\": {}}",
            "{\"providers\": {\"p\": {\"type\": \"${KEY}\"}}}",
        ]
        for text in broken {
            guard let error = configError(text, environment: environment) else {
                Issue.record("expected an error for \(text)")
                continue
            }
            #expect(!error.description.contains(key), "\(error)")
            #expect(!error.description.contains("TOPSECRET"), "\(error)")
        }
        let unavailable = try? parseConfig("{\"providers\": {\"p\": {\"apiKey\": \"\(key)\", \"apiBase\": \"http://$H\"}}}")
        #expect(unavailable?.unavailable.count == 1)
        #expect(unavailable?.unavailable.first?.reason.contains("TOPSECRET") == false)
    }

    @Test func loadedConfigDoesNotPrintTheKey() throws {
        let config = try parseConfig(#"{"providers": {"p": {"type": "openai", "apiKey": "sk-live-TOPSECRET"}}}"#)
        #expect(config.providers.first?.apiKey?.value == "sk-live-TOPSECRET")
        #expect(!String(describing: config).contains("TOPSECRET"))
        #expect(!String(reflecting: config).contains("TOPSECRET"))
        #expect(!"\(config.providers)".contains("TOPSECRET"))
    }

    @Test func secretDescriptionIsRedacted() {
        let secret = Secret("sk-123")
        #expect(secret.description == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect("\(secret)" == "<redacted>")
        #expect(Secret("").description == "")
    }
}
