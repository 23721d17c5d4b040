import AgentCore
import Synchronization

/// What carries an HTTP connection's messages: `StreamableHTTPTransport` or `LegacySSETransport`.
protocol HTTPMessageCarrier: Sendable {
    var isAlive: Bool { get }
    /// Sends one message; `failed` gets the reason it could not be delivered.
    func send(_ message: String, failed: @escaping @Sendable (MCPError) -> Void)
    /// The version `initialize` agreed on (streamable HTTP sends it as a header from then on).
    func didAgree(protocolVersion: String)
    /// Called after `notifications/initialized`: opens any stream for server-initiated messages.
    func startListening()
    /// Cancels every transfer without waiting.
    func terminate()
    /// Ends the connection (an HTTP session is deleted).
    func close() async
}

/// An MCP server over streamable HTTP or the legacy HTTP+SSE transport (D162): the same
/// `JSONRPCSession` as a stdio server, its messages carried over HTTP.
final class HTTPMCPConnection: JSONRPCConnection {
    let serverName: String
    let rpc: JSONRPCSession
    let carrier: any HTTPMessageCarrier

    private init(serverName: String, carrier: any HTTPMessageCarrier, relay: SessionRelay) {
        self.serverName = serverName
        self.carrier = carrier
        self.rpc = JSONRPCSession(send: { message, failed in carrier.send(message, failed: failed) })
        relay.set(rpc, carrier: carrier)
    }

    /// A streamable-HTTP server at `url` (nothing is sent until `initialize`).
    static func streamable(name: String, url: String, headers: [String: String], userAgent: String) throws(MCPError) -> HTTPMCPConnection {
        let relay = SessionRelay()
        let carrier = try StreamableHTTPTransport(url: url, headers: headers, userAgent: userAgent,
                                                  onMessage: { relay.receive($0) }, onLost: { relay.end($0.message) })
        return HTTPMCPConnection(serverName: name, carrier: carrier, relay: relay)
    }

    /// A legacy HTTP+SSE server: its event stream is opened at once.
    static func legacySSE(name: String, url: String, headers: [String: String], userAgent: String) throws(MCPError) -> HTTPMCPConnection {
        let relay = SessionRelay()
        let carrier = try LegacySSETransport(url: url, headers: headers, userAgent: userAgent,
                                             onMessage: { relay.receive($0) }, onClosed: { relay.end($0.message) })
        let connection = HTTPMCPConnection(serverName: name, carrier: carrier, relay: relay)
        carrier.open()
        return connection
    }

    func didAgree(protocolVersion: String) { carrier.didAgree(protocolVersion: protocolVersion) }
    func didInitialize() { carrier.startListening() }

    var isAlive: Bool { rpc.isAlive && carrier.isAlive }

    func stop() {
        _ = rpc.beginClosing()
        rpc.end("stopped")
        carrier.terminate()
    }

    func close() async {
        _ = rpc.beginClosing()
        rpc.end("stopped")
        await carrier.close()
    }
}

/// Lets the transport's threads reach the session created just after the transport.
final class SessionRelay: Sendable {
    private let slot = Mutex<(rpc: JSONRPCSession, carrier: any HTTPMessageCarrier)?>(nil)

    func set(_ rpc: JSONRPCSession, carrier: any HTTPMessageCarrier) { slot.withLock { $0 = (rpc, carrier) } }

    func receive(_ message: [UInt8]) {
        guard let (rpc, carrier) = slot.withLock({ $0 }) else { return }
        if let reason = rpc.receive(message) {
            rpc.end(reason)
            carrier.terminate()
        }
    }

    func end(_ reason: String) {
        slot.withLock { $0 }?.rpc.end(reason)
    }
}
