import AgentCore
import FoundationEssentials
import Testing
@testable import Providers

/// Replays every recording in `../shared/fixtures` (outside the package; see its README for
/// provenance) through the provider's own stream readers, as a 2xx or error response with
/// the recorded status, and checks it against an explicit expectation (`FixtureTable`).
enum SharedFixtures {
    /// `<package root>/../shared/fixtures`, found from this file's path.
    static let directory: String = {
        var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3) // Tests/ProvidersTests/FixtureConformanceTests.swift
        return (components + ["..", "shared", "fixtures"]).joined(separator: "/")
    }()

    static let folders = ["openai-chat-sse", "llamacpp", "openrouter", "anthropic", "ollama", "errors", "lmstudio"]

    /// Every recording (not `.meta.json`) as `folder/name`.
    static let recordings: [String] = folders.flatMap { folder in
        FileList.names(in: directory + "/" + folder).filter { !$0.hasSuffix(".meta.json") }.sorted()
            .map { folder + "/" + $0 }
    }

    /// False on machines without the shared fixtures: the suite is then skipped.
    static var available: Bool { !recordings.isEmpty }
}

/// One recording and how the provider would receive it.
struct ConformanceFixture {
    let path: String
    let bytes: [UInt8]
    /// The recorded HTTP status (`.meta.json`), else `statusOverride`, else 200.
    let status: Int
    /// Ollama's native `/api/...` NDJSON (else an OpenAI-compatible body).
    let isOllamaNative: Bool

    init(path: String, statusOverride: Int? = nil) {
        self.path = path
        bytes = FileList.read(SharedFixtures.directory + "/" + path) ?? []
        let base = path.hasSuffix(".json") ? String(path.dropLast(5)) : String(path.split(separator: ".").dropLast().joined(separator: "."))
        let meta = FileList.read(SharedFixtures.directory + "/" + base + ".meta.json").flatMap { try? JSONReader.parse($0) }
        status = meta?["status"]?["code"]?.number?.int ?? statusOverride ?? 200
        let uri = meta?["request"]?["uri"]?.string ?? ""
        isOllamaNative = path.hasPrefix("ollama/") && (path.hasSuffix(".ndjson") || uri.contains("/api/")
            || (uri.isEmpty && !path.contains("_v1_")))
    }

    /// The events the provider's reader yields, the body fed whole or in seeded random pieces.
    func events(seed: UInt64?) -> [ProviderEvent] {
        let pieces = seed.map { randomSplits(bytes, seed: $0, maxPiece: 64) } ?? [bytes]
        let response = TransportEvent.response(status: status, headers: [:])
        if isOllamaNative {
            var reader = OllamaStreamReader(provider: "fixture", url: "http://fixture/api/chat")
            return ([response] + pieces.map(TransportEvent.bytes) + [.end]).flatMap { reader.handle($0) }
        }
        var reader = ChatStreamReader(provider: "fixture", url: "http://fixture/v1/chat/completions")
        return ([response] + pieces.map(TransportEvent.bytes) + [.end]).flatMap { reader.handle($0) }
    }
}

/// What a recording must decode to. Text and reasoning: the start of the whole text, or
/// empty for none. Tool calls: names and arguments compared as parsed JSON.
struct FixtureExpectation: Sendable, CustomStringConvertible {
    enum Usage: Sendable, Hashable {
        case none
        /// The server sent none: the reader passes none on and the engine estimates it from
        /// the reply's running estimate (D180).
        case estimated
        case reported(TokenUsage)

        static func reported(inputTokens: Int, outputTokens: Int, cachedInputTokens: Int = 0,
                             cacheWriteTokens: Int = 0, reasoningTokens: Int = 0, cost: String? = nil) -> Usage {
            .reported(TokenUsage(inputTokens: inputTokens, outputTokens: outputTokens,
                                 cachedInputTokens: cachedInputTokens, cacheWriteTokens: cacheWriteTokens,
                                 reasoningTokens: reasoningTokens, reportedCost: cost.flatMap { Decimal(string: $0) }))
        }
    }

    var file: String
    var status: Int?
    var text = ""
    var reasoning = ""
    var tools: [(name: String, arguments: String)] = []
    var finish: FinishReason?
    var usage = Usage.none
    var error: ProviderError.Kind?
    /// The start of the error's server message.
    var message: String?
    var description: String { file }
}

/// Shorthand for the expectation tables.
func E(_ file: String, status: Int? = nil, text: String = "", reasoning: String = "",
       tools: [(String, String)] = [], finish: FinishReason? = nil, usage: FixtureExpectation.Usage = .none,
       error: ProviderError.Kind? = nil, message: String? = nil) -> FixtureExpectation {
    FixtureExpectation(file: file, status: status, text: text, reasoning: reasoning,
                       tools: tools.map { (name: $0.0, arguments: $0.1) }, finish: finish, usage: usage,
                       error: error, message: message)
}

@Suite("Shared fixture conformance", .timeLimit(.minutes(2)), .enabled(if: SharedFixtures.available,
                                               "needs ../shared/fixtures next to the package (absent in other checkouts)"))
struct FixtureConformanceTests {
    static let streamExpectations = FixtureTable.openAICompatible + FixtureTable.routersLocalAndErrors

    @Test func everyRecordingHasAnExpectation() {
        let covered = Set(Self.streamExpectations.map(\.file) + FixtureTable.modelLists)
        let missing = SharedFixtures.recordings.filter { !covered.contains($0) }
        #expect(missing.isEmpty, "recordings without an expectation: \(missing)")
        #expect(SharedFixtures.recordings.count >= 100)
    }

    @Test(arguments: streamExpectations)
    func recordingDecodesAsExpected(_ expected: FixtureExpectation) throws {
        let fixture = ConformanceFixture(path: expected.file, statusOverride: expected.status)
        try #require(!fixture.bytes.isEmpty, "missing fixture")
        let events = fixture.events(seed: nil)
        let terminals = events.filter { if case .finish = $0 { true } else if case .error = $0 { true } else { false } }
        #expect(terminals.count == 1 && terminals.first == events.last, "\(terminals)")
        let (result, error) = reply(from: events)
        // Reads merge adjacent deltas, so events differ by split; the folded reply may not.
        for seed in [1, 2] as [UInt64] {
            let (splitResult, splitError) = reply(from: fixture.events(seed: seed))
            #expect(splitResult == result && splitError == error, "split \(seed) changed the result")
        }
        Self.expectText(result.text, expected.text, "text")
        Self.expectText(result.reasoning, expected.reasoning, "reasoning")
        #expect(!result.text.contains("\u{FFFD}"), "broken UTF-8")
        let calls = result.toolCalls.keys.sorted().compactMap { result.toolCalls[$0] }
        #expect(calls.map(\.name) == expected.tools.map(\.name))
        for (call, want) in zip(calls, expected.tools) {
            #expect(OllamaJSONValue.parse(call.arguments) != nil, "\(call.name): arguments are not JSON: \(call.arguments)")
            #expect(OllamaJSONValue.parse(call.arguments) == OllamaJSONValue.parse(want.arguments),
                    "\(call.name): \(call.arguments)")
        }
        #expect(result.finishReason == expected.finish)
        switch expected.usage {
        case .none: #expect(result.usage == nil)
        case .estimated: #expect(result.usage == nil && result.outputEstimate.tokens > 0)
        case .reported(let usage): #expect(result.usage == usage)
        }
        #expect(error?.kind == expected.error, "\(String(describing: error))")
        if let message = expected.message { #expect(error?.serverMessage?.hasPrefix(message) == true) }
    }

    static func expectText(_ actual: String, _ expected: String, _ what: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        if expected.isEmpty {
            #expect(actual.isEmpty, "\(what) should be empty: \(actual.prefix(80))", sourceLocation: sourceLocation)
        } else {
            #expect(actual.hasPrefix(expected), "\(what): \(actual.prefix(80))", sourceLocation: sourceLocation)
        }
    }

    @Test func modelListsParse() throws {
        let openRouter = try #require(FileList.read(SharedFixtures.directory + "/openrouter/api_v1_models.json"))
        let models = try #require(ModelMetadata.parseModelList(openRouter))
        #expect(models.count == 364)
        #expect(models.allSatisfy { $0.contextWindow != nil })
        #expect(models.contains { $0.supportsTools == true } && models.contains { $0.supportsTools == false })
        #expect(models.allSatisfy { $0.supportsStreaming != nil })
        let free = try #require(models.first { $0.id.hasSuffix(":free") })
        #expect(free.pricing?.inputPerMillion == 0)

        let lmV0 = try #require(FileList.read(SharedFixtures.directory
            + "/lmstudio/lmstudio-docs__api_v0_models.RECONSTRUCTED.json"))
        let studio = ModelMetadata.parseLMStudioModels(lmV0)
        #expect(studio.first?.id == "qwen2-vl-7b-instruct")
        #expect(studio.allSatisfy { $0.contextWindow != nil && $0.isLoaded != nil && $0.modelType != nil })
        #expect(studio.map(\.supportsStreaming) == [true, true, false]) // vlm, llm, embeddings

        let lmV1 = try #require(FileList.read(SharedFixtures.directory
            + "/lmstudio/lmstudio-docs__api_v1_models.RECONSTRUCTED.json"))
        #expect(ModelMetadata.parseModelList(lmV1)?.isEmpty == false)

        let tags = try #require(FileList.read(SharedFixtures.directory + "/ollama/ollama-docs__api_tags.RECONSTRUCTED.json"))
        #expect(try JSONDecoder().decode(OllamaTagList.self, from: Data(tags)).ids == ["deepseek-r1:latest", "llama3.2:latest"])
    }
}

/// Directory listing and file reading (empty results when the path does not exist).
enum FileList {
    static func names(in directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    static func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }
}
