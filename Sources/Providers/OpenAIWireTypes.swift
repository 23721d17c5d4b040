import AgentCore
import FoundationEssentials

// Decodable views of OpenAI-compatible JSON. Every field is optional and decoded with
// `try?`: an unknown, missing, null or wrongly typed field drops only that field, never
// the chunk (servers disagree on almost everything; see wire-formats.md).

/// Keys that accept any spelling (`CodingKey` for lenient manual decoding).
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == AnyKey {
    /// The value at `key` if present and of type `T`, else `nil` (never throws).
    func lenient<T: Decodable>(_ key: String, as type: T.Type = T.self) -> T? {
        (try? decodeIfPresent(T.self, forKey: AnyKey(key))) ?? nil
    }

    /// The nested object at `key`, or `nil` (checked first: a throw per absent key is slow).
    func nested(_ key: String) -> KeyedDecodingContainer<AnyKey>? {
        let codingKey = AnyKey(key)
        guard contains(codingKey) else { return nil }
        return try? nestedContainer(keyedBy: AnyKey.self, forKey: codingKey)
    }

    /// A token count at `key`, clamped to `0...InputLimits.maxTokenCount` (a number too large
    /// for `Int`, such as `1e30`, is the maximum); `nil` when absent or not a number.
    func tokenCount(_ key: String) -> Int? {
        if let count = lenient(key, as: Int.self) { return InputLimits.tokenCount(count) }
        guard let number = lenient(key, as: Double.self), let count = Int(saturating: number) else { return nil }
        return InputLimits.tokenCount(count)
    }

    /// A string or number at `key`, as text (error `code` fields are either).
    func stringOrNumber(_ key: String) -> String? {
        if let text = lenient(key, as: String.self) { return text }
        if let number = lenient(key, as: Int.self) { return String(number) }
        return nil
    }
}

/// One `chat.completion.chunk` (the fields swiftcoder reads).
struct OpenAIChunk: Decodable {
    var choices: [Choice] = []
    var usage: OpenAIUsage?
    var error: OpenAIErrorBody?

    struct Choice: Decodable {
        var index: Int?
        var delta: Delta?
        var finishReason: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            index = container.lenient("index")
            // A whole (non-streamed) `chat.completion` has `message` where a chunk has `delta`.
            delta = container.lenient("delta") ?? (container.contains(AnyKey("message")) ? container.lenient("message") : nil)
            finishReason = container.lenient("finish_reason")
        }
    }

    struct Delta: Decodable {
        var content: String?
        var reasoningContent: String?
        var reasoning: String?
        /// OpenRouter's structured reasoning (`reasoning.text` / `reasoning.summary` entries).
        var reasoningDetails: [ReasoningDetail]?
        var refusal: String?
        var toolCalls: [ToolCallDelta]?
        /// The legacy (pre-tools) `function_call`: one call, no index.
        var functionCall: ToolCallDelta?

        /// `content` was a string that could not be decoded (a lone surrogate escape such as
        /// `\ud800`): text of the reply would be lost.
        var contentUnreadable = false

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            do {
                content = try container.decodeIfPresent(String.self, forKey: AnyKey("content"))
            } catch DecodingError.typeMismatch {
                content = nil // another type (servers disagree): ignored, as every lenient field
            } catch {
                contentUnreadable = true // the string itself is broken (JSONError)
            }
            reasoningContent = container.lenient("reasoning_content")
            reasoning = container.lenient("reasoning")
            if container.contains(AnyKey("reasoning_details")) { reasoningDetails = container.lenient("reasoning_details") }
            refusal = container.lenient("refusal")
            toolCalls = container.lenient("tool_calls")
            if container.contains(AnyKey("function_call")), let call = container.nested("function_call") {
                functionCall = ToolCallDelta(index: 0, id: nil, name: call.lenient("name"),
                                             arguments: call.lenient("arguments"))
            }
        }

        /// The reasoning text: `reasoning_content` (DeepSeek, llama.cpp, xAI), `reasoning`
        /// (OpenRouter, Groq), else the text of `reasoning_details` (which OpenRouter sends
        /// alongside `reasoning` as a duplicate, so it is read only when that is absent).
        var reasoningText: String? {
            if let text = reasoningContent, !text.isEmpty { return text }
            if let text = reasoning, !text.isEmpty { return text }
            let details = (reasoningDetails ?? []).compactMap(\.text).joined()
            return details.isEmpty ? nil : details
        }

        /// `tool_calls`, or the legacy `function_call` as call 0 when there are none
        /// (llama-cpp-python sends both: the list wins).
        var effectiveToolCalls: [ToolCallDelta] {
            if let toolCalls, !toolCalls.isEmpty { return toolCalls }
            return functionCall.map { [$0] } ?? []
        }
    }

    /// One `reasoning_details` entry; encrypted entries carry no readable text.
    struct ReasoningDetail: Decodable {
        var text: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            switch container.lenient("type", as: String.self) {
            case "reasoning.text"?: text = container.lenient("text")
            case "reasoning.summary"?: text = container.lenient("summary")
            default: text = nil
            }
        }
    }

    struct ToolCallDelta: Decodable {
        var index: Int?
        var id: String?
        var name: String?
        var arguments: String?

        init(index: Int?, id: String?, name: String?, arguments: String?) {
            self.index = index
            self.id = id
            self.name = name
            self.arguments = arguments
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            index = container.lenient("index")
            id = container.lenient("id")
            if let function = container.nested("function") {
                name = function.lenient("name")
                arguments = function.lenient("arguments")
            }
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        choices = container.lenient("choices") ?? []
        error = container.lenient("error")
        usage = container.lenient("usage")
        if usage == nil, let groq = container.nested("x_groq") {
            usage = groq.lenient("usage")
        }
    }
}

/// `usage` as OpenAI, DeepSeek, OpenRouter, Groq, Together, LiteLLM, xAI and llama.cpp send it.
/// (`cost` is read separately, exactly: see `OpenAIChunkDecoder.reportedCost`.)
struct OpenAIUsage: Decodable {
    var promptTokens: Int?
    var completionTokens: Int?
    var totalTokens: Int?
    var cachedTokens: Int?
    var cacheWriteTokens: Int?
    var reasoningTokens: Int?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        promptTokens = container.tokenCount("prompt_tokens")
        completionTokens = container.tokenCount("completion_tokens")
        totalTokens = container.tokenCount("total_tokens")
        if let details = container.nested("prompt_tokens_details") {
            cachedTokens = details.tokenCount("cached_tokens")
            cacheWriteTokens = details.tokenCount("cache_write_tokens") ?? details.tokenCount("cache_creation_tokens")
        }
        // Together: top-level `cached_tokens`; DeepSeek: `prompt_cache_hit_tokens`;
        // Anthropic-style (LiteLLM): `cache_read_input_tokens` / `cache_creation_input_tokens`.
        cachedTokens = cachedTokens ?? container.tokenCount("cached_tokens")
            ?? container.tokenCount("prompt_cache_hit_tokens") ?? container.tokenCount("cache_read_input_tokens")
        cacheWriteTokens = cacheWriteTokens ?? container.tokenCount("cache_creation_input_tokens")
        if let details = container.nested("completion_tokens_details") {
            reasoningTokens = details.tokenCount("reasoning_tokens")
        }
    }

    var tokenUsage: TokenUsage {
        TokenUsage(inputTokens: promptTokens ?? 0, outputTokens: outputTokens,
                   cachedInputTokens: cachedTokens ?? 0, cacheWriteTokens: cacheWriteTokens ?? 0,
                   reasoningTokens: reasoningTokens ?? 0)
    }

    /// Output tokens with reasoning included (`TokenUsage`'s convention). OpenAI's
    /// `completion_tokens` already includes `reasoning_tokens`; xAI's does not, which shows
    /// only in `total_tokens` (prompt 291 + completion 26 + reasoning 196 = total 513). So
    /// reasoning is added when the total says exactly that and not the OpenAI sum.
    var outputTokens: Int {
        let completion = completionTokens ?? 0
        guard let prompt = promptTokens, let total = totalTokens, let reasoning = reasoningTokens, reasoning > 0,
              total != prompt + completion, total == prompt + completion + reasoning else { return completion }
        return completion + reasoning
    }
}

/// An error object: OpenAI `{"message","type","param","code"}` (code a string, number or
/// null), or a bare string as Ollama sends (`{"error": "..."}`).
struct OpenAIErrorBody: Decodable {
    var message: String?
    var type: String?
    var code: String?

    init(message: String?, type: String? = nil, code: String? = nil) {
        self.message = message
        self.type = type
        self.code = code
    }

    init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            message = text
            return
        }
        let container = try decoder.container(keyedBy: AnyKey.self)
        message = container.lenient("message") ?? container.lenient("msg")
        type = container.lenient("type")
        code = container.stringOrNumber("code") ?? container.stringOrNumber("status_code")
    }
}

/// Any JSON error document: `{"error": ...}`, `{"detail": "..."}` (FastAPI: a string or
/// a list of `{"msg"}`), `{"message": "..."}`, or the error object itself.
struct OpenAIErrorDocument: Decodable {
    var error: OpenAIErrorBody?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        if let body: OpenAIErrorBody = container.lenient("error") {
            error = body
        } else if let detail: String = container.lenient("detail") {
            error = OpenAIErrorBody(message: detail)
        } else if let details: [OpenAIErrorBody] = container.lenient("detail") {
            error = OpenAIErrorBody(message: details.compactMap(\.message).joined(separator: "; "))
        } else if let body = try? OpenAIErrorBody(from: decoder), body.message != nil {
            error = body
        }
    }
}
