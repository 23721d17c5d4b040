import AgentCore
import FoundationEssentials

/// The JSON body of `POST {base}/chat/completions` (streaming, with usage requested).
struct OpenAIChatBody: Encodable {
    var request: ChatRequest

    private enum Keys: String, CodingKey {
        case model, messages, stream, temperature
        case streamOptions = "stream_options"
        case maxTokens = "max_tokens"
    }

    private enum StreamOptionKeys: String, CodingKey {
        case includeUsage = "include_usage"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(request.model, forKey: .model)
        try container.encode(request.messages.map(WireMessage.init), forKey: .messages)
        try container.encode(true, forKey: .stream)
        var options = container.nestedContainer(keyedBy: StreamOptionKeys.self, forKey: .streamOptions)
        try options.encode(true, forKey: .includeUsage)
        try container.encodeIfPresent(request.maxOutputTokens, forKey: .maxTokens)
        try container.encodeIfPresent(request.temperature, forKey: .temperature)
    }

    /// Encodes the body; JSON encoding of these plain values cannot fail in practice.
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}

/// One message in OpenAI's shape: `role`, `content` (null for an assistant message that
/// only calls tools), `tool_calls`, `tool_call_id`.
private struct WireMessage: Encodable {
    var message: ChatMessage

    private enum Keys: String, CodingKey {
        case role, content
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(message.role.rawValue, forKey: .role)
        if message.content.isEmpty && !message.toolCalls.isEmpty {
            try container.encodeNil(forKey: .content)
        } else {
            try container.encode(message.content, forKey: .content)
        }
        if !message.toolCalls.isEmpty {
            try container.encode(message.toolCalls.map(WireToolCall.init), forKey: .toolCalls)
        }
        try container.encodeIfPresent(message.toolCallID, forKey: .toolCallID)
    }
}

/// `{"id", "type": "function", "function": {"name", "arguments"}}`.
private struct WireToolCall: Encodable {
    var call: ToolCall

    private enum Keys: String, CodingKey { case id, type, function }
    private enum FunctionKeys: String, CodingKey { case name, arguments }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(call.id, forKey: .id)
        try container.encode("function", forKey: .type)
        var function = container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        try function.encode(call.name, forKey: .name)
        try function.encode(call.arguments, forKey: .arguments)
    }
}
