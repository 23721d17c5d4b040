import AgentCore
import Synchronization

/// The JSON-RPC side of one MCP connection, whatever carries it (D158): request ids, the
/// requests waiting for their answer, their timeouts and cancellation (both tell the server
/// with `notifications/cancelled`), answers to the server's own requests, notifications, and
/// the end of the connection failing whatever still waits with the reason.
final class JSONRPCSession: Sendable {
    /// Sends one message; calls `failed` when it could not be delivered.
    typealias Send = @Sendable (_ message: String, _ failed: @escaping @Sendable (MCPError) -> Void) -> Void

    private struct State {
        var nextID = 1
        var pending: [Int: CheckedContinuation<JSONValue, any Error>] = [:]
        var cancelledEarly: Set<Int> = []
        var endReason: String?
        var closing = false
        var toolsChanged: (@Sendable () -> Void)?
        var serverDescription = ""
        var capabilities: Set<String> = []
        var ignoredMessages = 0
    }

    private let state = Mutex(State())
    private let send: Send

    init(send: @escaping Send) {
        self.send = send
    }

    var serverDescription: String { state.withLock { $0.serverDescription } }
    func setServerDescription(_ text: String) { state.withLock { $0.serverDescription = text } }
    /// The keys of the server's `capabilities` in its `initialize` answer (`tools`, `prompts`, `resources`).
    var capabilities: Set<String> { state.withLock { $0.capabilities } }
    func setCapabilities(_ keys: Set<String>) { state.withLock { $0.capabilities = keys } }
    var isAlive: Bool { state.withLock { $0.endReason == nil && !$0.closing } }
    var endReason: String? { state.withLock { $0.endReason } }
    func setToolsChangedHandler(_ handler: @escaping @Sendable () -> Void) { state.withLock { $0.toolsChanged = handler } }

    /// Marks the connection as being closed by us; returns whether it already was (or had ended).
    func beginClosing() -> Bool {
        state.withLock { state in
            defer { state.closing = true }
            return state.closing || state.endReason != nil
        }
    }

    var isClosing: Bool { state.withLock { $0.closing } }

    /// Sends a request and waits for its result, its timeout or the task's cancellation.
    func request(_ method: String, params: String? = nil, timeoutSeconds: Double) async throws -> JSONValue {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JSONValue, any Error>) in
                let refusal: (any Error)? = state.withLock { state in
                    if state.cancelledEarly.remove(id) != nil { return CancellationError() }
                    if let reason = state.endReason { return MCPError(reason, connectionLost: true) }
                    state.pending[id] = continuation
                    return nil
                }
                if let refusal { return continuation.resume(throwing: refusal) }
                let seconds = max(0.001, timeoutSeconds)
                Task { [weak self] in
                    try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                    self?.abandon(id, with: MCPError("no answer to \(method) within \(Self.describe(seconds))"))
                }
                send(MCPMessages.request(id: id, method: method, params: params)) { [weak self] error in
                    self?.abandon(id, with: error, notify: false)
                }
            }
        } onCancel: {
            self.abandon(id, with: CancellationError())
        }
    }

    /// Sends a notification (no answer).
    func notify(_ method: String, params: String? = nil) {
        send(MCPMessages.notification(method: method, params: params)) { _ in }
    }

    /// Ends a waiting request with `error`; tells the server when it gave up on it.
    private func abandon(_ id: Int, with error: any Error, notify: Bool = true) {
        let continuation = state.withLock { state -> CheckedContinuation<JSONValue, any Error>? in
            guard let continuation = state.pending.removeValue(forKey: id) else {
                if error is CancellationError { state.cancelledEarly.insert(id) }
                return nil
            }
            return continuation
        }
        guard let continuation else { return }
        continuation.resume(throwing: error)
        if notify {
            let reason = error is CancellationError ? "cancelled by the user" : "timed out"
            self.notify("notifications/cancelled", params: "{\"requestId\":\(id),\"reason\":\(JSONText.quoted(reason))}")
        }
    }

    /// Handles one message from the server; returns why the connection must end, or nil.
    func receive(_ message: [UInt8]) -> String? {
        switch MCPMessages.parse(message) {
        case .response(let id, let result)?:
            let continuation = state.withLock { $0.pending.removeValue(forKey: id) }
            continuation?.resume(with: result.mapError { $0 as any Error })
        case .request(let id, let method)?:
            send(MCPMessages.answer(id: id, method: method)) { _ in }
        case .notification(let method, _)?:
            if method == "notifications/tools/list_changed" { state.withLock { $0.toolsChanged }?() }
        case nil:
            // Not a message (a stray log line on stdout): tolerated, within reason.
            let ignored = state.withLock { state in
                state.ignoredMessages += 1
                return state.ignoredMessages
            }
            if ignored > 1_000 { return "sent more than 1,000 lines that are not JSON-RPC" }
        }
        return nil
    }

    /// The connection is over: every waiting request fails with `reason` (or "stopped" when we closed it).
    func end(_ reason: String) {
        let waiting = state.withLock { state -> [CheckedContinuation<JSONValue, any Error>] in
            state.endReason = state.closing ? "stopped" : reason
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        let final = endReason ?? reason
        for continuation in waiting { continuation.resume(throwing: MCPError(final, connectionLost: true)) }
    }

    static func describe(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}
