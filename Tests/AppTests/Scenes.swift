import AgentCore
import TerminalUI
@testable import App

/// App states for snapshots and widget tests, built by driving the reducer with the actions
/// the runtime sends (keys, turn updates, provider lists), never by setting fields directly.
enum Scenes {
    static let localModels = [
        ModelInfo(id: "qwen2.5-coder:7b", contextWindow: 32768, supportsTools: true, isLoaded: true),
        ModelInfo(id: "llama3.2:3b", contextWindow: 131072, supportsTools: true),
        ModelInfo(id: "deepseek-coder-v2:16b", contextWindow: 163_840, supportsTools: false),
    ]

    static let activeProvider = ActiveProvider(name: "local", kind: "ollama", baseURL: "http://127.0.0.1:11434",
                                               model: "qwen2.5-coder:7b")

    /// One request of turn 1 ending, as the engine reports it: a local model, so free.
    static func request(input: Int, output: Int, seconds: Double) -> Action {
        .turn(.request(turn: 1, UsageRecord(provider: "local", model: "qwen2.5-coder:7b",
                                            usage: TokenUsage(inputTokens: input, outputTokens: output),
                                            cost: 0, costSource: "local", streamingSeconds: seconds)))
    }

    /// Applies `actions` in order, ignoring their effects.
    static func apply(_ actions: [Action], to state: inout AppState) {
        for action in actions { _ = Reducer.reduce(&state, action) }
    }

    /// Types `text` key by key.
    static func type(_ text: String, into state: inout AppState) {
        apply(text.map { .key(.character($0)) }, to: &state)
    }

    /// The first run: no provider, the setup steps.
    static func firstRun(columns: Int = 120, rows: Int = 40) -> AppState {
        AppState(size: TerminalSize(columns: columns, rows: rows), setupHelp: [
            "Create agents.config.json in one of these places (first found wins):",
            "  ./agents.config.json",
            "  ~/.config/swiftcoder/agents.config.json",
            "For example, for a local OpenAI-compatible server:",
            "  {\"providers\": [{\"name\": \"local\", \"type\": \"openai-compatible\",",
            "                  \"apiBase\": \"http://127.0.0.1:8080/v1\", \"model\": \"qwen2.5-coder\"}]}",
            "Then restart swiftcoder. `swiftcoder providers` checks what it finds.",
        ], notices: ["cloud: OPENROUTER_API_KEY is not set"])
    }

    /// Two providers: `local` lists three models, `cloud` fails to list.
    static func withProviders(columns: Int = 120, rows: Int = 40) -> AppState {
        var state = AppState(size: TerminalSize(columns: columns, rows: rows), provider: activeProvider)
        apply([
            .providersListed([
                ProviderListing(name: "local", kind: "ollama", baseURL: "http://127.0.0.1:11434",
                                defaultModel: "qwen2.5-coder:7b"),
                ProviderListing(name: "cloud", kind: "openrouter", baseURL: "https://openrouter.ai/api/v1"),
            ]),
            .providerModels(name: "local", .loaded(localModels)),
            .providerModels(name: "cloud", .failed("bad or missing API key")),
        ], to: &state)
        return state
    }

    static let readCall = ToolCall(id: "c1", name: "read_file", arguments: #"{"path":"Sources/main.swift"}"#)
    static let readPreview = ToolPreview(toolName: "read_file", keyArgument: "Sources/main.swift")
    static let readOutput = ToolOutput(content: "import Foundation\nprint(\"start\")", summary: "2 lines")

    /// A finished turn: text, a tool call with its result, then markdown with a code block; two
    /// requests (the second resends the first's context).
    static func conversation(columns: Int = 120, rows: Int = 40) -> AppState {
        var state = withProviders(columns: columns, rows: rows)
        type("Add a greeting function to main.swift", into: &state)
        apply([
            .key(.enter),
            .turn(.firstToken(turn: 1, seconds: 0.4)),
            .turn(.text(turn: 1, "I'll read the file ")),
            .turn(.text(turn: 1, "first.")),
            .turn(.usage(turn: 1, TokenUsage(inputTokens: 1000, outputTokens: 30))),
            request(input: 1000, output: 30, seconds: 0.5),
            .turn(.toolCall(turn: 1, call: readCall, preview: readPreview)),
            .turn(.toolResult(turn: 1, callID: "c1", output: readOutput)),
            .turn(.text(turn: 1, "Here is the **function**:\n\n```swift\nfunc greet(_ name: String) {\n")),
            .turn(.text(turn: 1, "    print(\"Hello, \\(name)!\")\n}\n```\n\n")),
            .turn(.text(turn: 1, "Call it from `main.swift`, then run `swift run`.")),
            .turn(.usage(turn: 1, TokenUsage(inputTokens: 2150, outputTokens: 96))),
            request(input: 1150, output: 66, seconds: 1.5),
            .turn(.finished(turn: 1, .stop, elapsedSeconds: 2.4)),
        ], to: &state)
        return state
    }

    static let editPreview = ToolPreview(toolName: "edit_file", keyArgument: "Sources/main.swift", detail: """
        --- a/Sources/main.swift
        +++ b/Sources/main.swift
        @@ -1,2 +1,6 @@
         import Foundation
        -print("start")
        +func greet(_ name: String) {
        +    print("Hello, \\(name)!")
        +}
        +greet("world")
        """)
    static let editCall = ToolCall(id: "c2", name: "edit_file", arguments: #"{"path":"Sources/main.swift"}"#)

    /// A turn waiting for the user to approve an edit.
    static func approval(columns: Int = 120, rows: Int = 40) -> AppState {
        var state = withProviders(columns: columns, rows: rows)
        type("Apply it", into: &state)
        apply([
            .key(.enter),
            .turn(.text(turn: 1, "Editing the file.", streamedTokens: UsageEstimator.tokens(in: "Editing the file."))),
            .turn(.toolCall(turn: 1, call: editCall, preview: editPreview)),
            .turn(.approvalNeeded(turn: 1, callID: "c2", preview: editPreview)),
            .approvalArmed(callID: "c2"),
        ], to: &state)
        return state
    }

    /// A frame using most theme roles: user, assistant markdown and code, an expanded diff
    /// tool entry, a notice, an error, the sidebar, the meter and the completion popup.
    static func themeSample(columns: Int = 100, rows: Int = 32) -> AppState {
        var state = withProviders(columns: columns, rows: rows)
        type("Apply the greeting", into: &state)
        apply([
            .key(.enter),
            .turn(.text(turn: 1, "Editing *main.swift*:")),
            .turn(.usage(turn: 1, TokenUsage(inputTokens: 14_000, outputTokens: 40))),
            request(input: 14_000, output: 40, seconds: 0.4),
            .turn(.toolCall(turn: 1, call: editCall, preview: editPreview)),
            .turn(.toolResult(turn: 1, callID: "c2", output: ToolOutput(content: "ok", summary: "1 replacement"))),
            .key(.control("o")),
            .turn(.text(turn: 1, "Done. Try it:\n\n```sh\nswift run\n```")),
            .turn(.usage(turn: 1, TokenUsage(inputTokens: 30_000, outputTokens: 150))),
            request(input: 16_000, output: 110, seconds: 1.1),
            .turn(.finished(turn: 1, .stop, elapsedSeconds: 1.5)),
            .info("Exported to notes.md", isError: false),
            .info("cloud: bad or missing API key", isError: true),
        ], to: &state)
        type("/th", into: &state)
        return state
    }
}
