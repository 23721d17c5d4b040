import AgentCore
import FoundationEssentials

/// The JSON body of `POST {base}/chat/completions` (streaming, with usage requested), with
/// `tools` when the request offers any.
struct OpenAIChatBody: Encodable {
    var request: ChatRequest
    /// Sends the output cap as `max_completion_tokens` (OpenAI's own API: its reasoning
    /// models reject `max_tokens`) instead of `max_tokens` (what every other server reads).
    var usesMaxCompletionTokens = false
    /// `"stream": true` with usage requested; false asks for one whole reply (D157).
    var streaming = true

    init(request: ChatRequest, usesMaxCompletionTokens: Bool = false, streaming: Bool = true) {
        self.request = request
        self.usesMaxCompletionTokens = usesMaxCompletionTokens
        self.streaming = streaming
    }

    private enum Keys: String, CodingKey {
        case model, messages, stream, temperature
        case streamOptions = "stream_options"
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
    }

    private enum StreamOptionKeys: String, CodingKey {
        case includeUsage = "include_usage"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(request.model, forKey: .model)
        try container.encode(request.messages.map(WireMessage.init), forKey: .messages)
        try container.encode(streaming, forKey: .stream)
        if streaming {
            var options = container.nestedContainer(keyedBy: StreamOptionKeys.self, forKey: .streamOptions)
            try options.encode(true, forKey: .includeUsage)
        }
        try container.encodeIfPresent(request.maxOutputTokens,
                                      forKey: usesMaxCompletionTokens ? .maxCompletionTokens : .maxTokens)
        try container.encodeIfPresent(request.temperature, forKey: .temperature)
    }

    /// Encodes the body, `tools` included.
    ///
    /// - Throws: `ToolSchemaError` when a tool's schema is not a JSON object.
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let body = Array(try encoder.encode(self))
        guard !request.tools.isEmpty else { return body }
        return ToolsJSON.appending(key: "tools", rawValue: try ToolsJSON.array(for: request.tools), to: body)
    }
}

/// One message in OpenAI's shape: `role`, `content`, `tool_calls`, `tool_call_id`.
/// `content` is always a string, `""` for an assistant message that only calls tools: OpenAI
/// allows `null` there, but llama-cpp-python, llama.cpp's server and SGLang reject it, and
/// every server we know accepts the empty string (D207).
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
        try container.encode(message.content, forKey: .content)
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
