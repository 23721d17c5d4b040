import AgentCore

/// What the built-in demo "model" answers (`swiftcoder --demo`): a pure function of the
/// conversation so far, so a new user sees a streamed reply, a tool call that reads a file,
/// a proposed edit in the approval box, and a summary, without any server.
///
/// The script reacts to where the conversation is, not to what was typed:
/// - a user message: a short streamed answer, then a call to `read_file` on the demo file;
/// - the `read_file` result: a sentence, then an `edit_file` call fixing the bug it shows
///   (the approval box shows the diff);
/// - the `edit_file` result (or a refusal): a summary with what to try next.
public enum DemoScript {
    /// The file the demo project contains and the demo edits.
    public static let fileName = "greet.py"
    /// Its content: a greeting with an off-by-one bug the demo "fixes".
    public static let fileContent = """
        def greet(names):
            for i in range(len(names) - 1):
                print(f"Hello, {names[i]}!")


        greet(["Ada", "Grace", "Linus"])

        """
    static let buggyLine = "    for i in range(len(names) - 1):"
    static let fixedLine = "    for i in range(len(names)):"

    /// The models the demo lists, with made-up prices so the meter shows what a turn costs.
    public static let models: [ModelInfo] = [
        ModelInfo(id: "demo-small", contextWindow: 32768, maxOutputTokens: 4096, supportsTools: true,
                  supportsStreaming: true,
                  pricing: ModelPricing(inputPerMillion: 0.15, outputPerMillion: 0.6)),
        ModelInfo(id: "demo-large", contextWindow: 131072, maxOutputTokens: 8192, supportsTools: true,
                  supportsStreaming: true,
                  pricing: ModelPricing(inputPerMillion: 3, outputPerMillion: 15)),
    ]

    /// One scripted reply: text streamed word by word, then at most one tool call.
    public struct Reply: Sendable, Hashable {
        public var text: String
        public var toolCall: ToolCall?
    }

    /// The reply to a conversation whose last message is `messages.last`.
    public static func reply(to messages: [ChatMessage]) -> Reply {
        guard let last = messages.last, last.role == .tool else { return opening(model: nil) }
        let call = messages.reversed().lazy.flatMap(\.toolCalls).first { $0.id == last.toolCallID }
        switch call?.name {
        case "read_file":
            return Reply(
                text: "Found it: the loop stops one name early (`len(names) - 1`), so Linus is never greeted. "
                    + "Here is the fix; the approval box shows exactly what will change.\n",
                toolCall: ToolCall(id: "demo-edit", name: "edit_file", arguments: editArguments))
        default:
            return Reply(text: closing(after: last.content), toolCall: nil)
        }
    }

    static func opening(model: String?) -> Reply {
        let text = """
            ## This is a demo

            Replies come from a **built-in script**, not a model: nothing leaves your machine, \
            and the files live in a temporary folder.

            Watch the meter below: tokens, speed and the *made-up* cost of each turn. \
            Next I read `\(fileName)` with a tool, then propose an edit you approve or refuse.

            """
        return Reply(text: text, toolCall: ToolCall(id: "demo-read", name: "read_file",
                                                    arguments: #"{"path":"\#(fileName)"}"#))
    }

    static func closing(after result: String) -> String {
        let outcome = result.saysTheCallWasRefused
            ? "You refused the edit, so nothing changed: refusing is always safe."
            : "The edit is written: all three names are greeted now."
        return """
            \(outcome)

            Things to try next:
            - **Ctrl-P** opens the model picker (two demo models with different prices),
            - **F1** or `/help` lists every key and command, `/usage` shows what the session cost,
            - `swiftcoder providers` shows which servers it finds; put yours in `agents.config.json`.

            """
    }

    static var editArguments: String {
        func quoted(_ text: String) -> String { JSONText.quoted(text) }
        return #"{"path":"\#(fileName)","old_string":\#(quoted(buggyLine)),"new_string":\#(quoted(fixedLine))}"#
    }
}

extension String {
    /// Whether a tool result says the user refused the call.
    fileprivate var saysTheCallWasRefused: Bool {
        let lower = lowercased()
        return lower.contains("denied") || lower.contains("refused") || lower.contains("rejected")
    }
}
