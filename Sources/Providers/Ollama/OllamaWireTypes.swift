import AgentCore
import FoundationEssentials

// Ollama's native API (`/api/chat`, `/api/tags`, `/api/show`). Decoding is lenient like
// the OpenAI wire types: a missing or wrongly typed field drops only that field.

/// One NDJSON line of a streamed `/api/chat` reply, or a bare `{"error": ...}` line.
struct OllamaChatLine: Decodable {
    var content: String?
    var thinking: String?
    var toolCalls: [ToolCall] = []
    var done = false
    var doneReason: String?
    var promptEvalCount: Int?
    var evalCount: Int?
    var error: OpenAIErrorBody?

    /// `{"function": {"name", "arguments": {...}}}` (newer servers add `id` and `index`).
    struct ToolCall: Decodable {
        var id: String?
        var name: String?
        var arguments: OllamaJSONValue?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            id = container.lenient("id")
            if let function = container.nested("function") {
                name = function.lenient("name")
                arguments = function.lenient("arguments")
            }
        }

        /// The arguments as JSON text: an object re-serialized, a string passed through.
        var argumentsText: String {
            switch arguments {
            case nil, .null?: "{}"
            case .string(let text)?: text
            case let value?: value.jsonText()
            }
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        if let message = container.nested("message") {
            content = message.lenient("content")
            thinking = message.lenient("thinking")
            toolCalls = message.lenient("tool_calls") ?? []
        }
        // `/api/generate` lines carry the text as `response`.
        if content == nil { content = container.lenient("response") }
        done = container.lenient("done") ?? false
        doneReason = container.lenient("done_reason")
        promptEvalCount = container.tokenCount("prompt_eval_count")
        evalCount = container.tokenCount("eval_count")
        error = container.lenient("error")
    }
}

/// `GET /api/tags`: `{"models": [{"name", "model", ...}]}`.
struct OllamaTagList: Decodable {
    var ids: [String]

    private struct Entry: Decodable {
        var id: String?
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            id = container.lenient("name") ?? container.lenient("model")
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        guard let entries: [Entry] = container.lenient("models") else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "no models array"))
        }
        ids = entries.compactMap(\.id)
    }
}

/// `POST /api/show`: the context length from `model_info["<arch>.context_length"]` and
/// tool support from `capabilities`.
struct OllamaShowResponse: Decodable {
    var contextLength: Int?
    var capabilities: [String]?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        capabilities = container.lenient("capabilities")
        // Only the needed keys are decoded: `model_info` can hold whole tokenizer tables.
        guard let info = container.nested("model_info") else { return }
        // `general.architecture` names the right key; any `*.context_length` otherwise.
        if let architecture: String = info.lenient("general.architecture"),
           let length: Int = info.lenient(architecture + ".context_length") {
            contextLength = InputLimits.contextTokens(length) // nonsense is unknown: never sent back as num_ctx
            return
        }
        let keys = info.allKeys.map(\.stringValue).filter { $0.hasSuffix(".context_length") }.sorted()
        contextLength = InputLimits.contextTokens(keys.lazy.compactMap { info.lenient($0, as: Int.self) }.first)
    }

    /// Capabilities `completion` (chat, which streams), `tools`, `embedding`.
    func modelInfo(id: String) -> ModelInfo {
        ModelInfo(id: id, contextWindow: contextLength, supportsTools: capabilities.map { $0.contains("tools") },
                  supportsStreaming: capabilities.map { $0.contains("completion") })
    }
}

/// The JSON body of `POST /api/chat` (streaming).
struct OllamaChatBody: Encodable {
    var request: ChatRequest
    /// `options.num_ctx`: without it Ollama silently cuts the prompt to a small default.
    var contextWindow: Int?

    private enum Keys: String, CodingKey { case model, messages, stream, options }
    private enum OptionKeys: String, CodingKey {
        case numCtx = "num_ctx"
        case numPredict = "num_predict"
        case temperature
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(request.model, forKey: .model)
        let messages = request.messages.enumerated().map { position, message in
            OllamaWireMessage(message: message, toolName: toolName(answeredAt: position))
        }
        try container.encode(messages, forKey: .messages)
        try container.encode(true, forKey: .stream)
        guard contextWindow != nil || request.maxOutputTokens != nil || request.temperature != nil else { return }
        var options = container.nestedContainer(keyedBy: OptionKeys.self, forKey: .options)
        try options.encodeIfPresent(contextWindow, forKey: .numCtx)
        try options.encodeIfPresent(request.maxOutputTokens, forKey: .numPredict)
        try options.encodeIfPresent(request.temperature, forKey: .temperature)
    }

    /// For a tool message: the name of the call it answers (Ollama matches results by
    /// name), found in the nearest earlier assistant message with that call id.
    private func toolName(answeredAt position: Int) -> String? {
        let message = request.messages[position]
        guard message.role == .tool, let id = message.toolCallID else { return nil }
        for earlier in request.messages[..<position].reversed() where earlier.role == .assistant {
            if let call = earlier.toolCalls.first(where: { $0.id == id }) { return call.name }
        }
        return nil
    }

    /// Encodes the body, with `tools` (same shape as OpenAI's) when the request offers any.
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

/// `{"role", "content", "tool_calls"?: [{"function": {"name", "arguments": {...}}}], "tool_name"?}`.
private struct OllamaWireMessage: Encodable {
    var message: ChatMessage
    var toolName: String?

    private enum Keys: String, CodingKey {
        case role, content
        case toolCalls = "tool_calls"
        case toolName = "tool_name"
    }
    private enum CallKeys: String, CodingKey { case function }
    private enum FunctionKeys: String, CodingKey { case name, arguments }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(message.role.rawValue, forKey: .role)
        try container.encode(message.content, forKey: .content)
        if !message.toolCalls.isEmpty {
            var calls = container.nestedUnkeyedContainer(forKey: .toolCalls)
            for call in message.toolCalls {
                var wrapper = calls.nestedContainer(keyedBy: CallKeys.self)
                var function = wrapper.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
                try function.encode(call.name, forKey: .name)
                // Ollama wants an object here; text that is not one (truncated JSON) becomes `{}`.
                var arguments = OllamaJSONValue.parse(call.arguments) ?? .object([:])
                if case .object = arguments {} else { arguments = .object([:]) }
                try function.encode(arguments, forKey: .arguments)
            }
        }
        try container.encodeIfPresent(toolName, forKey: .toolName)
    }
}
