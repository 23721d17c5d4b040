import AgentCore

/// The provider behind `swiftcoder --demo`: answers with `DemoScript`, streamed word by word
/// at a steady pace, with usage estimated the way the meter estimates it (and flagged as
/// such), so every part of the app is seen working without a server.
public struct DemoProvider: LLMProvider {
    public let name: String
    /// Not a URL: the demo opens no connection.
    public var baseURL: String { "built-in demo (no network)" }
    /// Pause between streamed words (0 in tests).
    public var wordDelay: Duration

    public init(name: String = "demo", wordDelay: Duration = .milliseconds(18)) {
        self.name = name
        self.wordDelay = wordDelay
    }

    public func chatStream(_ request: ChatRequest) -> AsyncStream<ProviderEvent> {
        let reply = DemoScript.reply(to: request.messages)
        let delay = wordDelay
        return AsyncStream { continuation in
            let task = Task {
                for word in Self.words(of: reply.text) {
                    if delay > .zero { try? await Task.sleep(for: delay) }
                    if Task.isCancelled { break }
                    continuation.yield(.textDelta(word))
                }
                if let call = reply.toolCall, !Task.isCancelled {
                    continuation.yield(.toolCallStart(index: 0, id: call.id, name: call.name))
                    continuation.yield(.toolCallArgumentsDelta(index: 0, fragment: call.arguments))
                    continuation.yield(.toolCallEnd(index: 0))
                }
                let usage = TokenUsage(inputTokens: UsageEstimator.inputTokens(for: request),
                                       outputTokens: UsageEstimator.tokens(in: reply.text + (reply.toolCall?.arguments ?? "")),
                                       isEstimate: true)
                continuation.yield(.usage(usage))
                continuation.yield(.finish(reply.toolCall == nil ? .stop : .toolCalls))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func listModels() async throws(ProviderError) -> [ModelInfo] { DemoScript.models }

    public func isAvailable() async -> Bool { true }

    /// `text` cut after each space, so the pieces join back to exactly `text`.
    static func words(of text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == " " || character == "\n" {
                pieces.append(current)
                current = ""
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
