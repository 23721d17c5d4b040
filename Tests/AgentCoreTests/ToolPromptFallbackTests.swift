import Testing
@testable import AgentCore

@Suite(.timeLimit(.minutes(2))) struct ToolPromptFallbackTests {
    private let known: Set<String> = ["read_file", "write_file", "run_command"]

    @Test func systemPromptListsToolsAndFormat() {
        let tools = [
            ToolDefinition(name: "read_file", description: "Reads a file.",
                           parameters: #"{"type":"object","properties":{"path":{"type":"string"}}}"#),
            ToolDefinition(name: "list_dir", description: "Lists a directory."),
        ]
        let prompt = ToolPromptFallback.systemPrompt(for: tools)
        #expect(prompt.contains("## read_file\nReads a file."))
        #expect(prompt.contains(#"{"type":"object","properties":{"path":{"type":"string"}}}"#))
        #expect(prompt.contains("## list_dir"))
        #expect(prompt.contains("```json\n{\"name\": \"TOOL_NAME\", \"arguments\": {"))
        #expect(ToolPromptFallback.systemPrompt(for: []).isEmpty)
    }

    @Test func singleFencedCall() {
        let reply = """
        I'll read it.

        ```json
        {"name": "read_file", "arguments": {"path": "README.md", "limit": 20}}
        ```
        """
        let result = ToolPromptFallback.parseToolCalls(from: reply, knownTools: known)
        #expect(result.calls == [ToolCall(id: "fallback_1", name: "read_file",
                                          arguments: #"{"path":"README.md","limit":20}"#)])
        #expect(result.text == "I'll read it.")
        #expect(result.problems.isEmpty)
    }

    @Test func twoCallsInOrderWithAlternateKeys() {
        let reply = """
        ```tool_call
        {"tool": "run_command", "parameters": {"command": "ls"}}
        ```
        then
        ```
        {"function": {"name": "read_file", "arguments": "{\\"path\\": \\"a.txt\\"}"}}
        ```
        """
        let result = ToolPromptFallback.parseToolCalls(from: reply)
        #expect(result.calls.map(\.id) == ["fallback_1", "fallback_2"])
        #expect(result.calls.map(\.name) == ["run_command", "read_file"])
        #expect(result.calls.map(\.arguments) == [#"{"command":"ls"}"#, #"{"path": "a.txt"}"#])
        #expect(result.text == "then")
    }

    @Test func arrayOfCalls() {
        let reply = """
        ```json
        [{"name": "read_file", "arguments": {"path": "a"}}, {"name": "read_file", "arguments": {"path": "b"}}]
        ```
        """
        let result = ToolPromptFallback.parseToolCalls(from: reply)
        #expect(result.calls.map(\.arguments) == [#"{"path":"a"}"#, #"{"path":"b"}"#])
        #expect(result.calls.map(\.id) == ["fallback_1", "fallback_2"])
        #expect(result.text.isEmpty)
    }

    @Test func xmlFormForKnownTools() {
        let reply = """
        Writing now.
        <write_file>
        <path>src/a.swift</path>
        <content>
        let x = "<b>"
        </content>
        </write_file>
        """
        let result = ToolPromptFallback.parseToolCalls(from: reply, knownTools: known)
        #expect(result.calls == [ToolCall(id: "fallback_1", name: "write_file",
                                          arguments: #"{"path":"src/a.swift","content":"let x = \"<b>\""}"#)])
        #expect(result.text == "Writing now.")
    }

    @Test func xmlFormIgnoresUnknownTags() {
        let reply = "Use <path>src/a.swift</path> and <b>bold</b> text; <delete_file><path>x</path></delete_file>"
        let result = ToolPromptFallback.parseToolCalls(from: reply, knownTools: known)
        #expect(result.calls.isEmpty)
        #expect(result.text == reply)
    }

    @Test func hermesToolCallTags() {
        let reply = """
        <think>need the file</think>
        <tool_call>
        {"name": "read_file", "arguments": {"path": "Package.swift"}}
        </tool_call>
        """
        let result = ToolPromptFallback.parseToolCalls(from: reply, knownTools: known)
        #expect(result.calls == [ToolCall(id: "fallback_1", name: "read_file", arguments: #"{"path":"Package.swift"}"#)])
        #expect(result.text == "<think>need the file</think>")
    }

    @Test func invalidJSONForKnownToolIsAProblem() {
        let reply = """
        ```json
        {"name": "write_file", "arguments": {"path": "a.txt", "content": "unterminated}}
        ```
        """
        let result = ToolPromptFallback.parseToolCalls(from: reply, knownTools: known)
        #expect(result.calls.isEmpty)
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.contains("\"write_file\" is not valid JSON") == true)
        #expect(result.text.isEmpty)
    }

    @Test func proseAndPlainJSONAreNotCalls() {
        let reply = """
        Here is a config example:

        ```json
        {"name": "my-app", "version": "1.0"}
        ```

        And broken JSON that names no tool:
        ```json
        {"name": "demo", oops}
        ```
        """
        let result = ToolPromptFallback.parseToolCalls(from: reply, knownTools: known)
        #expect(result.calls.isEmpty)
        #expect(result.problems.isEmpty)
        #expect(result.text == reply)
    }

    @Test func cjkTextAroundACall() {
        let reply = "我来读取文件。\n```json\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"说明.md\"}}\n```\n然后总结。"
        let result = ToolPromptFallback.parseToolCalls(from: reply, knownTools: known)
        #expect(result.calls == [ToolCall(id: "fallback_1", name: "read_file", arguments: #"{"path":"说明.md"}"#)])
        #expect(result.text == "我来读取文件。\n然后总结。")
    }

    @Test func crlfLineEndingsAndUnclosedFence() {
        let reply = "OK\r\n```json\r\n{\"name\": \"run_command\", \"arguments\": {\"command\": \"make\"}}\r\n"
        let result = ToolPromptFallback.parseToolCalls(from: reply)
        #expect(result.calls.map(\.name) == ["run_command"])
        #expect(result.text == "OK")
    }

    @Test func nestedToolTagStaysInsideOuterCall() {
        let reply = "<write_file><path>doc.md</path><content>Call <read_file><path>x</path></read_file></content></write_file>"
        let result = ToolPromptFallback.parseToolCalls(from: reply, knownTools: known)
        #expect(result.calls.map(\.name) == ["write_file"])
        #expect(result.calls.first?.arguments
            == #"{"path":"doc.md","content":"Call <read_file><path>x</path></read_file>"}"#)
    }

    @Test func invalidJSONInToolCallTagIsAProblem() {
        let reply = "<tool_call>{\"name\": \"run_command\", \"arguments\": {\"command\": }}</tool_call>"
        let result = ToolPromptFallback.parseToolCalls(from: reply, knownTools: known)
        #expect(result.calls.isEmpty)
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.contains("\"run_command\" is not valid JSON") == true)
    }
}
