import AgentCore

/// Rewrites a conversation for a model that has no native tool calling: assistant
/// messages keep their text (which holds the calls in the prompt form) without wire tool
/// calls, and tool results become user messages naming the call they answer.
enum FallbackTranscript {
    static func convert(_ messages: [ChatMessage]) -> [ChatMessage] {
        var names: [String: String] = [:]
        return messages.map { message in
            switch message.role {
            case .assistant:
                for call in message.toolCalls { names[call.id] = call.name }
                if message.content.isEmpty, !message.toolCalls.isEmpty {
                    // A native call made before the switch: show it in the prompt form.
                    let blocks = message.toolCalls.map {
                        "```json\n{\"name\": \"\($0.name)\", \"arguments\": \($0.arguments.isEmpty ? "{}" : $0.arguments)}\n```"
                    }
                    return ChatMessage(role: .assistant, content: blocks.joined(separator: "\n"))
                }
                return ChatMessage(role: .assistant, content: message.content)
            case .tool:
                let id = message.toolCallID ?? "?"
                let name = names[id] ?? "tool"
                return ChatMessage(role: .user, content: "Result of \(name) (call \(id)):\n\(message.content)")
            case .system, .user:
                return message
            }
        }
    }
}
