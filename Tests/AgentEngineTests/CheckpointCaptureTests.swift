import AgentCore
import AgentTools
import Foundation
import Synchronization
import Testing
@testable import AgentEngine

/// Every write and edit of a turn reaches the recorder with the file before and after; the
/// contents stay out of the published events (issue 12 item 7, D131).
@Suite(.timeLimit(.minutes(2))) struct CheckpointCaptureTests {
    @Test func writesAndEditsAreRecordedBeforeAndAfter() async throws {
        let root = NSTemporaryDirectory() + "swiftcoder-checkpoint-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { _ = try? FileManager.default.removeItem(atPath: root) }
        try "one\ntwo\n".write(toFile: root + "/a.txt", atomically: true, encoding: .utf8)
        let edit = #"{"path": "a.txt", "old_string": "two", "new_string": "TWO"}"#
        let write = #"{"path": "new.txt", "content": "fresh\n"}"#
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "e", name: "edit_file", arguments: edit)
                + toolCallEvents(index: 1, id: "w", name: "write_file", arguments: write) + [.finish(.toolCalls)]),
            .init(events: [.textDelta("done"), .finish(.stop)]),
        ])
        let recorder = MemoryRecorder()
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(
            tools: BuiltinTools(projectRoot: root), policy: ApprovalPolicy(mode: .yolo), recorder: recorder))
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "change things")

        let changes = recorder.fileChanges.withLock { $0 }
        #expect(changes == [
            FileChange(path: "a.txt", before: .content(Array("one\ntwo\n".utf8)), after: .content(Array("one\nTWO\n".utf8))),
            FileChange(path: "new.txt", before: .absent, after: .content(Array("fresh\n".utf8))),
        ])
        let published = events.compactMap { event -> ToolOutput? in
            if case .toolResult(_, _, let output) = event { return output }
            return nil
        }
        #expect(published.count == 2)
        #expect(published.allSatisfy { $0.fileChange == nil })
        // The user message is committed before the changes, so the store files them under it.
        #expect(recorder.committed.withLock { $0.first?.content } == "change things")
    }
}

extension CheckpointCaptureTests {
    /// `/rewind`'s conversation part: the conversation ends just before the chosen message,
    /// the view goes to the recorder as a branch, and a message not in it changes nothing.
    @Test func theConversationRewindsToBeforeTheChosenMessage() async throws {
        let recorder = BranchRecorder()
        let engine = AgentEngine(provider: nil, model: "m", configuration: EngineConfiguration(recorder: recorder))
        let conversation = ["go", "second", "go"].flatMap {
            [ChatMessage(role: .user, content: $0), ChatMessage(role: .assistant, content: "ok")]
        }
        await engine.load(conversation)
        #expect(await engine.rewindConversation(toBefore: "gone", laterDuplicates: 0) == nil)
        #expect(await engine.messages == conversation)
        let view = await engine.rewindConversation(toBefore: "go", laterDuplicates: 0)
        #expect(view == Array(conversation.prefix(4)))
        #expect(await engine.messages == Array(conversation.prefix(4)))
        await engine.waitForIdle()
        #expect(recorder.views.withLock { $0 } == [Array(conversation.prefix(4))])
        #expect(await engine.rewindConversation(toBefore: "second", laterDuplicates: 0) == Array(conversation.prefix(2)))
    }
}

/// Keeps the views written as branches.
final class BranchRecorder: SessionRecorder {
    let views = Mutex<[[ChatMessage]]>([])
    func commit(_ message: ChatMessage) async throws {}
    func saveDraft(_ text: String) async throws {}
    func discardDraft() async throws {}
    func recordUsage(_ record: UsageRecord) async throws {}
    func compacted(_ messages: [ChatMessage]) async throws { views.withLock { $0.append(messages) } }
}
