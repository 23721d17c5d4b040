import FoundationEssentials

/// What a provider knows about one model. Unknown values stay `nil`.
public struct ModelInfo: Sendable, Hashable, Codable {
    public var id: String
    public var contextWindow: Int?
    public var maxOutputTokens: Int?
    /// `nil` when the provider does not say.
    public var supportsTools: Bool?
    /// Whether the model streams chat replies: `false` for embedding models, `nil` when
    /// nothing tells (see `ModelMetadata.fillingStreaming`).
    public var supportsStreaming: Bool?
    /// Prices, when the provider publishes them (OpenRouter). `nil` means unknown, not free.
    public var pricing: ModelPricing?
    /// Whether the model is loaded in memory right now (LM Studio); `nil` when unknown.
    public var isLoaded: Bool?
    /// The server's model category, e.g. `llm`, `vlm`, `embeddings` (LM Studio); `nil` when unknown.
    public var modelType: String?

    public init(id: String, contextWindow: Int? = nil, maxOutputTokens: Int? = nil, supportsTools: Bool? = nil,
                supportsStreaming: Bool? = nil, pricing: ModelPricing? = nil, isLoaded: Bool? = nil,
                modelType: String? = nil) {
        self.id = id
        // A context or output limit outside 1...InputLimits.maxContextTokens is unknown (D50).
        self.contextWindow = InputLimits.contextTokens(contextWindow)
        self.maxOutputTokens = InputLimits.contextTokens(maxOutputTokens)
        self.supportsTools = supportsTools
        self.supportsStreaming = supportsStreaming
        self.pricing = pricing
        self.isLoaded = isLoaded
        self.modelType = modelType
    }
}

/// A model's price in USD per million tokens, by kind of token. A `nil` rate is unknown (not
/// free); free is `0`. Cached-input, cache-write and reasoning rates fall back to the input and
/// output rates when a source does not give them (see the `Pricing` module).
public struct ModelPricing: Sendable, Hashable, Codable {
    public var inputPerMillion: Decimal?
    public var outputPerMillion: Decimal?
    public var cachedInputPerMillion: Decimal?
    public var cacheWritePerMillion: Decimal?
    public var reasoningPerMillion: Decimal?

    public init(inputPerMillion: Decimal? = nil, outputPerMillion: Decimal? = nil,
                cachedInputPerMillion: Decimal? = nil, cacheWritePerMillion: Decimal? = nil,
                reasoningPerMillion: Decimal? = nil) {
        // A NaN rate or one above InputLimits.maxPricePerMillion is unknown (D50).
        self.inputPerMillion = InputLimits.rate(inputPerMillion)
        self.outputPerMillion = InputLimits.rate(outputPerMillion)
        self.cachedInputPerMillion = InputLimits.rate(cachedInputPerMillion)
        self.cacheWritePerMillion = InputLimits.rate(cacheWritePerMillion)
        self.reasoningPerMillion = InputLimits.rate(reasoningPerMillion)
    }
}

/// The contract every backend implements, local server or cloud API alike.
public protocol LLMProvider: Sendable {
    /// The configured name (the key in `agents.config.json`).
    var name: String { get }
    /// The base URL requests go to, for messages and the sidebar.
    var baseURL: String { get }

    /// Streams one reply. The stream ends after one `.finish` or `.error` event;
    /// cancelling the consuming task aborts the transfer.
    func chatStream(_ request: ChatRequest) -> AsyncStream<ProviderEvent>

    /// Lists the models the server offers right now.
    func listModels() async throws(ProviderError) -> [ModelInfo]

    /// What the provider knows about one model (at least its id, when it is not listed).
    func modelInfo(id: String) async throws(ProviderError) -> ModelInfo

    /// Whether the server answers right now (never throws; `false` on any failure).
    func isAvailable() async -> Bool
}

extension LLMProvider {
    /// Default: the listed entry with this id, else a bare `ModelInfo(id:)`.
    public func modelInfo(id: String) async throws(ProviderError) -> ModelInfo {
        try await listModels().first { $0.id == id } ?? ModelInfo(id: id)
    }

    /// Default: whether `listModels()` succeeds.
    public func isAvailable() async -> Bool {
        do {
            _ = try await listModels()
            return true
        } catch {
            return false
        }
    }
}

extension LLMProvider {
    /// Collects a whole reply: its text, tool calls, usage and finish reason.
    public func chat(_ request: ChatRequest) async throws(ProviderError) -> ChatReply {
        var reply = ChatReply()
        for await event in chatStream(request) {
            if case .error(let error) = event { throw error }
            reply.apply(event)
        }
        return reply
    }
}

/// A whole reply assembled from a provider's events.
public struct ChatReply: Sendable, Hashable {
    public var text = ""
    public var reasoning = ""
    public var toolCalls: [Int: ToolCall] = [:]
    public var usage: TokenUsage?
    public var finishReason: FinishReason?
    /// The one running estimate of what the reply has generated so far (text, reasoning, tool
    /// names and arguments, `UsageEstimator`): the meter's live `~N` and the usage recorded for
    /// a request whose server reported none (D180).
    public private(set) var outputEstimate = UsageEstimator.Tally()

    public init() {}

    /// Folds one event into the reply.
    public mutating func apply(_ event: ProviderEvent) {
        switch event {
        case .textDelta(let text):
            self.text += text
            outputEstimate.add(text)
        case .reasoningDelta(let text):
            reasoning += text
            outputEstimate.add(text)
        case .toolCallStart(let index, let id, let name):
            toolCalls[index] = ToolCall(id: id, name: name, arguments: "")
            outputEstimate.add(name)
        case .toolCallArgumentsDelta(let index, let fragment):
            toolCalls[index, default: ToolCall(id: "", name: "", arguments: "")].arguments += fragment
            outputEstimate.add(fragment)
        case .toolCallEnd, .notice, .attemptFailed: break
        case .usage(let usage): self.usage = usage
        case .finish(let reason): finishReason = reason
        case .error: break
        }
    }
}

extension Array where Element == ModelInfo {
    /// The model to use when none was chosen: the first that can stream a chat (an
    /// embedding model listed first is passed over), else the first.
    public var preferredChatModel: ModelInfo? { first { $0.supportsStreaming != false } ?? first }
}
