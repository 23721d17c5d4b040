import AgentCore
import Synchronization
import Testing
@testable import AgentEngine

/// A server with a context window: a request estimated above `window` tokens fails with
/// `message` (OpenAI's overflow error by default); summary requests get a summary without
/// any fact of the conversation, other requests a short reply. `alwaysOverflow`: every
/// request but the summary's fails.
final class WindowedProvider: LLMProvider {
    let name = "windowed"
    let baseURL = "http://127.0.0.1:1/v1"
    let window: Int
    let alwaysOverflow: Bool
    let requests = Mutex<[ChatRequest]>([])

    init(window: Int, alwaysOverflow: Bool = false) {
        self.window = window
        self.alwaysOverflow = alwaysOverflow
    }

    func chatStream(_ request: ChatRequest) -> AsyncStream<ProviderEvent> {
        requests.withLock { $0.append(request) }
        let tokens = AgentEngine.estimatedTokens(request)
        let (stream, continuation) = AsyncStream<ProviderEvent>.makeStream()
        let isSummary = request.messages.first?.content.hasPrefix("You compact") == true
        if (alwaysOverflow && !isSummary) || tokens > window {
            continuation.yield(.error(ProviderError(
                kind: .contextTooLong, provider: name, url: baseURL, httpStatus: 400,
                serverMessage: "This model's maximum context length is \(window) tokens. However, your messages "
                    + "resulted in \(tokens) tokens. [code context_length_exceeded]")))
        } else {
            continuation.yield(.textDelta(isSummary ? "Goal: keep going. State: fine." : "Done."))
            continuation.yield(.finish(.stop))
        }
        continuation.finish()
        return stream
    }

    func listModels() async throws(ProviderError) -> [ModelInfo] { [ModelInfo(id: "m")] }

    var sent: [ChatRequest] { requests.withLock { $0 } }
    var chatRequests: [ChatRequest] { sent.filter { $0.messages.first?.content.hasPrefix("You compact") != true } }
    var summaryRequests: [ChatRequest] { sent.filter { $0.messages.first?.content.hasPrefix("You compact") == true } }
}

private func engine(_ provider: WindowedProvider, window: Int?, auto: Bool = true) -> AgentEngine {
    var configuration = EngineConfiguration(systemPrompt: "You are a test.")
    configuration.contextWindow = window
    configuration.compaction = CompactionSettings(auto: auto)
    return AgentEngine(provider: provider, model: "unknown-test-model", configuration: configuration)
}

private func padding(_ index: Int) -> String {
    "Message \(index): " + String(repeating: "lorem ipsum dolor sit amet ", count: 40)
}

@Suite(.timeLimit(.minutes(2))) struct CompactionTests {
    @Test func tenExchangesInASmallWindowGoOnAndKeepTheFirstFact() async {
        let provider = WindowedProvider(window: 1500)
        let engine = engine(provider, window: 1500)
        let channel = await engine.subscribe()
        for turn in 1...10 {
            let prompt = turn == 1 ? "The secret code is PELICAN-42. " + padding(turn) : padding(turn)
            let events = await runTurn(engine, channel, turn: turn, prompt: prompt)
            #expect(events.contains { if case .finished = $0 { true } else { false } }, "turn \(turn): \(events)")
        }
        #expect(await engine.compactionCount >= 2)
        #expect(provider.sent.allSatisfy { AgentEngine.estimatedTokens($0) <= 1500 })
        #expect(!provider.summaryRequests.isEmpty)
        let last = provider.chatRequests.last?.messages.map(\.content).joined() ?? ""
        #expect(last.contains("PELICAN-42"))
    }

    @Test func aServerOverflowIsCompactedAndRetriedOnceAndTheWindowLearned() async {
        let provider = WindowedProvider(window: 900)
        let engine = engine(provider, window: nil)
        let channel = await engine.subscribe()
        for turn in 1...4 {
            let events = await runTurn(engine, channel, turn: turn, prompt: padding(turn))
            #expect(events.contains { if case .finished = $0 { true } else { false } }, "turn \(turn): \(events)")
        }
        #expect(await engine.learnedWindow == 900)
        #expect(await engine.compactionCount >= 1)
    }

    @Test func aSecondOverflowFailsWithAdvice() async {
        let provider = WindowedProvider(window: 900, alwaysOverflow: true)
        let engine = engine(provider, window: nil)
        let channel = await engine.subscribe()
        _ = await runTurn(engine, channel, turn: 1, prompt: "first")
        let events = await runTurn(engine, channel, turn: 2, prompt: "second")
        let failure = events.compactMap { if case .failed(_, let error) = $0 { error } else { nil } }.first
        #expect(failure?.description.contains("/compact") == true)
        // Turn 2: the request, one summary, one retry that fails again, and nothing more.
        #expect(provider.chatRequests.count == 3)
        #expect(provider.summaryRequests.count == 1)
    }

    @Test func ollamasSilentTruncationIsCompactedAndRetriedOnce() async {
        // Ollama reports prompt tokens equal to num_ctx when it cut the prompt; the first
        // request of turn 3 is such a reply, then the retry after compaction is whole.
        let truncated = ScriptedTurnsProvider.Script(events: [
            .textDelta("cut"), .usage(TokenUsage(inputTokens: 2048, outputTokens: 3)), .finish(.stop)])
        let whole = ScriptedTurnsProvider.Script(events: [
            .textDelta("whole"), .usage(TokenUsage(inputTokens: 900, outputTokens: 3)), .finish(.stop)])
        let summary = ScriptedTurnsProvider.Script(events: [.textDelta("Goal: go on."), .finish(.stop)])
        let provider = ScriptedTurnsProvider([whole, whole, truncated, summary, whole])
        var configuration = EngineConfiguration(systemPrompt: "s")
        configuration.contextWindow = 2048
        let engine = AgentEngine(provider: provider, model: "m", configuration: configuration)
        let channel = await engine.subscribe()
        for turn in 1...3 { _ = await runTurn(engine, channel, turn: turn, prompt: "message \(turn)") }
        #expect(provider.sentRequests.count == 5)
        #expect(await engine.compactionCount == 1)
        #expect(await engine.messages.last?.content == "whole")
        #expect(await !engine.messages.contains { $0.content == "cut" })
    }

    @Test func autoFalseNeverCompacts() async {
        let provider = WindowedProvider(window: 900)
        let engine = engine(provider, window: 900, auto: false)
        let channel = await engine.subscribe()
        var failures: [String] = []
        for turn in 1...6 {
            let events = await runTurn(engine, channel, turn: turn, prompt: padding(turn))
            for case .failed(_, let error) in events { failures.append(error.description) }
        }
        #expect(!failures.isEmpty)
        // The overflow suggests /compact or /new, and does not claim a compaction it never made.
        #expect(failures.allSatisfy { $0.contains("try /compact, or /new") && !$0.contains("even after") }, "\(failures)")
        #expect(provider.summaryRequests.isEmpty)
        #expect(await engine.compactionCount == 0)
    }

    @Test func compactNowWithInstructionsAndUndoRestoresTheConversation() async {
        let provider = WindowedProvider(window: 100_000)
        let engine = engine(provider, window: 100_000)
        let channel = await engine.subscribe()
        for turn in 1...4 { _ = await runTurn(engine, channel, turn: turn, prompt: padding(turn)) }
        let before = await engine.messages
        let report = await engine.compactNow(instructions: "the parser")
        #expect(report.contains("saved"), "\(report)")
        #expect(provider.summaryRequests.last?.messages.last?.content.contains("Focus: the parser") == true)
        #expect(await engine.messages.count < before.count)
        #expect(await engine.undoCompaction().contains("restored"))
        #expect(await engine.messages == before)
        #expect(await engine.undoCompaction() == "there is no compaction to undo")
    }

    @Test func theContextBreakdownNamesEveryPartAndAGuessedWindow() async {
        let provider = WindowedProvider(window: 100_000)
        let known = engine(provider, window: 6000)
        #expect(await known.contextBreakdown().contains("of 6000 tokens (window from config)"))
        await known.setWindows(configured: nil, reported: 5000)
        #expect(await known.contextBreakdown().contains("of 5000 tokens (window from server)"))
        let guessed = engine(provider, window: nil)
        let text = await guessed.contextBreakdown()
        for part in ["8192? tokens", "system prompt", "tool definitions", "conversation", "last tool outputs", "free",
                     "off: the window is a guess"] {
            #expect(text.contains(part), "\(part) in \(text)")
        }
    }

    @Test func theSummaryRequestFitsHoweverLargeTheMaterial() {
        let huge = (0..<50).flatMap { index in
            [ChatMessage(role: .user, content: padding(index) + String(repeating: "x", count: 20_000)),
             ChatMessage(role: .assistant, content: String(repeating: "y ", count: 5_000))]
        }
        for window in [600, 2000, 8192, 32_000] {
            let request = Compactor.summaryRequest(model: "m", older: huge, window: window, instructions: "focus")
            #expect(AgentEngine.estimatedTokens(request) + ContextWindow.replyReserve(window: window) <= window)
        }
    }

    @Test func oldToolOutputsBecomeStubsNamingToolArgumentsAndSize() {
        let call = ToolCall(id: "c1", name: "read_file", arguments: #"{"path":"big.txt"}"#)
        let messages = [ChatMessage(role: .user, content: "read it"),
                        ChatMessage(role: .assistant, content: "", toolCalls: [call]),
                        ChatMessage(role: .tool, content: String(repeating: "data ", count: 500), toolCallID: "c1"),
                        ChatMessage(role: .assistant, content: "done")]
        let pruned = Compactor.pruneToolOutputs(messages)
        #expect(pruned[2].content.hasPrefix("[pruned tool output: read_file"))
        #expect(pruned[2].content.contains("big.txt") && pruned[2].content.contains("2500 bytes"))
        #expect(pruned[3] == messages[3])
    }

    @Test func aStatedWindowIsReadFromEachServersError() {
        #expect(ContextWindow.stated(in: "This model's maximum context length is 6000 tokens. However") == 6000)
        #expect(ContextWindow.stated(in: #"{"message":"the request exceeds the available context size","n_ctx":4096}"#) == 4096)
        #expect(ContextWindow.stated(in: "litellm.ContextWindowExceededError: no figure here") == nil)
    }
}
