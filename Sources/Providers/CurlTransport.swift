import AgentCore
import ThreadSupport
import CCurl
import CCurlShims
import Glibc
import Synchronization

/// HTTP over libcurl: one dedicated thread per transfer, bytes delivered as they arrive.
///
/// Each transfer drives its own curl multi handle so a cancel can wake the blocked
/// `curl_multi_poll` at once (`curl_multi_wakeup`): the server sees the client leave
/// immediately, not at curl's next once-a-second progress tick.
public struct CurlTransport: HTTPTransport {
    /// Text sent as `User-Agent` unless the request sets its own.
    public var userAgent: String
    /// Counts this transport's transfer threads while they run (tests check that a cancel
    /// leaves none behind).
    public let threads: TransferThreadCount?

    public init(userAgent: String = "swiftcoder", threads: TransferThreadCount? = nil) {
        self.userAgent = userAgent
        self.threads = threads
    }

    public func start(_ request: HTTPRequest,
                      onEvent: @escaping @Sendable (TransportEvent) -> Bool) -> TransferHandle {
        let control = TransferControl()
        let userAgent = userAgent
        let threads = threads
        threads?.running.add(1, ordering: .relaxed)
        let started = DetachedThread.spawn {
            CurlTransfer.run(request, userAgent: userAgent, onEvent: onEvent, control: control)
            // After curl's handles are cleaned up: the thread is about to return.
            threads?.running.subtract(1, ordering: .releasing)
        }
        if !started {
            threads?.running.subtract(1, ordering: .relaxed)
            _ = onEvent(.failure(TransportFailure(kind: .other, code: -1, message: "could not start a transfer thread")))
        }
        return TransferHandle { control.cancel() }
    }
}

/// The number of a transport's transfer threads still running (curl handles not yet
/// cleaned up).
public final class TransferThreadCount: Sendable {
    let running = Atomic<Int>(0)

    public init() {}

    /// Transfers whose thread has not finished.
    public var current: Int { running.load(ordering: .acquiring) }
}

/// One-time process setup: libcurl's global state, and SIGPIPE ignored so a peer that
/// closes a socket cannot kill the process. Swift runs a global's initializer exactly
/// once, thread-safely.
private let curlGlobalReady: Bool = {
    signal(SIGPIPE, SIG_IGN)
    // CURL_GLOBAL_ALL (SSL | WIN32) is a macro built from shifts; Swift cannot import it.
    return sc_curl_global_init(3) == CURLE_OK
}()

/// The part of a transfer shared with other threads: the cancel flag and, while the
/// transfer runs, its multi handle (to wake the transfer thread).
final class TransferControl: Sendable {
    private let cancelled = Atomic<Bool>(false)
    /// The running multi handle as a bit pattern; the lock keeps `curl_multi_wakeup`
    /// from racing `curl_multi_cleanup`.
    private let multi = Mutex<UInt>(0)

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// Aborts the transfer: callbacks see the flag, and a blocked poll wakes up now.
    func cancel() {
        cancelled.store(true, ordering: .releasing)
        multi.withLock { handle in
            if let pointer = UnsafeMutableRawPointer(bitPattern: handle) { _ = sc_curl_multi_wakeup(pointer) }
        }
    }

    func attach(_ handle: UnsafeMutableRawPointer) { multi.withLock { $0 = UInt(bitPattern: handle) } }
    func detach() { multi.withLock { $0 = 0 } }
}

/// Transfer-thread state reached from curl's callbacks through `void*` userdata.
/// Not Sendable: created, used and released on the transfer thread only.
private final class CurlTransfer {
    let onEvent: @Sendable (TransportEvent) -> Bool
    let control: TransferControl
    private var status = 0
    private var headers: [String: String] = [:]
    private var responseSent = false
    private var pendingBody: [UInt8] = []
    /// Bytes of header lines received (all blocks, redirects included), against
    /// `InputLimits.maxHeaderBytes`.
    private var headerBytes = 0
    private var headersTooLarge = false
    private let url: String

    private init(url: String, onEvent: @escaping @Sendable (TransportEvent) -> Bool, control: TransferControl) {
        self.url = url
        self.onEvent = onEvent
        self.control = control
    }

    /// Hands one event to the consumer; a `false` answer cancels the transfer.
    private func emit(_ event: TransportEvent) {
        if !onEvent(event) { control.cancel() }
    }

    /// Runs one request to completion on the calling (dedicated) thread.
    static func run(_ request: HTTPRequest, userAgent: String,
                    onEvent: @escaping @Sendable (TransportEvent) -> Bool, control: TransferControl) {
        guard curlGlobalReady, let easy = sc_curl_easy_init() else {
            let reason = String(cString: sc_curl_load_error())
            _ = onEvent(.failure(TransportFailure(kind: .other, code: -1,
                                                  message: reason.isEmpty ? "libcurl failed to initialize" : reason)))
            return
        }
        let transfer = CurlTransfer(url: request.url, onEvent: onEvent, control: control)
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer {
            sc_curl_easy_cleanup(easy)
            sc_curl_slist_free_all(headerList)
            errorBuffer.deallocate()
        }
        let code: CURLcode = withExtendedLifetime(transfer) {
            let context = Unmanaged.passUnretained(transfer).toOpaque()
            headerList = configure(easy, request, userAgent: userAgent, errorBuffer: errorBuffer, context: context)
            return perform(easy, transfer: transfer)
        }
        transfer.complete(code: code, easy: easy, errorText: String(cString: errorBuffer))
    }

    /// Sets every option; returns the header list the caller must free after cleanup.
    private static func configure(_ easy: UnsafeMutableRawPointer, _ request: HTTPRequest, userAgent: String,
                                  errorBuffer: UnsafeMutablePointer<CChar>,
                                  context: UnsafeMutableRawPointer) -> UnsafeMutablePointer<curl_slist>? {
        sc_curl_setopt_string(easy, CURLOPT_URL, request.url)
        sc_curl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        sc_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        sc_curl_setopt_long(easy, CURLOPT_TCP_NODELAY, 1)
        sc_curl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        sc_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        sc_curl_setopt_string(easy, CURLOPT_USERAGENT, userAgent)
        // No CURLOPT_ACCEPT_ENCODING: the server sends identity bytes we can hand on at once.
        sc_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout))
        // Idle timeout: fewer than 1 byte/s for N seconds fails with CURLE_OPERATION_TIMEDOUT.
        sc_curl_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, 1)
        sc_curl_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, (milliseconds(request.idleTimeout) + 999) / 1000)
        if let total = request.totalTimeout { sc_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, milliseconds(total)) }

        switch (request.method.uppercased(), request.body) {
        case ("GET", nil): sc_curl_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case (let method, let body):
            if let body {
                // COPYPOSTFIELDS: curl copies the bytes, so the Swift array may go away.
                sc_curl_setopt_long(easy, CURLOPT_POSTFIELDSIZE, body.count)
                if body.isEmpty {
                    sc_curl_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
                } else {
                    body.withUnsafeBytes { raw in
                        _ = sc_curl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
                    }
                }
            }
            if method != "POST" || body == nil { sc_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method) }
        }

        var list: UnsafeMutablePointer<curl_slist>?
        // An empty `Expect:` stops curl from waiting for `100 Continue` on large bodies.
        for line in ["Expect:"] + request.headers.map(headerLine) {
            list = sc_curl_slist_append(list, line)
        }
        sc_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, list)
        sc_curl_setopt_cloexec_sockets(easy)
        installCallbacks(easy, context: context)
        return list
    }

    /// Header, body and progress callbacks, each reaching this object through `context`.
    private static func installCallbacks(_ easy: UnsafeMutableRawPointer, context: UnsafeMutableRawPointer) {
        sc_curl_setopt_header_callback(easy, { buffer, size, count, userdata in
            guard let buffer, let userdata else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
            return transfer.header(UnsafeRawBufferPointer(start: buffer, count: size * count))
        }, context)
        sc_curl_setopt_write_callback(easy, { buffer, size, count, userdata in
            guard let buffer, let userdata else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
            return transfer.body(UnsafeRawBufferPointer(start: buffer, count: size * count))
        }, context)
        sc_curl_setopt_xferinfo_callback(easy, { userdata, _, _, _, _ in
            guard let userdata else { return 0 }
            return Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue().control.isCancelled ? 1 : 0
        }, context)
    }

    /// Drives the easy handle through a private multi handle until done or cancelled.
    /// Body bytes are handed on once per `curl_multi_perform` pass, not per callback (curl
    /// calls the write callback once per HTTP chunk, and servers send one SSE event per
    /// chunk), and no sooner than `BodyPacer.hold` after the previous hand-on.
    private static func perform(_ easy: UnsafeMutableRawPointer, transfer: CurlTransfer) -> CURLcode {
        let control = transfer.control
        defer { transfer.flush() }
        guard let multi = sc_curl_multi_init() else { return CURLE_OUT_OF_MEMORY }
        sc_curl_multi_add_handle(multi, easy)
        control.attach(multi)
        var result = CURLE_OK
        var running: Int32 = 1
        var pacer = BodyPacer(start: ContinuousClock.now)
        while true {
            if control.isCancelled { result = CURLE_ABORTED_BY_CALLBACK; break }
            let status = sc_curl_multi_perform(multi, &running)
            if status != CURLM_OK { result = CURLE_FAILED_INIT; break }
            if running == 0 {
                var queued: Int32 = 0
                while let message = sc_curl_multi_info_read(multi, &queued) {
                    if message.pointee.msg == CURLMSG_DONE { result = message.pointee.data.result }
                }
                break
            }
            var timeout: Int32 = 1000
            if transfer.hasPendingBody {
                switch pacer.decide(now: ContinuousClock.now) {
                case .handOn(let pauseAfter):
                    transfer.flush()
                    sleep(milliseconds: pauseAfter)
                case .wait(let pause, let poll):
                    sleep(milliseconds: pause)
                    timeout = poll
                }
            }
            sc_curl_multi_poll(multi, nil, 0, timeout, nil)
        }
        control.detach()
        sc_curl_multi_remove_handle(multi, easy)
        sc_curl_multi_cleanup(multi)
        return result
    }

    /// Sleeps the transfer thread, the socket unwatched (nothing for 0).
    private static func sleep(milliseconds: Int32) {
        guard milliseconds > 0 else { return }
        var request = timespec(tv_sec: 0, tv_nsec: Int(milliseconds) * 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
    }

    // MARK: Callbacks (transfer thread)

    private func header(_ line: UnsafeRawBufferPointer) -> Int {
        if control.isCancelled { return 0 }
        headerBytes += line.count
        if headerBytes > InputLimits.maxHeaderBytes {
            // A short count makes curl stop with CURLE_WRITE_ERROR; `complete` says why.
            headersTooLarge = true
            headers = [:]
            return 0
        }
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            // A new status line (after `100 Continue` or a redirect) starts a new header block.
            headers = [:]
            let parts = text.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        } else if let colon = text.firstIndex(of: ":") {
            let name = text[..<colon].trimmingWhitespace().lowercased()
            headers[name] = text[text.index(after: colon)...].trimmingWhitespace()
        }
        return line.count
    }

    private func body(_ bytes: UnsafeRawBufferPointer) -> Int {
        // Returning a short count aborts the transfer with CURLE_WRITE_ERROR.
        if control.isCancelled { return 0 }
        sendResponseIfNeeded()
        pendingBody.append(contentsOf: bytes)
        return bytes.count
    }

    /// Body bytes are waiting to be handed on.
    var hasPendingBody: Bool { !pendingBody.isEmpty }

    /// Hands on the body bytes collected since the last flush.
    func flush() {
        guard !pendingBody.isEmpty else { return }
        let bytes = pendingBody
        pendingBody.removeAll(keepingCapacity: true)
        if !control.isCancelled { emit(.bytes(bytes)) }
    }

    private func sendResponseIfNeeded() {
        guard !responseSent else { return }
        responseSent = true
        emit(.response(status: status, headers: headers))
    }

    /// Reports the outcome once `perform` returned: exactly one `.end` or `.failure`.
    private func complete(code: CURLcode, easy: UnsafeMutableRawPointer, errorText: String) {
        if control.isCancelled {
            emit(.failure(TransportFailure(kind: .cancelled, code: Int(CURLE_ABORTED_BY_CALLBACK.rawValue),
                                           message: "cancelled")))
            return
        }
        if headersTooLarge {
            let limit = InputLimits.describeBytes(InputLimits.maxHeaderBytes)
            emit(.failure(TransportFailure(kind: .tooLarge, code: Int(code.rawValue),
                                           message: "the response headers from \(url) are larger than \(limit), "
                                               + "the limit for one response")))
            return
        }
        guard code == CURLE_OK else {
            let reason = String(cString: sc_curl_easy_strerror(code))
            let message = errorText.isEmpty ? reason : errorText
            emit(.failure(TransportFailure(kind: Self.classify(code), code: Int(code.rawValue), message: message)))
            return
        }
        if status == 0 {
            var value = 0
            sc_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &value)
            status = value
        }
        sendResponseIfNeeded()
        emit(.end)
    }

    static func classify(_ code: CURLcode) -> TransportFailure.Kind {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT: .unreachable
        case CURLE_OPERATION_TIMEDOUT: .timedOut
        case CURLE_ABORTED_BY_CALLBACK: .cancelled
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_FAILED_INIT, CURLE_OUT_OF_MEMORY: .other
        default: .connectionLost
        }
    }

    /// Whole milliseconds of a timeout, between 1 ms and 30 days (NaN is the shortest), so
    /// no configured figure can trap the conversion.
    private static func milliseconds(_ seconds: Double) -> Int {
        guard !seconds.isNaN else { return 1 }
        return Int(min(max(seconds, 0.001), 86_400 * 30) * 1000)
    }

    /// `Name: value` with CR/LF removed, so a header value cannot inject another header.
    private static func headerLine(_ header: (name: String, value: String)) -> String {
        let clean = { (text: String) in String(text.filter { $0 != "\r" && $0 != "\n" }) }
        let value = clean(header.value)
        // curl drops `Name:` with an empty value; `Name;` sends it empty.
        return value.isEmpty ? "\(clean(header.name));" : "\(clean(header.name)): \(value)"
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

/// When a transfer's waiting body bytes are handed on (D184): at once after a pause (the
/// first token of a reply, a single answer), else no sooner than `hold` after the previous
/// hand-on, so a consumer streaming 200 tokens/s wakes every 35 ms for a few tokens rather
/// than every 5 ms for one. Pure: the transfer thread passes the time.
struct BodyPacer {
    enum Decision: Equatable {
        /// Hand the bytes on, then sleep `pauseAfter` milliseconds before watching the socket
        /// again: `readPause` when the stream is dense (this hold had to wait), so the next
        /// tokens are read together at the pause's end instead of the first one on its own;
        /// 0 for a slow stream, whose next token may be a second away (D206).
        case handOn(pauseAfter: Int32)
        /// Sleep `pause` milliseconds without watching the socket (bytes arriving meanwhile
        /// are read together), then poll for at most `poll` more, then decide again.
        case wait(pause: Int32, poll: Int32)
    }

    /// While holding, the socket is not watched for up to 12 ms after a read: at 200 tokens/s
    /// the transfer thread then wakes about 115 times for 200 tokens, not 200 (D190, D202).
    /// The end of a transfer arriving in a pause is seen at most this late, within the one
    /// frame (16 ms) the lag may take.
    static let readPause: Int32 = 12

    /// 35 ms: just over the 33 ms between streaming frames (D183), so each hand-on is
    /// painted as it arrives, with no frame timer of its own (D185). A token waits at most
    /// one hold (before, up to 16 ms here and then up to 33 ms for its frame).
    static let hold = Duration.milliseconds(35)
    let hold: Duration
    private var lastHandOn: ContinuousClock.Instant
    /// Whether a wait was decided since the last hand-on (bytes came within the hold).
    private var waited = false

    init(start: ContinuousClock.Instant, hold: Duration = BodyPacer.hold) {
        self.hold = hold
        lastHandOn = start - hold
    }

    /// Bytes are waiting at `now`: hand them on, or wait the rest of the hold.
    mutating func decide(now: ContinuousClock.Instant) -> Decision {
        let since = now - lastHandOn
        guard since < hold else {
            lastHandOn = now
            defer { waited = false }
            return .handOn(pauseAfter: waited ? Self.readPause : 0)
        }
        waited = true
        let remaining = Int32(max(1, ((hold - since) / .milliseconds(1)).rounded(.up)))
        let pause = min(remaining, Self.readPause)
        return .wait(pause: pause, poll: remaining - pause)
    }
}
