import AgentCore
import Providers
import Synchronization

/// MCP's streamable HTTP transport: every message is POSTed to one URL; a request is answered
/// by a JSON body or by an SSE stream that ends with the answer (server requests and
/// notifications may come first); a notification or an answer gets 202. The session id the
/// server sets on `initialize` is echoed on every later request and ended with DELETE.
final class StreamableHTTPTransport: HTTPMessageCarrier {
    private struct State {
        var sessionID: String?
        var protocolVersion: String?
        var transfers: [Int: TransferHandle] = [:]
        var nextTransfer = 0
        var closed = false
        /// Why the connection counts as lost (a 404 for the session, the server unreachable).
        var lost: MCPError?
    }

    let url: String
    private let headers: [(name: String, value: String)]
    private let http: CurlTransport
    private let state = Mutex(State())
    private let onMessage: @Sendable ([UInt8]) -> Void
    private let onLost: @Sendable (MCPError) -> Void

    init(url: String, headers: [String: String], userAgent: String,
         onMessage: @escaping @Sendable ([UInt8]) -> Void,
         onLost: @escaping @Sendable (MCPError) -> Void) throws(MCPError) {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw MCPError("the MCP server URL must start with http:// or https://: \(url)")
        }
        self.url = url
        self.headers = headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        self.http = CurlTransport(userAgent: userAgent)
        self.onMessage = onMessage
        self.onLost = onLost
    }

    var isAlive: Bool { state.withLock { !$0.closed && $0.lost == nil } }

    func didAgree(protocolVersion: String) {
        state.withLock { $0.protocolVersion = protocolVersion }
    }

    /// The headers every request carries: the configured ones, then the session's.
    private func requestHeaders(accept: String) -> [(name: String, value: String)] {
        let (session, version) = state.withLock { ($0.sessionID, $0.protocolVersion) }
        var result = headers.filter { !["accept", "content-type"].contains($0.name.lowercased()) }
        result.append((name: "Accept", value: accept))
        if let session { result.append((name: "Mcp-Session-Id", value: session)) }
        if let version { result.append((name: "MCP-Protocol-Version", value: version)) }
        return result
    }

    /// POSTs one message; its answer (for a request) arrives through `onMessage`; `failed` gets
    /// an HTTP error or an unreachable server.
    func send(_ message: String, failed: @escaping @Sendable (MCPError) -> Void) {
        let key = state.withLock { state -> Result<Int, MCPError> in
            if let lost = state.lost { return .failure(lost) }
            guard !state.closed else { return .failure(MCPError("the connection was closed", connectionLost: true)) }
            defer { state.nextTransfer += 1 }
            return .success(state.nextTransfer)
        }
        guard case .success(let key) = key else {
            if case .failure(let error) = key { failed(error) }
            return
        }
        var headers = requestHeaders(accept: "application/json, text/event-stream")
        headers.append((name: "Content-Type", value: "application/json"))
        let request = HTTPRequest(method: "POST", url: url, headers: headers, body: Array(message.utf8),
                                  connectTimeout: 10, idleTimeout: InputLimits.maxWaitSeconds)
        let reader = ResponseReader(url: url)
        let handle = http.start(request) { [self] event in
            let outcome = reader.handle(event)
            if let session = reader.sessionID { state.withLock { if $0.sessionID == nil { $0.sessionID = session } } }
            for message in outcome.messages { onMessage(message) }
            if let failure = outcome.failure {
                failed(failure)
                if failure.connectionLost, state.withLock({ state -> Bool in
                    defer { if state.lost == nil { state.lost = failure } }
                    return state.lost == nil
                }) { onLost(failure) }
            }
            if outcome.finished { forget(key) }
            return outcome.failure == nil
        }
        state.withLock { state in
            if !reader.isFinished { state.transfers[key] = handle }
        }
        if reader.isFinished { forget(key) }
    }

    private func forget(_ key: Int) {
        _ = state.withLock { $0.transfers.removeValue(forKey: key) }
    }

    /// Opens the optional GET stream on which the server may send notifications and requests
    /// outside any POST (`list_changed`). A server without one answers 405; failures are ignored.
    func startListening() {
        let key = state.withLock { state -> Int? in
            guard !state.closed else { return nil }
            defer { state.nextTransfer += 1 }
            return state.nextTransfer
        }
        guard let key else { return }
        let request = HTTPRequest(method: "GET", url: url, headers: requestHeaders(accept: "text/event-stream"),
                                  connectTimeout: 10, idleTimeout: InputLimits.maxWaitSeconds)
        let reader = ResponseReader(url: url)
        let handle = http.start(request) { [self] event in
            let outcome = reader.handle(event)
            for message in outcome.messages { onMessage(message) }
            if outcome.finished { forget(key) }
            return outcome.failure == nil
        }
        state.withLock { state in
            if !reader.isFinished, !state.closed { state.transfers[key] = handle } else { handle.cancel() }
        }
    }

    func terminate() {
        let handles = state.withLock { state -> [TransferHandle] in
            state.closed = true
            defer { state.transfers = [:] }
            return Array(state.transfers.values)
        }
        for handle in handles { handle.cancel() }
    }

    /// Cancels the open requests and ends the session with DELETE when the server gave one.
    func close() async {
        let session = state.withLock { $0.sessionID }
        terminate()
        guard session != nil else { return }
        let request = HTTPRequest(method: "DELETE", url: url, headers: requestHeaders(accept: "application/json"),
                                  connectTimeout: 5, idleTimeout: 5, totalTimeout: 5)
        _ = await http.send(request, maxBodyBytes: InputLimits.maxErrorBodyBytes)
    }
}

/// Reads one POST's response: status, session id, then a JSON body or SSE events, bounded.
/// Called by the transfer's thread only, one event at a time.
final class ResponseReader: @unchecked Sendable {
    // @unchecked: the transport delivers one transfer's events one at a time on its thread
    // (HTTPTransport's contract), and `sessionID`/`isFinished` are read by that same callback;
    // `isFinished` is also read once after `start` returns, under `finished`'s mutex.
    struct Outcome {
        var messages: [[UInt8]] = []
        var failure: MCPError?
        var finished = false
    }

    let url: String
    private(set) var sessionID: String?
    private var status = 0
    private var isEventStream = false
    private var body: [UInt8] = []
    private var events = SSEParser(maxEventBytes: InputLimits.maxMCPMessageBytes)
    private let finished = Mutex(false)

    init(url: String) {
        self.url = url
    }

    var isFinished: Bool { finished.withLock { $0 } }

    func handle(_ event: TransportEvent) -> Outcome {
        var outcome = Outcome()
        switch event {
        case .response(let status, let headers):
            self.status = status
            sessionID = headers["mcp-session-id"].map { String($0.prefix(1024)) }
            isEventStream = headers["content-type"]?.lowercased().hasPrefix("text/event-stream") ?? false
        case .bytes(let bytes):
            guard (200..<300).contains(status) else {
                if body.count < InputLimits.maxErrorBodyBytes { body += bytes.prefix(InputLimits.maxErrorBodyBytes - body.count) }
                return outcome
            }
            if isEventStream {
                outcome.messages = events.feed(bytes).compactMap(message(from:))
                if events.overflowed { outcome.failure = tooLong() }
            } else if body.count + bytes.count > InputLimits.maxMCPMessageBytes {
                outcome.failure = tooLong()
            } else {
                body += bytes
            }
        case .end:
            outcome.finished = true
            if !(200..<300).contains(status) {
                outcome.failure = MCPError("HTTP \(status) from \(url)\(errorDetail())", connectionLost: status == 404)
            } else if isEventStream {
                outcome.messages = events.finish().compactMap(message(from:))
            } else if !body.isEmpty {
                outcome.messages = [body]
            }
        case .failure(let failure):
            outcome.finished = true
            if failure.kind != .cancelled {
                outcome.failure = MCPError("cannot reach \(url): \(failure.message)", connectionLost: true)
            }
        }
        if outcome.failure != nil { outcome.finished = true }
        if outcome.finished { finished.withLock { $0 = true } }
        return outcome
    }

    private func message(from event: SSEEvent) -> [UInt8]? {
        guard event.event == nil || event.event == "message", !event.data.isEmpty else { return nil }
        return Array(event.data.utf8)
    }

    private func tooLong() -> MCPError {
        MCPError("the server sent a message longer than \(InputLimits.describeBytes(InputLimits.maxMCPMessageBytes))",
                 connectionLost: true)
    }

    /// The start of an error body, as one line, when it is short text.
    private func errorDetail() -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
            .split(whereSeparator: { $0.isNewline }).joined(separator: " ")
        return text.isEmpty ? "" : ": " + text
    }
}
