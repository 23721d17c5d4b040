import AgentCore
import FoundationEssentials
import Synchronization

/// A provider speaking Ollama's native API (`/api/chat` NDJSON streaming, `/api/tags`,
/// `/api/show`) over an `HTTPTransport`.
///
/// The native API is used instead of Ollama's `/v1` route because it takes
/// `options.num_ctx`: without it Ollama silently cuts long prompts to its small default
/// context (2-4K: tool calling then "breaks"). `num_ctx` is the config's `contextWindow`
/// when set; otherwise the model's context length from `/api/show`, at most
/// `defaultContextCap` (the model's maximum, often 128K, can need more memory for the KV
/// cache than the machine has). `/api/show` is asked once per model and server (before the
/// first chat request when no listing asked it yet) and the answer is kept (D37).
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
    /// The largest `num_ctx` sent on the user's behalf when the config sets no
    /// `contextWindow`: enough for tool prompts, small enough for the KV cache of a
    /// laptop (D37).
    public static let defaultContextCap = 32_768
    /// Context lengths `/api/show` reported, by server and model, shared by every instance:
    /// the start-up listing (a probe) and the chat provider are different values.
    static let contextLengths = ContextLengthCache()
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
    /// The first request for a model whose context length is not known yet asks `/api/show`
    /// first (its failure only means no `num_ctx`), relaying the stream's events.
    public func chatStream(_ request: ChatRequest) -> AsyncStream<ProviderEvent> {
        guard config.contextWindow == nil, Self.contextLengths.lookup(server: baseURL, model: request.model) == nil else {
            return stream(request)
        }
        let (relay, continuation) = AsyncStream.makeStream(of: ProviderEvent.self, bufferingPolicy: .unbounded)
        let task = Task {
            do {
                _ = try await showModel(request.model) // fills `contextLengths`
            } catch {
                // Asked once: later requests go without `num_ctx` instead of asking before each
                // one (a refresh of the model list asks again).
                Self.contextLengths.store(nil, server: baseURL, model: request.model)
            }
            // Cancelled while asking: no chat request is started at all.
            if !Task.isCancelled {
                for await event in stream(request) { continuation.yield(event) }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return relay
    }

    private func stream(_ request: ChatRequest) -> AsyncStream<ProviderEvent> {
        let provider = name
        return RetryingChatStream.stream(transport: transport, provider: name, policy: retryPolicy,
                                         randomUnit: randomUnit, scrubber: scrubber,
                                         build: { () throws(ProviderError) in try makeChatRequest(request) }) {
            NDJSONChatBody(provider: provider, url: $0.url)
        }
    }

    /// The `num_ctx` a request for `model` carries: the configured `contextWindow`, else the
    /// model's context length (once `/api/show` told it) up to `defaultContextCap`, else none.
    public func contextWindow(for model: String) -> Int? {
        if let configured = config.contextWindow { return configured }
        guard case .known(let length?)? = Self.contextLengths.lookup(server: baseURL, model: model) else { return nil }
        return min(length, Self.defaultContextCap)
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
        // Each model is listed with the context it will run with (its `num_ctx`), which is
        // what the meter's context bar must measure against, not the model's maximum.
        return await enriched(list.ids).map { info in
            var info = ModelMetadata.fillingStreaming(info)
            if let window = contextWindow(for: info.id) { info.contextWindow = window }
            return info
        }
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
        Self.contextLengths.store(show.contextLength, server: baseURL, model: id)
        return show.modelInfo(id: id)
    }

    /// The HTTP request `chatStream` sends (exposed so a retry layer can reuse it).
    public func makeChatRequest(_ request: ChatRequest) throws(ProviderError) -> HTTPRequest {
        guard !baseURL.isEmpty else {
            throw ProviderError(kind: .notConfigured, provider: name, url: "", detail: "no API base URL")
        }
        var request = request
        // The configured cap (`options.num_predict`), unless the caller set one.
        if request.maxOutputTokens == nil { request.maxOutputTokens = config.outputLimits.limit(for: request.model) }
        let body: [UInt8]
        do {
            body = try OllamaChatBody(request: request, contextWindow: contextWindow(for: request.model)).encoded()
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

    private var scrubber: SecretScrubber { SecretScrubber(secrets: config.secrets) }

    private func scrub(_ error: ProviderError) -> ProviderError { scrubber.scrub(error) }
}

/// What `/api/show` said about each model's context length, by server and model. `nil`
/// from `lookup`: not asked yet; `.known(nil)`: asked, and the server gave no length or
/// answered with an error (a model-list refresh asks again).
final class ContextLengthCache: Sendable {
    enum Entry: Sendable, Hashable { case known(Int?) }
    private let entries = Mutex<[String: Int?]>([:])

    func lookup(server: String, model: String) -> Entry? {
        entries.withLock { entries in entries[Self.key(server, model)].map(Entry.known) }
    }

    func store(_ length: Int?, server: String, model: String) {
        entries.withLock { $0[Self.key(server, model)] = .some(length) }
    }

    private static func key(_ server: String, _ model: String) -> String { server + "\u{0}" + model }
}
