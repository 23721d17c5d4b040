import AgentCore
import FoundationEssentials
import Synchronization

/// A provider speaking the OpenAI chat-completions API (OpenAI, OpenRouter, llama.cpp,
/// LM Studio, vLLM, Ollama's `/v1`, ...), streaming over an `HTTPTransport`.
public struct OpenAICompatibleProvider: LLMProvider {
    public let config: ProviderConfig
    public var name: String { config.name }
    /// The API base, without a trailing slash (e.g. `http://127.0.0.1:8080/v1`).
    public let baseURL: String
    /// Seconds allowed to connect.
    public var connectTimeout: Double
    /// Seconds without any received byte before a request fails as timed out.
    public var idleTimeout: Double
    /// When failed requests are repeated (only before any reply byte has arrived).
    public var retryPolicy: RetryPolicy
    /// Returns a number in `0..<1` for the retry jitter (tests substitute a fixed one).
    public var randomUnit: @Sendable () -> Double = { Double.random(in: 0..<1) }
    private let transport: any HTTPTransport

    /// - Parameters:
    ///   - config: the entry; its kind's preset (`ProviderPresets`) is applied to it.
    ///   - baseURL: overrides `config.apiBase` (the factory passes the resolved base).
    ///   - transport: libcurl unless a test substitutes its own.
    ///   - environment: where presets read keys such as `GITHUB_TOKEN` (the process's by default).
    public init(config: ProviderConfig, baseURL: String? = nil, transport: any HTTPTransport = CurlTransport(),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        let config = ProviderPresets.apply(to: config, environment: environment)
        self.config = config
        var base = baseURL ?? config.apiBase
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.transport = transport
        // The preset's base URL counts for the loopback check when the entry gives none.
        var timing = config
        timing.apiBase = base
        connectTimeout = ProviderPresets.connectTimeout(for: timing)
        // `timeoutSeconds` bounds silence, not the whole reply: a long answer may stream for minutes.
        idleTimeout = ProviderPresets.idleTimeout(for: timing)
        retryPolicy = RetryPolicy(config: config)
    }

    public var chatCompletionsURL: String { baseURL + "/chat/completions" }
    public var modelsURL: String { baseURL + "/models" }

    public func chatStream(_ request: ChatRequest) -> AsyncStream<ProviderEvent> {
        let provider = name
        // An empty streamed reply is asked again without streaming, once, to learn why (D157).
        let probe = try? makeChatRequest(request, streaming: false)
        return RetryingChatStream.stream(transport: transport, provider: name, policy: retryPolicy,
                                         randomUnit: randomUnit, scrubber: scrubber, emptyReplyProbe: probe,
                                         build: { () throws(ProviderError) in try makeChatRequest(request) }) {
            SSEChatBody(provider: provider, url: $0.url)
        }
    }

    /// Lists the server's models, retrying transient failures as `retryPolicy` allows, then
    /// adds what the kind's extra endpoints tell (LM Studio `/api/v0/models`, llama.cpp
    /// `/props`). Those extra calls are best-effort: their failure never fails the listing.
    /// Models nothing else describes are marked as streaming (`ModelMetadata.fillingStreaming`).
    public func listModels() async throws(ProviderError) -> [ModelInfo] {
        let models = try await retryPolicy.run(randomUnit: randomUnit) { () async throws(ProviderError) -> [ModelInfo] in
            try await listModelsOnce()
        }
        let configured = config.contextWindow
        return await addingServerMetadata(to: models).map { info in
            var info = ModelMetadata.fillingStreaming(info)
            // The user's `contextWindow` states what the server runs with: it wins.
            if let configured { info.contextWindow = configured }
            return info
        }
    }

    /// `models` enriched from the kind's metadata endpoint, or unchanged when it fails.
    private func addingServerMetadata(to models: [ModelInfo]) async -> [ModelInfo] {
        let root = ModelMetadata.serverRoot(of: baseURL)
        switch config.kind.descriptor.metadata {
        case .lmStudioModels:
            guard let body = await fetchMetadata(root + "/api/v0/models") else { return models }
            return ModelMetadata.merge(models, with: ModelMetadata.parseLMStudioModels(body))
        case .llamaCppProps:
            guard let body = await fetchMetadata(root + "/props"),
                  let context = ModelMetadata.parseLlamaCppContext(body) else { return models }
            return models.map { var model = $0; model.contextWindow = context; return model }
        case .none:
            return models
        }
    }

    /// One GET without retries; `nil` on any failure or non-2xx status.
    private func fetchMetadata(_ url: String) async -> [UInt8]? {
        let request = HTTPRequest(method: "GET", url: url, headers: commonHeaders(accept: "application/json"),
                                  connectTimeout: connectTimeout, idleTimeout: min(idleTimeout, 15),
                                  totalTimeout: 20)
        guard case .success(let response) = await transport.send(request, maxBodyBytes: 8 << 20),
              (200..<300).contains(response.status) else { return nil }
        return response.body
    }

    private func listModelsOnce() async throws(ProviderError) -> [ModelInfo] {
        let request = HTTPRequest(method: "GET", url: modelsURL, headers: commonHeaders(accept: "application/json"),
                                  connectTimeout: connectTimeout, idleTimeout: min(idleTimeout, 30),
                                  totalTimeout: 60)
        let response: HTTPResponse
        switch await transport.send(request) {
        case .failure(let failure):
            throw scrub(ErrorClassifier.transportError(failure, streaming: false, provider: name, url: modelsURL))
        case .success(let value):
            response = value
        }
        guard (200..<300).contains(response.status) else {
            throw scrub(ErrorClassifier.httpError(status: response.status, headers: response.headers,
                                                  body: response.body, provider: name, url: modelsURL))
        }
        guard let models = ModelMetadata.parseModelList(response.body) else {
            throw scrub(ProviderError(kind: .badResponse, provider: name, url: modelsURL, httpStatus: response.status,
                                      detail: "expected {\"data\": [{\"id\": ...}]}, got: "
                                          + ErrorClassifier.clip(String(response.bodyText.prefix(200)))))
        }
        return models
    }

    /// The HTTP request `chatStream` sends (exposed so a retry layer can reuse it).
    /// - Parameter streaming: false for one whole reply (`"stream": false`, no `stream_options`).
    public func makeChatRequest(_ request: ChatRequest, streaming: Bool = true) throws(ProviderError) -> HTTPRequest {
        guard !baseURL.isEmpty else {
            throw ProviderError(kind: .notConfigured, provider: name, url: "", detail: "no API base URL")
        }
        var request = request
        // The configured cap, unless the caller set one: a model that never ends must stop.
        if request.maxOutputTokens == nil { request.maxOutputTokens = config.outputLimits.limit(for: request.model) }
        let body: [UInt8]
        do {
            body = try OpenAIChatBody(request: request, usesMaxCompletionTokens: config.kind.descriptor.usesMaxCompletionTokens,
                                      streaming: streaming).encoded()
        } catch {
            throw ProviderError(kind: .badRequest, provider: name, url: chatCompletionsURL,
                                detail: "could not encode the request: \(error)")
        }
        var headers = commonHeaders(accept: streaming ? "text/event-stream" : "application/json")
        if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append(("Content-Type", "application/json"))
        }
        return HTTPRequest(method: "POST", url: chatCompletionsURL, headers: headers, body: body,
                           connectTimeout: connectTimeout, idleTimeout: idleTimeout)
    }

    private func commonHeaders(accept: String) -> [(name: String, value: String)] {
        config.requestHeaders(accept: accept)
    }

    private var scrubber: SecretScrubber { SecretScrubber(secrets: config.secrets) }

    private func scrub(_ error: ProviderError) -> ProviderError { scrubber.scrub(error) }
}

/// Removes the provider's secrets (the API key, header values, credentials in the URL) from
/// error text, should a server or curl echo them back.
struct SecretScrubber: Sendable {
    let redactor: SecretRedactor

    init(secrets: [String]) {
        redactor = SecretRedactor(secrets: secrets)
    }

    init(secret: String?) {
        self.init(secrets: secret.map { [$0] } ?? [])
    }

    func scrub(_ event: ProviderEvent) -> ProviderEvent {
        if case .error(let error) = event { return .error(scrub(error)) }
        return event
    }

    func scrub(_ error: ProviderError) -> ProviderError {
        guard !redactor.secrets.isEmpty else { return error }
        var clean = error
        clean.serverMessage = clean.serverMessage.map(redactor.redact)
        clean.detail = clean.detail.map(redactor.redact)
        clean.url = redactor.redact(clean.url)
        return clean
    }
}
