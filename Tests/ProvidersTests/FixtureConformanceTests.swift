import AgentCore
import FoundationEssentials
import Testing
@testable import Providers

/// Replays recorded provider streams from `../shared/fixtures` (outside the package; see
/// its README for provenance) through `SSEParser` + `OpenAIChunkDecoder`.
enum SharedFixtures {
    /// `<package root>/../shared/fixtures`, found from this file's path.
    static let directory: String = {
        var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3) // Tests/ProvidersTests/FixtureConformanceTests.swift
        return (components + ["..", "shared", "fixtures"]).joined(separator: "/")
    }()

    static let streamDirectories = ["openai-chat-sse", "llamacpp"]

    /// Every `.sse` file of the OpenAI-compatible directories, as (relative path, bytes).
    static let streams: [(name: String, bytes: [UInt8])] = streamDirectories.flatMap { folder in
        FileList.names(in: directory + "/" + folder).filter { $0.hasSuffix(".sse") }.sorted().compactMap { name in
            FileList.read(directory + "/" + folder + "/" + name).map { (folder + "/" + name, $0) }
        }
    }

    /// False on machines without the shared fixtures: the suite is then skipped.
    static var available: Bool { !streams.isEmpty }
}

/// What a fixture must decode to (the files are real recordings; values read from them).
struct FixtureExpectation: Sendable, CustomStringConvertible {
    var file: String
    var textPrefix = ""
    var reasoningPrefix = ""
    var toolNames: [String] = []
    var finish: FinishReason?
    var errorKind: ProviderError.Kind?
    var usage: TokenUsage?
    var description: String { file }
}

@Suite("Shared fixture conformance", .enabled(if: SharedFixtures.available,
                                               "needs ../shared/fixtures next to the package (absent in other checkouts)"))
struct FixtureConformanceTests {
    @Test func everyStreamEndsWithExactlyOneFinishOrError() throws {
        #expect(SharedFixtures.streams.count >= 10)
        for (name, bytes) in SharedFixtures.streams {
            for seed in [nil, 1, 2] as [UInt64?] {
                let events = decodeStream(bytes: bytes, seed: seed)
                let terminals = events.filter {
                    switch $0 {
                    case .finish, .error: true
                    default: false
                    }
                }
                #expect(terminals.count == 1, "\(name): \(terminals)")
                #expect(terminals.first == events.last, "\(name): terminal event is not last")
                if seed != nil { #expect(events == decodeStream(bytes: bytes), "\(name): split changed the result") }
            }
            let (result, error) = reply(from: decodeStream(bytes: bytes))
            let produced = !result.text.isEmpty || !result.reasoning.isEmpty || !result.toolCalls.isEmpty || error != nil
            #expect(produced, "\(name): neither text, reasoning, tool calls nor an error")
            #expect(!result.text.contains("\u{FFFD}"), "\(name): broken UTF-8")
        }
    }

    static let expectations: [FixtureExpectation] = [
        FixtureExpectation(file: "openai-chat-sse/openai-python__plain_text_with_usage.sse",
                           textPrefix: "I'm unable to provide real-time weather updates.", finish: .stop),
        FixtureExpectation(file: "openai-chat-sse/openai-python__finish_reason_length.sse", textPrefix: "{\"",
                           finish: .length,
                           usage: TokenUsage(inputTokens: 79, outputTokens: 1)),
        FixtureExpectation(file: "openai-chat-sse/openai-python__refusal.sse",
                           textPrefix: "I'm sorry, I can't assist with that request.", finish: .stop),
        FixtureExpectation(file: "openai-chat-sse/openai-python__tool_calls_parallel_two.sse",
                           toolNames: ["GetWeatherArgs", "get_stock_price"], finish: .toolCalls,
                           usage: TokenUsage(inputTokens: 149, outputTokens: 60)),
        FixtureExpectation(file: "openai-chat-sse/vercel-ai__anthropic_openai_compat_tool_index1.sse",
                           textPrefix: "Reading it.", toolNames: ["read_file"], finish: .toolCalls),
        FixtureExpectation(file: "openai-chat-sse/fantasy__compat_avian-kimi_multi_tool_streaming.0.sse",
                           reasoningPrefix: "The user wants me to", toolNames: ["add", "multiply"], finish: .toolCalls,
                           usage: TokenUsage(inputTokens: 154, outputTokens: 131, cachedInputTokens: 128,
                                             reasoningTokens: 87, reportedCost: Decimal(string: "0.0003287"))),
        FixtureExpectation(file: "openai-chat-sse/vercel-ai__deepseek_reasoner_reasoning_content.sse",
                           reasoningPrefix: "We need to count the number of the letter"),
        FixtureExpectation(file: "openai-chat-sse/vercel-ai-test__azure_content_filter_chunks.RECONSTRUCTED.sse",
                           textPrefix: "Hello", finish: .stop),
        FixtureExpectation(file: "openai-chat-sse/pydantic-ai__groq_tool_use_failed_error_streaming.0.sse",
                           reasoningPrefix: "We need to call the tool", errorKind: .badRequest),
        FixtureExpectation(file: "openai-chat-sse/vercel-ai-test__openai_error_numeric_code.RECONSTRUCTED.sse",
                           errorKind: .badRequest),
        FixtureExpectation(file: "openai-chat-sse/vercel-ai-test__openai_error_after_output.RECONSTRUCTED.sse",
                           textPrefix: "Hello", errorKind: .serverError),
        FixtureExpectation(file: "llamacpp/issue-quote__legacy_error_field_midstream.RECONSTRUCTED.sse",
                           errorKind: .contextTooLong),
    ]

    @Test(arguments: expectations)
    func recordedStreamDecodesAsExpected(_ expected: FixtureExpectation) throws {
        let stream = try #require(SharedFixtures.streams.first { $0.name == expected.file }, "missing fixture")
        let (result, error) = reply(from: decodeStream(bytes: stream.bytes))
        #expect(result.text.hasPrefix(expected.textPrefix), "text: \(result.text.prefix(80))")
        #expect(result.reasoning.hasPrefix(expected.reasoningPrefix), "reasoning: \(result.reasoning.prefix(80))")
        #expect(result.toolCalls.keys.sorted().compactMap { result.toolCalls[$0]?.name } == expected.toolNames)
        for call in result.toolCalls.values {
            #expect((try? JSONDecoder().decode([String: JSONAny].self, from: Data(call.arguments.utf8))) != nil,
                    "arguments are not a JSON object: \(call.arguments)")
        }
        if let finish = expected.finish { #expect(result.finishReason == finish) }
        #expect(error?.kind == expected.errorKind, "\(String(describing: error))")
        if let usage = expected.usage { #expect(result.usage == usage) }
    }
}

/// Accepts any JSON value (to check that tool arguments parse).
private struct JSONAny: Decodable {
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { return }
        if (try? container.decode(Bool.self)) != nil || (try? container.decode(Double.self)) != nil
            || (try? container.decode(String.self)) != nil || (try? container.decode([JSONAny].self)) != nil
            || (try? container.decode([String: JSONAny].self)) != nil { return }
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "not JSON")
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
