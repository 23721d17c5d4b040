import AgentCore
import AgentTools
import Foundation
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
