import AgentCore
import Providers
import Synchronization

/// MCP's legacy HTTP+SSE transport (protocol 2024-11-05): a GET event stream whose first
/// `endpoint` event names where to POST messages (same origin only); answers, server
/// requests and notifications arrive as `message` events on the stream.
final class LegacySSETransport: HTTPMessageCarrier {
    private struct State {
        var endpoint: String?
        var queued: [(message: String, failed: @Sendable (MCPError) -> Void)] = []
        var stream: TransferHandle?
        var posts: [Int: TransferHandle] = [:]
        var nextPost = 0
        var closed = false
    }

    let url: String
    private let headers: [(name: String, value: String)]
    private let http: CurlTransport
    private let state = Mutex(State())
    private let onMessage: @Sendable ([UInt8]) -> Void
    private let onClosed: @Sendable (MCPError) -> Void

    init(url: String, headers: [String: String], userAgent: String,
         onMessage: @escaping @Sendable ([UInt8]) -> Void,
         onClosed: @escaping @Sendable (MCPError) -> Void) throws(MCPError) {
        guard URLOrigin.of(url) != nil else {
            throw MCPError("the MCP server URL must start with http:// or https://: \(url)")
        }
        self.url = url
        self.headers = headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
            .filter { !["accept", "content-type"].contains($0.name.lowercased()) }
        self.http = CurlTransport(userAgent: userAgent)
        self.onMessage = onMessage
        self.onClosed = onClosed
    }

    /// Opens the event stream (messages sent before the `endpoint` event wait for it).
    func open() {
        let request = HTTPRequest(method: "GET", url: url, headers: headers + [(name: "Accept", value: "text/event-stream")],
                                  connectTimeout: 10, idleTimeout: InputLimits.maxWaitSeconds)
        let reader = StreamReader(url: url)
        let handle = http.start(request) { [self] event in
            let outcome = reader.handle(event)
            if let endpoint = outcome.endpoint { endpointArrived(endpoint) }
            for message in outcome.messages { onMessage(message) }
            if let failure = outcome.failure {
                state.withLock { $0.closed = true }
                onClosed(failure)
                return false
            }
            return true
        }
        state.withLock { $0.stream = handle }
    }

    private func endpointArrived(_ endpoint: String) {
        guard let resolved = URLOrigin.resolve(endpoint, against: url) else {
            state.withLock { $0.closed = true }
            onClosed(MCPError("the server named an endpoint on another origin or an invalid one; refused", connectionLost: true))
            return
        }
        let queued = state.withLock { state -> [(message: String, failed: @Sendable (MCPError) -> Void)] in
            state.endpoint = resolved
            defer { state.queued = [] }
            return state.queued
        }
        for item in queued { post(item.message, failed: item.failed, to: resolved) }
    }

    var isAlive: Bool { state.withLock { !$0.closed } }

    func didAgree(protocolVersion: String) {}

    func startListening() {}

    /// POSTs one message to the endpoint (queued until the `endpoint` event names it).
    func send(_ message: String, failed: @escaping @Sendable (MCPError) -> Void) {
        let endpoint = state.withLock { state -> Result<String?, MCPError> in
            guard !state.closed else { return .failure(MCPError("the connection was closed", connectionLost: true)) }
            if state.endpoint == nil { state.queued.append((message, failed)) }
            return .success(state.endpoint)
        }
        switch endpoint {
        case .failure(let error): failed(error)
        case .success(let endpoint?): post(message, failed: failed, to: endpoint)
        case .success(nil): break
        }
    }

    private func post(_ message: String, failed: @escaping @Sendable (MCPError) -> Void, to endpoint: String) {
        let key = state.withLock { state -> Int in
            defer { state.nextPost += 1 }
            return state.nextPost
        }
        let request = HTTPRequest(method: "POST", url: endpoint,
                                  headers: headers + [(name: "Content-Type", value: "application/json")],
                                  body: Array(message.utf8), connectTimeout: 10, idleTimeout: 60)
        let reader = ResponseReader(url: url)
        let handle = http.start(request) { [self] event in
            let outcome = reader.handle(event)
            // Answers come on the stream; a POST's own body (usually "Accepted") is ignored.
            if let failure = outcome.failure { failed(failure) }
            if outcome.finished { _ = state.withLock { $0.posts.removeValue(forKey: key) } }
            return outcome.failure == nil
        }
        state.withLock { state in
            if !reader.isFinished { state.posts[key] = handle }
        }
    }

    func terminate() {
        let handles = state.withLock { state -> [TransferHandle] in
            state.closed = true
            defer { state.posts = [:]; state.stream = nil }
            return Array(state.posts.values) + (state.stream.map { [$0] } ?? [])
        }
        for handle in handles { handle.cancel() }
    }

    func close() async {
        terminate()
    }
}

/// Reads the GET event stream: the `endpoint` event, then `message` events, bounded.
final class StreamReader: @unchecked Sendable {
    // @unchecked: only the GET transfer's callback touches it, one event at a time (HTTPTransport's contract).
    struct Outcome {
        var endpoint: String?
        var messages: [[UInt8]] = []
        var failure: MCPError?
    }

    let url: String
    private var status = 0
    private var events = SSEParser(maxEventBytes: InputLimits.maxMCPMessageBytes)
    private var errorBody: [UInt8] = []

    init(url: String) {
        self.url = url
    }

    func handle(_ event: TransportEvent) -> Outcome {
        var outcome = Outcome()
        switch event {
        case .response(let status, _):
            self.status = status
        case .bytes(let bytes):
            guard (200..<300).contains(status) else {
                if errorBody.count < 300 { errorBody += bytes.prefix(300 - errorBody.count) }
                return outcome
            }
            for event in events.feed(bytes) {
                switch event.event ?? "message" {
                case "endpoint": outcome.endpoint = event.data
                case "message": if !event.data.isEmpty { outcome.messages.append(Array(event.data.utf8)) }
                default: break
                }
            }
            if events.overflowed {
                outcome.failure = MCPError("the server sent a message longer than "
                    + InputLimits.describeBytes(InputLimits.maxMCPMessageBytes), connectionLost: true)
            }
        case .end:
            outcome.failure = (200..<300).contains(status)
                ? MCPError("the server closed the event stream", connectionLost: true)
                : MCPError("HTTP \(status) from \(url)", connectionLost: true)
        case .failure(let failure):
            outcome.failure = failure.kind == .cancelled
                ? MCPError("the connection was closed", connectionLost: true)
                : MCPError("cannot reach \(url): \(failure.message)", connectionLost: true)
        }
        return outcome
    }
}

/// Origins and endpoint resolution for the legacy transport. Pure.
enum URLOrigin {
    /// `scheme://host[:port]` of an http(s) URL, lowercased.
    static func of(_ url: String) -> String? {
        let lower = url.lowercased()
        guard let schemeEnd = lower.firstRange(of: "://"), ["http", "https"].contains(String(lower[..<schemeEnd.lowerBound])) else {
            return nil
        }
        let rest = lower[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        return String(lower[..<schemeEnd.upperBound]) + authority
    }

    /// `endpoint` resolved against `base` when it stays on `base`'s origin; nil otherwise.
    static func resolve(_ endpoint: String, against base: String) -> String? {
        guard let origin = of(base), !endpoint.isEmpty, !endpoint.contains(where: { $0.isWhitespace }) else { return nil }
        if endpoint.hasPrefix("//") { return resolve(String(base.prefix { $0 != ":" }) + ":" + endpoint, against: base) }
        if endpoint.contains("://") {
            return of(endpoint) == origin ? endpoint : nil
        }
        if endpoint.hasPrefix("/") { return origin + endpoint }
        let path = base.dropFirst(origin.count).prefix { $0 != "?" && $0 != "#" }
        let directory = path.lastIndex(of: "/").map { path[...$0] } ?? "/"
        return origin + directory + endpoint
    }
}
