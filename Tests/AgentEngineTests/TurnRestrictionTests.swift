import AgentCore
import Foundation
import Testing
@testable import AgentEngine
@testable import AgentTools

/// A custom command's `allowed-tools` (D147): the next turn is offered only those tools, a
/// call of another is refused, a pattern pre-approves, and the turn after is unrestricted.
@Suite(.timeLimit(.minutes(2))) struct TurnRestrictionTests {
    @Test func onlyTheAllowedToolsForOneTurn() async throws {
        let root = NSTemporaryDirectory() + "swiftcoder-restrict-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { _ = try? FileManager.default.removeItem(atPath: root) }
        let write = #"{"path": "x.txt", "content": "x"}"#
        let status = #"{"command": "echo pre-approved"}"#
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "w", name: "write_file", arguments: write)
                + toolCallEvents(index: 1, id: "s", name: "run_command", arguments: status) + [.finish(.toolCalls)]),
            .init(events: [.textDelta("done"), .finish(.stop)]),
        ])
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(
            tools: BuiltinTools(projectRoot: root), policy: ApprovalPolicy(mode: .ask)))
        let channel = await engine.subscribe()
        await engine.restrictNextTurn(TurnRestriction(
            tools: ["read_file", "run_command"],
            rules: [PermissionRule(tool: "run_command", pattern: "echo *", source: "allowed-tools")]))
        let events = await runTurn(engine, channel, turn: 1, prompt: "go") { _ in .no(reason: nil) }
        let offered = provider.sentRequests.first?.tools.map(\.name) ?? []
        #expect(offered == ["read_file", "run_command"])
        #expect(!FileManager.default.fileExists(atPath: root + "/x.txt"), "write_file ran though not allowed")
        let results = events.compactMap { if case .toolResult(_, let id, let output) = $0 { (id, output) } else { nil } }
        #expect(results.first { $0.0 == "w" }?.1.content.contains("write_file is not allowed in this turn") == true)
        #expect(results.first { $0.0 == "s" }?.1.content.contains("pre-approved") == true)
        #expect(!events.contains { if case .approvalNeeded = $0 { true } else { false } })

        _ = await runTurn(engine, channel, turn: 2, prompt: "again") { _ in .no(reason: nil) }
        #expect(provider.sentRequests.last?.tools.count == BuiltinTools(projectRoot: root).definitions.count)
    }
}
