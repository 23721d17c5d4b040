import AgentCore
import FoundationEssentials

/// A provider speaking Ollama's native API (`/api/chat` NDJSON streaming, `/api/tags`,
/// `/api/show`) over an `HTTPTransport`.
///
/// The native API is used instead of Ollama's `/v1` route because it takes
/// `options.num_ctx`: without it Ollama silently cuts long prompts to a small default
/// context (tool calling then "breaks"). `num_ctx` is sent only when the config sets
/// `contextWindow`: the model's maximum (from `/api/show`) can need far more memory for
/// the KV cache than the machine has, so it is not applied on the user's behalf.
public struct OllamaProvider: LLMProvider {
    /// The configured entry.
    public let config: ProviderConfig
    /// The entry's name (the key in `agents.config.json`).
    public var name: String { config.name }
    /// The server root without a trailing slash or `/v1` (e.g. `http://localhost:11434`).
    public let baseURL: String
    /// Seconds allowed to connect.
    public var connectTimeout: Double
    /// Seconds without any received byte before a request fails as timed out (model
    /// loading counts as silence, so the local default is long).
    public var idleTimeout: Double
    /// How many `/api/show` requests `listModels` runs at once.
    public var maxConcurrentShows = 4
    /// When failed chat requests are repeated (only before any reply byte has arrived).
    public var retryPolicy: RetryPolicy
    /// Returns a number in `0..<1` for the retry jitter (tests substitute a fixed one).
    public var randomUnit: @Sendable () -> Double = { Double.random(in: 0..<1) }
    private let transport: any HTTPTransport

    /// - Parameters:
    ///   - baseURL: overrides `config.apiBase`; a trailing `/v1` or `/api` is removed.
    ///   - transport: libcurl unless a test substitutes its own.
    public init(config: ProviderConfig, baseURL: String? = nil, transport: any HTTPTransport = CurlTransport()) {
        self.config = config
        self.baseURL = Self.nativeBaseURL(baseURL ?? config.apiBase)
        self.transport = transport
        // As for the other local servers: a machine busy running a model can be slow to accept.
        connectTimeout = ProviderPresets.connectTimeout(for: config)
        idleTimeout = ProviderPresets.idleTimeout(for: config)
        retryPolicy = RetryPolicy(config: config)
    }

    /// The server root for `base`: Ollama's default when empty, without a trailing slash,
    /// `/v1` (the OpenAI-compatible route) or `/api`.
    public static func nativeBaseURL(_ base: String) -> String {
        var root = base.isEmpty ? (ProviderKind.ollama.defaultBaseURL ?? "") : base
        while root.hasSuffix("/") { root.removeLast() }
        for suffix in ["/v1", "/api"] where root.hasSuffix(suffix) { root.removeLast(suffix.count) }
        while root.hasSuffix("/") { root.removeLast() }
        return root
    }

    /// `POST`: the streamed chat reply (NDJSON).
    public var chatURL: String { baseURL + "/api/chat" }
    /// `GET`: the installed models.
    public var tagsURL: String { baseURL + "/api/tags" }
    /// `POST`: one model's details (context length, capabilities).
    public var showURL: String { baseURL + "/api/show" }

    /// Streams one reply from `/api/chat`; ends with exactly one `.finish` or `.error`.
    /// Failures before any reply byte are retried as `retryPolicy` allows (with a `.notice`
    /// before each wait). Cancelling the consuming task aborts the transfer.
    public func chatStream(_ request: ChatRequest) -> AsyncStream<ProviderEvent> {
        let provider = name
        return RetryingChatStream.stream(transport: transport, provider: name, policy: retryPolicy,
                                         randomUnit: randomUnit, scrubber: scrubber,
                                         build: { () throws(ProviderError) in try makeChatRequest(request) }) {
            NDJSONChatBody(provider: provider, url: $0.url)
        }
    }

    /// The models from `GET /api/tags`, each enriched by `/api/show` (context window, tool
    /// support, `completion` for streaming chat) with at most `maxConcurrentShows` requests at
    /// once. A model whose `/api/show` fails is still listed, with unknown details (streaming
    /// filled by `ModelMetadata.fillingStreaming`).
    public func listModels() async throws(ProviderError) -> [ModelInfo] {
        let response = try await fetch(HTTPRequest(method: "GET", url: tagsURL,
                                                   headers: commonHeaders(accept: "application/json")))
        guard let list = try? JSONDecoder().decode(OllamaTagList.self, from: Data(response.body)) else {
            throw badResponse(response, url: tagsURL, expected: #"{"models": [{"name": ...}]}"#)
        }
        return await enriched(list.ids).map(ModelMetadata.fillingStreaming)
    }

    /// One model's details from `POST /api/show`: the context window from
    /// `model_info["<arch>.context_length"]`, tool support from `capabilities`.
    public func showModel(_ id: String) async throws(ProviderError) -> ModelInfo {
        var headers = commonHeaders(accept: "application/json")
        headers.append(("Content-Type", "application/json"))
        let body = (try? JSONEncoder().encode(["model": id])).map { Array($0) } ?? []
        let response = try await fetch(HTTPRequest(method: "POST", url: showURL, headers: headers, body: body))
        guard let show = try? JSONDecoder().decode(OllamaShowResponse.self, from: Data(response.body)) else {
            throw badResponse(response, url: showURL, expected: #"{"model_info": {...}, "capabilities": [...]}"#)
        }
        return show.modelInfo(id: id)
    }

    /// The HTTP request `chatStream` sends (exposed so a retry layer can reuse it).
    public func makeChatRequest(_ request: ChatRequest) throws(ProviderError) -> HTTPRequest {
        guard !baseURL.isEmpty else {
            throw ProviderError(kind: .notConfigured, provider: name, url: "", detail: "no API base URL")
        }
        let body: [UInt8]
        do {
            body = try OllamaChatBody(request: request, contextWindow: config.contextWindow).encoded()
        } catch {
            throw ProviderError(kind: .badRequest, provider: name, url: chatURL,
                                detail: "could not encode the request: \(error)")
        }
        var headers = commonHeaders(accept: "application/x-ndjson")
        if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append(("Content-Type", "application/json"))
        }
        return HTTPRequest(method: "POST", url: chatURL, headers: headers, body: body,
                           connectTimeout: connectTimeout, idleTimeout: idleTimeout)
    }

    /// `showModel` for every id, at most `maxConcurrentShows` at a time, in `ids` order.
    private func enriched(_ ids: [String]) async -> [ModelInfo] {
        var infos = ids.map { ModelInfo(id: $0) }
        await withTaskGroup(of: (Int, ModelInfo?).self) { group in
            var next = 0
            func startNext() {
                guard next < ids.count else { return }
                let position = next
                let id = ids[position]
                next += 1
                group.addTask { (position, try? await showModel(id)) }
            }
            for _ in 0..<max(1, maxConcurrentShows) { startNext() }
            while let (position, info) = await group.next() {
                if let info { infos[position] = info }
                startNext()
            }
        }
        return infos
    }

    /// Sends a short request and returns its 2xx response; errors are classified and scrubbed.
    private func fetch(_ request: HTTPRequest) async throws(ProviderError) -> HTTPResponse {
        var request = request
        request.connectTimeout = connectTimeout
        request.idleTimeout = min(idleTimeout, 30)
        request.totalTimeout = 60
        let response: HTTPResponse
        switch await transport.send(request) {
        case .failure(let failure):
            throw scrub(ErrorClassifier.transportError(failure, streaming: false, provider: name, url: request.url))
        case .success(let value):
            response = value
        }
        guard (200..<300).contains(response.status) else {
            throw scrub(ErrorClassifier.httpError(status: response.status, headers: response.headers,
                                                  body: response.body, provider: name, url: request.url))
        }
        return response
    }

    private func badResponse(_ response: HTTPResponse, url: String, expected: String) -> ProviderError {
        scrub(ProviderError(kind: .badResponse, provider: name, url: url, httpStatus: response.status,
                            detail: "expected \(expected), got: "
                                + ErrorClassifier.clip(String(response.bodyText.prefix(200)))))
    }

    private func commonHeaders(accept: String) -> [(name: String, value: String)] {
        config.requestHeaders(accept: accept)
    }

    private var scrubber: SecretScrubber { SecretScrubber(secret: config.apiKey?.value) }

    private func scrub(_ error: ProviderError) -> ProviderError { scrubber.scrub(error) }
}
