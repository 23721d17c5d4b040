import AgentCore
import Testing
@testable import AgentTools

@Suite(.timeLimit(.minutes(2))) struct ExecutorTests {
    @Test func definitionsAndEffects() throws {
        let tools = BuiltinTools(projectRoot: "/tmp")
        #expect(tools.definitions.map(\.name) == ["read_file", "write_file", "edit_file", "list_directory",
                                                  "find_files", "search_files", "run_command"])
        for definition in tools.definitions {
            let schema = try JSONReader.parse(definition.parameters)
            #expect(schema["type"]?.string == "object", "\(definition.name)")
            #expect(schema["properties"]?.members?.isEmpty == false || definition.name == "list_directory")
            #expect(!definition.description.isEmpty)
        }
        #expect(tools.effect(of: "read_file") == .read)
        #expect(tools.effect(of: "search_files") == .read)
        #expect(tools.effect(of: "write_file") == .write)
        #expect(tools.effect(of: "edit_file") == .write)
        #expect(tools.effect(of: "run_command") == .command)
        #expect(tools.effect(of: "rm_rf") == nil)
    }

    @Test func invalidArgumentsAreQuotedAndNeverExecuted() async throws {
        try await withProject { project in
            let tools = project.tools
            let notJSON = ToolCall(id: "1", name: "write_file", arguments: "{\"path\": \"x.txt\", content}")
            let error = try #require(await tools.prepare(notJSON).error)
            #expect(error.content.contains("invalid arguments for write_file: not valid JSON"))
            let output = await tools.execute(notJSON)
            #expect(output.isError)
            #expect(!project.exists("x.txt"))
            let wrongType = try await project.prepare("read_file", ["path": 3]).error
            #expect(wrongType?.content == "error: invalid arguments for read_file: \"path\" must be a string, got a number")
            let missing = try await project.prepare("edit_file", ["path": "a"]).error
            #expect(missing?.content.contains("\"old_string\" is required") == true)
            let unknown = try await project.prepare("read_file", ["file_path": "a"]).error
            #expect(unknown?.content.contains("unknown argument \"file_path\" (expected: path, start_line, end_line)") == true)
            let array = await tools.prepare(ToolCall(id: "2", name: "read_file", arguments: "[1]")).error
            #expect(array?.content.contains("expected a JSON object, got an array") == true)
            let noTool = await tools.prepare(ToolCall(id: "3", name: "delete_everything", arguments: "{}")).error
            #expect(noTool?.content.contains("unknown tool \"delete_everything\"") == true)
        }
    }

    @Test func readsHaveAnEmptyPreviewDetail() async throws {
        try await withProject { project in
            try project.write("a.txt", "a\n")
            let preview = try await project.prepare("read_file", ["path": "./a.txt"]).preview
            #expect(preview == ToolPreview(toolName: "read_file", keyArgument: "a.txt", detail: "", target: "a.txt"))
            let list = try await project.prepare("list_directory", [:]).preview
            #expect(list?.detail == "")
        }
    }
}

@Suite(.timeLimit(.minutes(2))) struct ApprovalPolicyTests {
    private let effects: [ToolEffect] = [.read, .write, .command]

    private func decisions(_ policy: ApprovalPolicy) -> [ApprovalDecision] {
        effects.map { policy.decide(tool: "tool", effect: $0) }
    }

    @Test func askModeRunsReadsAndAsksForTheRest() {
        #expect(decisions(ApprovalPolicy(mode: .ask)) == [.run, .ask, .ask])
    }

    @Test func autoEditModeRunsWritesAndAsksForCommands() {
        #expect(decisions(ApprovalPolicy(mode: .autoEdit)) == [.run, .run, .ask])
    }

    @Test func yoloModeRunsEverything() {
        #expect(decisions(ApprovalPolicy(mode: .yolo)) == [.run, .run, .run])
    }

    @Test func planModeRefusesWritesAndCommandsWithAReason() {
        let policy = ApprovalPolicy(mode: .plan, alwaysAllow: ["tool"])
        #expect(policy.decide(tool: "tool", effect: .read) == .run)
        #expect(policy.decide(tool: "tool", effect: .write)
            == .refuse("plan mode allows read-only tools only; tool was not run"))
        guard case .refuse = policy.decide(tool: "tool", effect: .command) else {
            Issue.record("commands must be refused in plan mode")
            return
        }
    }

    @Test func alwaysAllowSkipsTheQuestionOutsidePlanMode() {
        let policy = ApprovalPolicy(mode: .ask, alwaysAllow: ["run_command"])
        #expect(policy.decide(tool: "run_command", effect: .command) == .run)
        #expect(policy.decide(tool: "write_file", effect: .write) == .ask)
    }
}
