import AgentCore
import FoundationEssentials

/// Reads model metadata from the shapes OpenAI-compatible servers answer with.
/// Every parser is lenient: an unreadable field is `nil`, never an error.
public enum ModelMetadata {
    /// Parses a `/models` body: OpenAI `{"data": [{"id"}]}` plus the extras some servers add
    /// (`context_length` OpenRouter, `context_window` Groq and others, `max_model_len` vLLM,
    /// `max_context_length` LM Studio, `top_provider.max_completion_tokens`, `supported_parameters`,
    /// `pricing.prompt`/`completion`/`input_cache_read`/`input_cache_write`/`internal_reasoning`
    /// in USD per token). `nil` when the body is not a list.
    public static func parseModelList(_ body: [UInt8]) -> [ModelInfo]? {
        (try? JSONDecoder().decode(ModelListBody.self, from: Data(body)))?.models
    }

    /// Parses LM Studio's `GET /api/v0/models`: `max_context_length`, `state`, `type` per id.
    public static func parseLMStudioModels(_ body: [UInt8]) -> [ModelInfo] {
        (try? JSONDecoder().decode(ModelListBody.self, from: Data(body)))?.models ?? []
    }

    /// Reads the context size from llama.cpp's `GET /props`
    /// (`default_generation_settings.n_ctx`, else a top-level `n_ctx`).
    public static func parseLlamaCppContext(_ body: [UInt8]) -> Int? {
        guard let props = try? JSONDecoder().decode(LlamaCppProps.self, from: Data(body)) else { return nil }
        return InputLimits.contextTokens(props.contextSize)
    }

    /// Converts an OpenRouter price (USD per token, a string such as `"0.000003"`, or a number)
    /// to USD per million tokens, exactly. `"-1"` (router models) or any negative or unreadable
    /// value is unknown: `nil`. `"0"` is free: `0`.
    public static func perMillion(fromPerToken text: String) -> Decimal? {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty, let value = Decimal(string: trimmed), !value.isNaN, value >= 0 else { return nil }
        return value * Decimal(1_000_000)
    }

    /// `models` with the fields of `extra` filled in where `models` has none (matched by id).
    /// `isLoaded` and `modelType` from `extra` always win: they describe the server's current state.
    public static func merge(_ models: [ModelInfo], with extra: [ModelInfo]) -> [ModelInfo] {
        let byID = Dictionary(extra.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return models.map { model in
            guard let more = byID[model.id] else { return model }
            var merged = model
            merged.contextWindow = model.contextWindow ?? more.contextWindow
            merged.maxOutputTokens = model.maxOutputTokens ?? more.maxOutputTokens
            merged.supportsTools = model.supportsTools ?? more.supportsTools
            merged.supportsStreaming = model.supportsStreaming ?? more.supportsStreaming
            merged.pricing = model.pricing ?? more.pricing
            merged.isLoaded = more.isLoaded ?? model.isLoaded
            merged.modelType = more.modelType ?? model.modelType
            return merged
        }
    }

    /// `model` with `supportsStreaming` filled where the server said nothing: both wire
    /// formats swiftcoder speaks stream chat replies, so `true`, except for models whose type
    /// or id says embeddings (`text-embedding-3-small`, `nomic-embed-text`), which cannot chat.
    public static func fillingStreaming(_ model: ModelInfo) -> ModelInfo {
        guard model.supportsStreaming == nil else { return model }
        var filled = model
        filled.supportsStreaming = !(isEmbeddingType(model.modelType) || model.id.lowercased().contains("embed"))
        return filled
    }

    /// Whether a server's model type (LM Studio `embeddings` / `embedding`) is an embedding model.
    static func isEmbeddingType(_ type: String?) -> Bool {
        guard let type = type?.lowercased() else { return false }
        return type.hasPrefix("embedding")
    }

    /// The server root for non-`/v1` endpoints: `apiBase` without a trailing `/v1`.
    public static func serverRoot(of baseURL: String) -> String {
        var root = baseURL
        while root.hasSuffix("/") { root.removeLast() }
        if root.hasSuffix("/v1") { root.removeLast(3) }
        return root
    }
}

/// A `/models` body: an object with `data` (or `models`), or a bare array.
private struct ModelListBody: Decodable {
    var models: [ModelInfo] = []

    init(from decoder: any Decoder) throws {
        if let entries = try? decoder.singleValueContainer().decode([ModelEntry].self) {
            models = entries.compactMap(\.info)
            return
        }
        let container = try decoder.container(keyedBy: AnyKey.self)
        let entries: [ModelEntry]? = container.lenient("data") ?? container.lenient("models")
        guard let entries else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "no data array"))
        }
        models = entries.compactMap(\.info)
    }
}

/// One entry of a model list; `info` is `nil` when it has no id.
private struct ModelEntry: Decodable {
    var info: ModelInfo?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        // LM Studio's `/api/v1/models` names a model by `key`.
        guard let id: String = container.lenient("id") ?? container.lenient("key") ?? container.lenient("name")
            ?? container.lenient("model")
        else { return }
        let parameters: [String]? = container.lenient("supported_parameters")
        let context: Int? = container.lenient("context_length") ?? container.lenient("context_window")
            ?? container.lenient("max_model_len") ?? container.lenient("max_context_length")
        let maxOutput: Int? = container.nested("top_provider").flatMap { $0.lenient("max_completion_tokens") }
            ?? container.lenient("max_completion_tokens")
        let state: String? = container.lenient("state")
        let type: String? = container.lenient("type")
        info = ModelInfo(id: id, contextWindow: context, maxOutputTokens: maxOutput,
                         supportsTools: parameters.map { $0.contains("tools") },
                         supportsStreaming: Self.streaming(type: type, container: container),
                         pricing: container.nested("pricing").flatMap(Self.pricing),
                         isLoaded: state.map { $0 == "loaded" }, modelType: type)
    }

    /// What the entry tells about streaming: LM Studio's `type` (`llm`/`vlm` stream chat,
    /// embeddings do not), OpenRouter's `architecture.output_modalities` (text output is
    /// streamed); `nil` otherwise.
    private static func streaming(type: String?, container: KeyedDecodingContainer<AnyKey>) -> Bool? {
        if let type = type?.lowercased() {
            if ModelMetadata.isEmbeddingType(type) { return false }
            if type == "llm" || type == "vlm" { return true }
        }
        let outputs: [String]? = container.nested("architecture").flatMap { $0.lenient("output_modalities") }
        return outputs.map { $0.contains("text") }
    }

    /// OpenRouter's `pricing` object; `nil` when neither side is known. Cache reads
    /// (`input_cache_read`), cache writes (`input_cache_write`) and reasoning
    /// (`internal_reasoning`) have their own rates when published; a `"0"` for one of them next
    /// to a paid base rate means "not priced separately" (OpenRouter bills reasoning as output),
    /// so the base rate applies.
    private static func pricing(_ container: KeyedDecodingContainer<AnyKey>) -> ModelPricing? {
        func price(_ key: String) -> Decimal? {
            if let text: String = container.lenient(key) { return ModelMetadata.perMillion(fromPerToken: text) }
            if let number: Double = container.lenient(key) {
                return ModelMetadata.perMillion(fromPerToken: "\(number)")
            }
            return nil
        }
        func extra(_ key: String, over base: Decimal?) -> Decimal? {
            guard let rate = price(key) else { return nil }
            return rate == 0 && (base ?? 0) > 0 ? nil : rate
        }
        let input = price("prompt"), output = price("completion")
        let pricing = ModelPricing(inputPerMillion: input, outputPerMillion: output,
                                   cachedInputPerMillion: extra("input_cache_read", over: input),
                                   cacheWritePerMillion: extra("input_cache_write", over: input),
                                   reasoningPerMillion: extra("internal_reasoning", over: output))
        return pricing.inputPerMillion == nil && pricing.outputPerMillion == nil ? nil : pricing
    }
}

/// The part of llama.cpp's `/props` that matters here.
private struct LlamaCppProps: Decodable {
    var contextSize: Int?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        contextSize = container.nested("default_generation_settings").flatMap { $0.lenient("n_ctx") }
            ?? container.lenient("n_ctx")
    }
}
