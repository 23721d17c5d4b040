import AgentCore

/// A tool call that cannot run or failed; its message goes back to the model.
struct ToolError: Error, Sendable, Hashable {
    var message: String
    init(_ message: String) { self.message = message }

    /// The failure as the output the model and the chat pane see.
    var output: ToolOutput { .failure(message) }
}
