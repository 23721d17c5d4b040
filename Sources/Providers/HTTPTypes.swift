import AgentCore
import FoundationEssentials

/// One HTTP request as the transport sends it.
///
/// `description` shows the method and URL only: header values (API keys) never print.
public struct HTTPRequest: Sendable, CustomStringConvertible {
    public var method: String
    public var url: String
    /// Header name/value pairs, sent in order.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// Seconds allowed to establish the connection (TCP and TLS).
    public var connectTimeout: Double
    /// Seconds without a single received byte before the transfer fails as timed out.
    public var idleTimeout: Double
    /// Upper bound for the whole transfer in seconds; `nil` means none (streams can be long).
    public var totalTimeout: Double?

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
                connectTimeout: Double = 10, idleTimeout: Double = 120, totalTimeout: Double? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.totalTimeout = totalTimeout
    }

    /// The value of the first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    public var description: String { "\(method) \(url)" }
}

/// A whole HTTP response (non-streaming requests such as listing models).
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    /// Header names are lowercased; a repeated header keeps its last value.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body decoded as UTF-8 (invalid sequences replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Why a transfer failed below HTTP, classified for the user.
public struct TransportFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// DNS failure, connection refused, no route: the server is not there.
        case unreachable
        /// Connect, idle or total timeout.
        case timedOut
        /// The consumer went away (cancelled) and the transfer was aborted.
        case cancelled
        /// The connection broke or TLS/protocol failed after connecting.
        case connectionLost
        /// The response went past one of `InputLimits`' caps (headers, a whole body); what
        /// arrived was dropped. Not retried: the server would send the same again.
        case tooLarge
        /// Anything else (bad URL, out of memory, setup failure).
        case other
    }

    public var kind: Kind
    /// libcurl's `CURLcode`, or -1 when the failure did not come from curl.
    public var code: Int
    /// Human-readable detail, e.g. curl's error buffer text. Never contains header values.
    public var message: String

    public init(kind: Kind, code: Int, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// What a streaming transfer reports, in order: at most one `.response`, any number of
/// `.bytes`, then exactly one `.end` or `.failure`.
public enum TransportEvent: Sendable, Hashable {
    /// Status and headers (lowercased names), sent before the first body bytes.
    case response(status: Int, headers: [String: String])
    /// Body bytes as they arrive; chunk boundaries are arbitrary.
    case bytes([UInt8])
    /// The body is complete.
    case end
    case failure(TransportFailure)
}

/// Handle to a running transfer.
public struct TransferHandle: Sendable {
    private let onCancel: @Sendable () -> Void

    public init(onCancel: @escaping @Sendable () -> Void) {
        self.onCancel = onCancel
    }

    /// Aborts the transfer (the server sees the connection close). Safe to call more than
    /// once and after the end.
    public func cancel() { onCancel() }
}

/// A running transfer's events as an async sequence; `cancel()` aborts early.
///
/// Cancelling the iterating task has the same effect as `cancel()`.
public struct TransportStream: AsyncSequence, Sendable {
    public typealias Element = TransportEvent
    public typealias AsyncIterator = AsyncStream<TransportEvent>.Iterator

    public let events: AsyncStream<TransportEvent>
    public let handle: TransferHandle

    public init(events: AsyncStream<TransportEvent>, handle: TransferHandle) {
        self.events = events
        self.handle = handle
    }

    /// Aborts the transfer; safe to call more than once and after the end.
    public func cancel() { handle.cancel() }

    public func makeAsyncIterator() -> AsyncStream<TransportEvent>.Iterator { events.makeAsyncIterator() }
}

/// Moves HTTP requests; libcurl in production, a scripted fake in tests.
public protocol HTTPTransport: Sendable {
    /// Starts a transfer. `onEvent` receives its events in order, one call at a time
    /// (never concurrently), on a thread the transport owns: keep the work short and never
    /// block. The last event is always exactly one `.end` or `.failure`. Return `false`
    /// to abort the transfer: the final event is then `.failure` of kind `.cancelled`.
    ///
    /// This callback form lets a consumer parse bytes where they arrive instead of paying
    /// a thread hop per network read (measured: the hop doubled the CPU per token).
    func start(_ request: HTTPRequest, onEvent: @escaping @Sendable (TransportEvent) -> Bool) -> TransferHandle
}

extension HTTPTransport {
    /// Starts a transfer and delivers its events as an async sequence.
    public func stream(_ request: HTTPRequest) -> TransportStream {
        let (events, continuation) = AsyncStream.makeStream(of: TransportEvent.self, bufferingPolicy: .unbounded)
        let handle = start(request) { event in
            if case .terminated = continuation.yield(event) { return false }
            switch event {
            case .end, .failure: continuation.finish()
            case .response, .bytes: break
            }
            return true
        }
        continuation.onTermination = { _ in handle.cancel() }
        return TransportStream(events: events, handle: handle)
    }

    /// Performs a whole request and returns the complete response. A 2xx body larger than
    /// `maxBodyBytes` fails (`.tooLarge`, naming the cap and the URL); of any other status only
    /// the first `InputLimits.maxErrorBodyBytes` are kept, and the transfer stops there.
    public func send(_ request: HTTPRequest, maxBodyBytes: Int = InputLimits.maxWholeBodyBytes) async
        -> Result<HTTPResponse, TransportFailure> {
        let transfer = stream(request)
        var response = HTTPResponse(status: 0)
        for await event in transfer {
            switch event {
            case .response(let status, let headers):
                response.status = status
                response.headers = headers
            case .bytes(let bytes):
                if !(200..<300).contains(response.status) {
                    let room = InputLimits.maxErrorBodyBytes - response.body.count
                    response.body += bytes.prefix(room)
                    if bytes.count >= room {
                        transfer.cancel()
                        return .success(response)
                    }
                } else if bytes.count > maxBodyBytes - response.body.count {
                    transfer.cancel()
                    return .failure(.bodyTooLarge(limit: maxBodyBytes, url: request.url))
                } else {
                    response.body += bytes
                }
            case .end:
                return .success(response)
            case .failure(let failure):
                return .failure(failure)
            }
        }
        // The iterating task was cancelled.
        transfer.cancel()
        return .failure(TransportFailure(kind: .cancelled, code: -1, message: "cancelled"))
    }
}

extension TransportFailure {
    /// A body that went past `limit` bytes.
    static func bodyTooLarge(limit: Int, url: String) -> TransportFailure {
        TransportFailure(kind: .tooLarge, code: -1,
                         message: "the response body from \(url) is larger than \(InputLimits.describeBytes(limit)), "
                             + "the limit for one response; it was dropped")
    }
}

extension ProviderConfig {
    /// The headers every request of this provider carries: Authorization (when a key is
    /// set), Accept, then the configured extra headers, which replace any of the same name.
    func requestHeaders(accept: String) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        if let key = apiKey?.value, !key.isEmpty { headers.append(("Authorization", "Bearer \(key)")) }
        headers.append(("Accept", accept))
        for (name, value) in self.headers.sorted(by: { $0.key < $1.key }) {
            headers.removeAll { $0.name.lowercased() == name.lowercased() }
            headers.append((name, value))
        }
        return headers
    }
}
