import AgentCore
import Synchronization

/// The JSON-RPC 2.0 client side over any line transport: numbers requests, keeps the table of
/// requests waiting for answers (bounded), matches responses by id, answers the server's own
/// requests (`ping` with `{}`, anything else with -32601) and dispatches notifications.
/// Timeouts and task cancellation drop the waiting entry and send `notifications/cancelled`.
final class JSONRPCPeer: Sendable {
    private struct Waiting {
        var method: String
        var continuation: CheckedContinuation<JSONValue, any Error>
        var timer: Task<Void, Never>?
    }

    private struct State {
        var nextID = 1
        var waiting: [Int: Waiting] = [:]
        var failure: MCPError?
        var toolsChanged: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())
    /// Sends one message; the id is the request's (nil for notifications and answers).
    private let send: @Sendable (String, Int?) throws -> Void
    private let log: @Sendable (String) -> Void
    /// Called once when the peer fails (bad input): the transport should end the connection.
    private let onFatal: @Sendable (MCPError) -> Void
    /// Called with a request's id when it stops waiting without an answer (timeout, cancel).
    private let onAbandon: @Sendable (Int) -> Void

    init(send: @escaping @Sendable (String, Int?) throws -> Void,
         log: @escaping @Sendable (String) -> Void = { _ in },
         onFatal: @escaping @Sendable (MCPError) -> Void = { _ in },
         onAbandon: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.send = send
        self.log = log
        self.onFatal = onFatal
        self.onAbandon = onAbandon
    }

    var failure: MCPError? { state.withLock { $0.failure } }

    func setToolsChangedHandler(_ handler: @escaping @Sendable () -> Void) {
        state.withLock { $0.toolsChanged = handler }
    }

    // MARK: - Outgoing

    /// Sends a request and waits for its result, at most `timeoutSeconds`.
    func request(_ method: String, params: String?, timeoutSeconds: Double) async throws -> JSONValue {
        let id = try reserveID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                register(id: id, method: method, params: params, continuation: continuation,
                         timeoutSeconds: timeoutSeconds)
            }
        } onCancel: {
            if self.abandon(id, with: CancellationError()) { self.sendCancelled(id, reason: "cancelled by the user") }
        }
    }

    func notify(_ method: String, params: String?) throws {
        if let failure { throw failure }
        try send(JSONRPCMessage.notification(method: method, params: params), nil)
    }

    private func reserveID() throws(MCPError) -> Int {
        try state.withLock { state throws(MCPError) -> Int in
            if let failure = state.failure { throw failure }
            guard state.waiting.count < InputLimits.maxMCPPendingRequests else {
                throw MCPError("more than \(InputLimits.maxMCPPendingRequests) requests are waiting for this server")
            }
            defer { state.nextID += 1 }
            return state.nextID
        }
    }

    private func register(id: Int, method: String, params: String?, continuation: CheckedContinuation<JSONValue, any Error>,
                          timeoutSeconds: Double) {
        let seconds = max(0.001, min(timeoutSeconds, InputLimits.maxWaitSeconds))
        let timer = Task { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            guard !Task.isCancelled, let self else { return }
            let error = MCPError("no answer to \(method) within \(Self.secondsText(seconds)) s")
            if self.abandon(id, with: error), method != "initialize" { self.sendCancelled(id, reason: "timeout") }
        }
        let refusal = state.withLock { state -> MCPError? in
            if let failure = state.failure { return failure }
            state.waiting[id] = Waiting(method: method, continuation: continuation, timer: timer)
            return nil
        }
        if let refusal {
            timer.cancel()
            continuation.resume(throwing: refusal)
            return
        }
        // The cancellation handler may have run before the entry existed.
        if Task.isCancelled, abandon(id, with: CancellationError()) { sendCancelled(id, reason: "cancelled by the user") }
        do {
            try send(JSONRPCMessage.request(id: id, method: method, params: params), id)
        } catch {
            abandon(id, with: error)
        }
    }

    /// Fails one waiting request (an HTTP transport's failed POST).
    func failRequest(_ id: Int, with error: MCPError) {
        abandon(id, with: error)
    }

    /// Removes a waiting request and fails it; false when it had already ended.
    @discardableResult
    private func abandon(_ id: Int, with error: any Error) -> Bool {
        guard let waiting = state.withLock({ $0.waiting.removeValue(forKey: id) }) else { return false }
        waiting.timer?.cancel()
        waiting.continuation.resume(throwing: error)
        onAbandon(id)
        return true
    }

    private func sendCancelled(_ id: Int, reason: String) {
        try? send(JSONRPCMessage.cancelled(id: id, reason: reason), nil)
    }

    static func secondsText(_ seconds: Double) -> String {
        seconds == seconds.rounded() && seconds < 1e9 ? String(Int(seconds)) : String(seconds)
    }

    // MARK: - Incoming

    /// Handles one line from the server. Non-JSON ends the connection.
    func receive(line: [UInt8]) {
        let value: JSONValue
        do {
            value = try JSONReader.parse(line)
        } catch {
            fail(MCPError("the server sent something that is not JSON-RPC (\(error.message) at \(error.position))",
                          connectionLost: true))
            return
        }
        if let elements = value.elements {
            for element in elements.prefix(InputLimits.maxMCPPendingRequests) { handle(element) }
        } else {
            handle(value)
        }
    }

    private func handle(_ value: JSONValue) {
        let incoming = JSONRPCIncoming.classify(value) { id in self.state.withLock { $0.waiting[id]?.method } }
        switch incoming {
        case .response(let id, let result):
            guard let waiting = state.withLock({ $0.waiting.removeValue(forKey: id) }) else { return }
            waiting.timer?.cancel()
            waiting.continuation.resume(with: result.mapError { $0 as any Error })
        case .strayResponse:
            return
        case .request(let id, let method):
            let answer = method == "ping"
                ? JSONRPCMessage.result(id: id, result: "{}")
                : JSONRPCMessage.error(id: id, code: -32601, message: "method not supported by this client")
            try? send(answer, nil)
        case .notification(let method, let params):
            notification(method, params: params)
        case .invalid(let reason):
            log("MCP: ignored \(reason)")
        }
    }

    private func notification(_ method: String, params: JSONValue?) {
        switch method {
        case "notifications/tools/list_changed":
            state.withLock { $0.toolsChanged }?()
        case "notifications/message":
            let level = params?["level"]?.string ?? "info"
            let data = params?["data"].map { $0.string ?? MCPJSONWriter.text(of: $0) } ?? ""
            log("MCP \(level): \(String(data.prefix(2000)))")
        default:
            return
        }
    }

    /// Ends the peer: every waiting request fails with `error`, and so does every later one.
    func fail(_ error: MCPError) {
        let (waiting, first) = state.withLock { state -> ([Waiting], Bool) in
            let first = state.failure == nil
            if first { state.failure = error }
            defer { state.waiting = [:] }
            return (Array(state.waiting.values), first)
        }
        for entry in waiting {
            entry.timer?.cancel()
            entry.continuation.resume(throwing: state.withLock { $0.failure } ?? error)
        }
        if first { onFatal(error) }
    }
}
