import AgentCore
import Synchronization
@testable import AgentEngine

/// A provider that answers request N with script N (the last script repeats); a script
/// with `hold` keeps its stream open until the consumer cancels.
final class ScriptedTurnsProvider: LLMProvider {
    struct Script: Sendable {
        var events: [ProviderEvent]
        var hold = false
    }

    let name = "scripted"
    let baseURL = "http://127.0.0.1:1/v1"
    let scripts: [Script]
    let requests = Mutex<[ChatRequest]>([])
    let terminated = Mutex(0)

    init(_ scripts: [Script]) { self.scripts = scripts }

    func chatStream(_ request: ChatRequest) -> AsyncStream<ProviderEvent> {
        let index = requests.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        let script = scripts[min(index, scripts.count - 1)]
        let (stream, continuation) = AsyncStream<ProviderEvent>.makeStream()
        for event in script.events { continuation.yield(event) }
        if !script.hold { continuation.finish() }
        continuation.onTermination = { _ in self.terminated.withLock { $0 += 1 } }
        return stream
    }

    func listModels() async throws(ProviderError) -> [ModelInfo] { [ModelInfo(id: "m")] }

    var sentRequests: [ChatRequest] { requests.withLock { $0 } }
}

/// Events of one native tool call.
func toolCallEvents(index: Int, id: String, name: String, arguments: String) -> [ProviderEvent] {
    [.toolCallStart(index: index, id: id, name: name), .toolCallArgumentsDelta(index: index, fragment: arguments),
     .toolCallEnd(index: index)]
}

/// Tools for engine tests: `read` (a read), `write` (a write), `block` (a command that
/// runs until cancelled). Records what ran.
final class ScriptedTools: ToolExecutor {
    let executed = Mutex<[String]>([])
    let blockStarted = Mutex(false)
    let blockCancelled = Mutex(false)

    var definitions: [ToolDefinition] {
        [ToolDefinition(name: "read", description: "Reads."), ToolDefinition(name: "write", description: "Writes."),
         ToolDefinition(name: "block", description: "Blocks until cancelled.")]
    }

    func effect(of toolName: String) -> ToolEffect? {
        switch toolName {
        case "read": .read
        case "write": .write
        case "block": .command
        default: nil
        }
    }

    func prepare(_ call: ToolCall) async -> ToolPreparation {
        if call.arguments.contains("invalid") { return .invalid(.failure("bad arguments")) }
        return .ready(ToolPreview(toolName: call.name, keyArgument: call.arguments, detail: "+ change"))
    }

    func execute(_ call: ToolCall) async -> ToolOutput {
        executed.withLock { $0.append(call.id) }
        if call.name == "block" {
            blockStarted.withLock { $0 = true }
            // Runs until the turn is cancelled (the sleep ends early on cancellation).
            try? await Task.sleep(for: .seconds(3600))
            blockCancelled.withLock { $0 = Task.isCancelled }
            return .failure("cancelled")
        }
        return ToolOutput(content: "result of \(call.id)", summary: "ok")
    }

    var ran: [String] { executed.withLock { $0 } }
}

/// An in-memory session recorder.
final class MemoryRecorder: SessionRecorder {
    let committed = Mutex<[ChatMessage]>([])
    let drafts = Mutex<[String]>([])
    let usage = Mutex<[UsageRecord]>([])
    /// The messages committed with the interrupted mark.
    let interrupted = Mutex<[ChatMessage]>([])

    func commit(_ message: ChatMessage) async throws { committed.withLock { $0.append(message) } }
    func commit(_ message: ChatMessage, interrupted mark: Bool) async throws {
        committed.withLock { $0.append(message) }
        if mark { interrupted.withLock { $0.append(message) } }
    }
    func saveDraft(_ text: String) async throws { drafts.withLock { $0.append(text) } }
    func discardDraft() async throws {}
    func recordUsage(_ record: UsageRecord) async throws { usage.withLock { $0.append(record) } }
    /// File changes recorded for checkpoints (D131).
    let fileChanges = Mutex<[FileChange]>([])
    func recordFileChange(_ change: FileChange) async throws { fileChanges.withLock { $0.append(change) } }
}

/// Collects events until the turn ends, answering approvals with `answer` (when given).
func runTurn(_ engine: AgentEngine, _ channel: EventChannel<EngineEvent>, turn: Int, prompt: String,
             answer: (@Sendable (String) -> ApprovalAnswer)? = nil) async -> [EngineEvent] {
    await engine.submit(turn: turn, prompt: prompt)
    var all: [EngineEvent] = []
    while let batch = await channel.next() {
        all += batch
        for event in batch {
            if case .approvalNeeded(_, let callID, _) = event, let answer {
                await engine.answer(callID: callID, answer(callID))
            }
        }
        if batch.contains(where: \.endsTurn) { break }
    }
    await engine.waitForIdle()
    return all
}

extension Array where Element == EngineEvent {
    /// The events without the context figures (D135), for tests about a turn's own events.
    var withoutContext: [EngineEvent] { filter { if case .context = $0 { false } else { true } } }
}
