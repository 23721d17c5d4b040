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
        connectTimeout = ProviderPresets.connectTimeout(for: config.kind)
        // `timeoutSeconds` bounds silence, not the whole reply: a long answer may stream for minutes.
        idleTimeout = config.timeoutSeconds ?? ProviderPresets.idleTimeout(for: config.kind)
        retryPolicy = RetryPolicy(config: config)
    }

    public var chatCompletionsURL: String { baseURL + "/chat/completions" }
    public var modelsURL: String { baseURL + "/models" }

    public func chatStream(_ request: ChatRequest) -> AsyncStream<ProviderEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: ProviderEvent.self, bufferingPolicy: .unbounded)
        let httpRequest: HTTPRequest
        do {
            httpRequest = try makeChatRequest(request)
        } catch {
            continuation.yield(.error(error))
            continuation.finish()
            return stream
        }
        RetryingChatStream(transport: transport, request: httpRequest, provider: name, policy: retryPolicy,
                           randomUnit: randomUnit, scrubber: scrubber, continuation: continuation,
                           estimatedInputTokens: UsageEstimator.inputTokens(for: request)).begin()
        return stream
    }

    /// Lists the server's models, retrying transient failures as `retryPolicy` allows, then
    /// adds what the kind's extra endpoints tell (LM Studio `/api/v0/models`, llama.cpp
    /// `/props`). Those extra calls are best-effort: their failure never fails the listing.
    public func listModels() async throws(ProviderError) -> [ModelInfo] {
        let models = try await retryPolicy.run(randomUnit: randomUnit) { () async throws(ProviderError) -> [ModelInfo] in
            try await listModelsOnce()
        }
        return await addingServerMetadata(to: models)
    }

    /// `models` enriched from the kind's metadata endpoint, or unchanged when it fails.
    private func addingServerMetadata(to models: [ModelInfo]) async -> [ModelInfo] {
        let root = ModelMetadata.serverRoot(of: baseURL)
        switch config.kind {
        case .lmStudio:
            guard let body = await fetchMetadata(root + "/api/v0/models") else { return models }
            return ModelMetadata.merge(models, with: ModelMetadata.parseLMStudioModels(body))
        case .llamaCpp:
            guard let body = await fetchMetadata(root + "/props"),
                  let context = ModelMetadata.parseLlamaCppContext(body) else { return models }
            return models.map { var model = $0; model.contextWindow = context; return model }
        default:
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
    public func makeChatRequest(_ request: ChatRequest) throws(ProviderError) -> HTTPRequest {
        guard !baseURL.isEmpty else {
            throw ProviderError(kind: .notConfigured, provider: name, url: "", detail: "no API base URL")
        }
        let body: [UInt8]
        do {
            body = try OpenAIChatBody(request: request).encoded()
        } catch {
            throw ProviderError(kind: .badRequest, provider: name, url: chatCompletionsURL,
                                detail: "could not encode the request: \(error)")
        }
        var headers = commonHeaders(accept: "text/event-stream")
        if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append(("Content-Type", "application/json"))
        }
        return HTTPRequest(method: "POST", url: chatCompletionsURL, headers: headers, body: body,
                           connectTimeout: connectTimeout, idleTimeout: idleTimeout)
    }

    /// Authorization (when a key is set), Accept, then the configured extra headers.
    private func commonHeaders(accept: String) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        if let key = config.apiKey?.value, !key.isEmpty { headers.append(("Authorization", "Bearer \(key)")) }
        headers.append(("Accept", accept))
        for (name, value) in config.headers.sorted(by: { $0.key < $1.key }) {
            headers.removeAll { $0.name.lowercased() == name.lowercased() }
            headers.append((name, value))
        }
        return headers
    }

    private var scrubber: SecretScrubber { SecretScrubber(secret: config.apiKey?.value) }

    private func scrub(_ error: ProviderError) -> ProviderError { scrubber.scrub(error) }
}

/// Holds a transfer's reader for the transport callback (a `Mutex` cannot be captured).
final class ReaderBox: Sendable {
    let state: Mutex<ChatStreamReader>
    init(_ reader: ChatStreamReader) { state = Mutex(reader) }
}

/// Removes the API key from error text, should a server echo it back.
struct SecretScrubber: Sendable {
    let secret: String?

    func scrub(_ event: ProviderEvent) -> ProviderEvent {
        if case .error(let error) = event { return .error(scrub(error)) }
        return event
    }

    func scrub(_ error: ProviderError) -> ProviderError {
        guard let secret, secret.count >= 4 else { return error }
        var clean = error
        clean.serverMessage = clean.serverMessage?.replacing(secret, with: "<redacted>")
        clean.detail = clean.detail?.replacing(secret, with: "<redacted>")
        clean.url = clean.url.replacing(secret, with: "<redacted>")
        return clean
    }
}

/// The per-transfer state machine: HTTP status handling, SSE parsing, chunk decoding.
struct ChatStreamReader {
    /// Bytes of a non-2xx body kept for the error message.
    static let maxErrorBody = 64 << 10

    private let provider: String
    private let url: String
    private var parser = SSEParser()
    private var decoder: OpenAIChunkDecoder
    private var status = 0
    private var headers: [String: String] = [:]
    private var errorBody: [UInt8]?
    /// The start of a 2xx body, to explain a reply that was not an SSE stream.
    private var bodyPrefix: [UInt8] = []
    private var bodyBytes = 0
    private(set) var isDone = false
    /// Whether any byte of a 2xx body has arrived (after which a request is never repeated).
    var hasStreamedBody: Bool { bodyBytes > 0 }

    /// - Parameter estimatedInputTokens: the prompt-side figure of the usage estimate sent
    ///   when the server reports no usage (0 when unknown).
    init(provider: String, url: String, estimatedInputTokens: Int = 0) {
        self.provider = provider
        self.url = url
        decoder = OpenAIChunkDecoder(provider: provider, url: url)
        decoder.estimatesMissingUsage = true
        decoder.estimatedInputTokens = estimatedInputTokens
    }

    mutating func handle(_ event: TransportEvent) -> [ProviderEvent] {
        guard !isDone else { return [] }
        switch event {
        case .response(let status, let headers):
            self.status = status
            self.headers = headers
            if !(200..<300).contains(status) { errorBody = [] }
            return []
        case .bytes(let bytes):
            if errorBody != nil {
                errorBody!.append(contentsOf: bytes.prefix(Self.maxErrorBody - errorBody!.count))
                return []
            }
            bodyBytes += bytes.count
            if bodyPrefix.count < 4096 { bodyPrefix += bytes.prefix(4096 - bodyPrefix.count) }
            return Self.coalesced(decode(parser.feed(bytes)))
        case .end:
            return end()
        case .failure(let failure):
            isDone = true
            if failure.kind == .cancelled { return [] }
            if let errorBody, status != 0 {
                return [.error(ErrorClassifier.httpError(status: status, headers: headers, body: errorBody,
                                                         provider: provider, url: url))]
            }
            return [.error(ErrorClassifier.transportError(failure, streaming: status != 0,
                                                          provider: provider, url: url))]
        }
    }

    /// Merges adjacent deltas of one network read (same text, fewer events). Each event
    /// handed to a waiting consumer costs a thread wake-up: measured on a 2,000-token
    /// burst, per-token events cost ~2.5 futex calls each and about 40 ms of CPU.
    static func coalesced(_ events: [ProviderEvent]) -> [ProviderEvent] {
        guard events.count > 1 else { return events }
        var merged: [ProviderEvent] = []
        merged.reserveCapacity(events.count)
        for event in events {
            switch (merged.last, event) {
            case (.textDelta(let head)?, .textDelta(let tail)):
                merged[merged.count - 1] = .textDelta(head + tail)
            case (.reasoningDelta(let head)?, .reasoningDelta(let tail)):
                merged[merged.count - 1] = .reasoningDelta(head + tail)
            case (.toolCallArgumentsDelta(let index, let head)?, .toolCallArgumentsDelta(let next, let tail))
                where index == next:
                merged[merged.count - 1] = .toolCallArgumentsDelta(index: index, fragment: head + tail)
            default:
                merged.append(event)
            }
        }
        return merged
    }

    private mutating func decode(_ sseEvents: [SSEEvent]) -> [ProviderEvent] {
        var events: [ProviderEvent] = []
        for sseEvent in sseEvents {
            events += decoder.consume(sseEvent)
            if decoder.isDone {
                isDone = true
                break
            }
        }
        return events
    }

    private mutating func end() -> [ProviderEvent] {
        if let errorBody {
            isDone = true
            return [.error(ErrorClassifier.httpError(status: status, headers: headers, body: errorBody,
                                                     provider: provider, url: url))]
        }
        var events = decode(parser.finish())
        if isDone { return events }
        isDone = true
        if !decoder.sawChunk, let problem = unreadableBody() { return events + [.error(problem)] }
        events += decoder.finish()
        return events
    }

    /// Explains a 2xx body that held no chunk at all (empty, or a JSON error document).
    private func unreadableBody() -> ProviderError? {
        if bodyBytes == 0 {
            return ProviderError(kind: .streamInterrupted, provider: provider, url: url, httpStatus: status,
                                 detail: "empty response body (some servers answer a context overflow this way)")
        }
        if let error = ErrorClassifier.parseErrorDocument(bodyPrefix) {
            let kind = ErrorClassifier.kind(status: nil, code: error.code, type: error.type, message: error.message)
            return ProviderError(kind: kind, provider: provider, url: url, httpStatus: status,
                                 serverMessage: error.message, detail: error.code.map { "code \($0)" })
        }
        let text = String(decoding: bodyPrefix.prefix(300), as: UTF8.self)
        // An event stream that merely ended early is reported by the decoder (interrupted).
        if [":", "data:", "event:", "id:", "error:"].contains(where: { text.hasPrefix($0) }) { return nil }
        return ProviderError(kind: .badResponse, provider: provider, url: url, httpStatus: status,
                             detail: "the reply was not an event stream: " + text)
    }
}
