import AgentCore
import AgentTools
import Foundation
import Glibc
import Testing
@testable import AgentEngine

/// The engine with the real built-in tools in a temporary project.
@Suite(.timeLimit(.minutes(2))) struct RealToolsTests {
    func project() throws -> String {
        let path = NSTemporaryDirectory() + "swiftcoder-engine-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func cancellingARunningCommandKillsItsProcessGroup() async throws {
        let root = try project()
        defer { _ = try? FileManager.default.removeItem(atPath: root) }
        let pidFile = root + "/pgid"
        let command = #"{"command": "ps -o pgid= $$ > pgid; sleep 300 & sleep 300"}"#
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "sh", name: "run_command", arguments: command) + [.finish(.toolCalls)]),
        ])
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(
            tools: BuiltinTools(projectRoot: root), policy: ApprovalPolicy(mode: .yolo)))
        let channel = await engine.subscribe()
        await engine.submit(turn: 1, prompt: "run it")
        let deadline = ContinuousClock.now + .seconds(90)
        var pgid: Int32 = 0
        while pgid == 0 && ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
               let value = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                pgid = value
            } else {
                await Task.yield()
            }
        }
        try #require(pgid > 0, "the command never started")
        #expect(kill(-pgid, 0) == 0)
        await engine.cancel(turn: 1)
        await engine.waitForIdle()
        var gone = false
        while !gone && ContinuousClock.now < deadline {
            gone = kill(-pgid, 0) == -1 && errno == ESRCH
            if !gone { await Task.yield() }
        }
        #expect(gone, "process group \(pgid) survived the cancel")
        var events: [EngineEvent] = []
        while let batch = await channel.next() {
            events += batch
            if batch.contains(where: \.endsTurn) { break }
        }
        #expect(events.last == .cancelled(turn: 1))
        #expect(await engine.messages.last?.role == .tool)
    }

    @Test func aWriteIsPreviewedAsADiffApprovedAndApplied() async throws {
        let root = try project()
        defer { _ = try? FileManager.default.removeItem(atPath: root) }
        try "one\ntwo\n".write(toFile: root + "/a.txt", atomically: true, encoding: .utf8)
        let edit = #"{"path": "a.txt", "old_string": "two", "new_string": "2"}"#
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "e", name: "edit_file", arguments: edit) + [.finish(.toolCalls)]),
            .init(events: [.textDelta("edited"), .finish(.stop)]),
        ])
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(
            tools: BuiltinTools(projectRoot: root)))
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "edit") { _ in .yes }
        let preview = events.compactMap { if case .approvalNeeded(_, _, let preview) = $0 { preview } else { nil } }.first
        #expect(preview?.detail.contains("-two") == true)
        #expect(preview?.detail.contains("+2") == true)
        #expect(try String(contentsOfFile: root + "/a.txt", encoding: .utf8) == "one\n2\n")
    }
}
