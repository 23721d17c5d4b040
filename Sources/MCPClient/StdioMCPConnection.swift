import AgentCore
import CSpawn
import Glibc
import Synchronization
import ThreadSupport

/// An MCP server run as a child process, spoken to in newline-delimited JSON-RPC over its
/// stdin and stdout (D158). The child leads its own session (no terminal, its own process
/// group); its stdout is read and its stderr drained on threads of their own (never the
/// pool, and a chatty stderr can never block the server); writes happen off the pool too.
/// Requests wait for their answer, their timeout or their task's cancellation (the last two
/// send `notifications/cancelled`). When the process ends, every waiting request fails with
/// the reason (`exited with status 1: <last stderr line>`).
final class StdioMCPConnection: Sendable {
    let serverName: String
    private let pid: pid_t
    private let input: Int32
    private let state = Mutex(State())
    private let writing = Mutex(())
    private let stderrTail = Mutex(StderrTail())

    private struct State {
        var nextID = 1
        var pending: [Int: CheckedContinuation<JSONValue, any Error>] = [:]
        var cancelledEarly: Set<Int> = []
        var endReason: String?
        var closing = false
        var toolsChanged: (@Sendable () -> Void)?
        var serverDescription = ""
        var ignoredLines = 0
    }

    /// The last lines the server wrote to stderr (bounded).
    private struct StderrTail {
        var text = ""
        mutating func append(_ bytes: ArraySlice<UInt8>) {
            text += String(decoding: bytes, as: UTF8.self)
            if text.utf8.count > 4096 { text = String(text.suffix(2048)) }
        }
        var lastLine: String? {
            text.split(whereSeparator: \.isNewline).last.map { MCPMessages.clean(String($0)) }.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// Starts `command` (looked up on `PATH` unless it names a path) and the threads that read it.
    init(name: String, command: String, arguments: [String], environment: [String: String],
         workingDirectory: String?) throws(MCPError) {
        serverName = name
        guard let path = Self.resolve(command, path: environment["PATH"]) else {
            throw MCPError("command not found: \(command)")
        }
        var pid: pid_t = 0
        var stdinFD: Int32 = -1, stdoutFD: Int32 = -1, stderrFD: Int32 = -1
        let argv = [command] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        let error = Self.withCStrings(argv) { argv in
            Self.withCStrings(envp) { envp in
                sc_spawn_piped(path, argv, envp, workingDirectory, &pid, &stdinFD, &stdoutFD, &stderrFD)
            }
        }
        guard error == 0 else { throw MCPError("could not start \(command): \(String(cString: strerror(error)))") }
        self.pid = pid
        input = stdinFD
        startReading(stdoutFD)
        startDraining(stderrFD)
    }

    var serverDescription: String { state.withLock { $0.serverDescription } }

    func setServerDescription(_ text: String) { state.withLock { $0.serverDescription = text } }

    var isAlive: Bool { state.withLock { $0.endReason == nil && !$0.closing } }

    func setToolsChangedHandler(_ handler: @escaping @Sendable () -> Void) {
        state.withLock { $0.toolsChanged = handler }
    }

    // MARK: Requests

    /// Sends a request and waits for its result.
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
                write(MCPMessages.request(id: id, method: method, params: params)) { [weak self] error in
                    self?.abandon(id, with: error, notify: false)
                }
            }
        } onCancel: {
            self.abandon(id, with: CancellationError())
        }
    }

    /// Sends a notification (no answer).
    func notify(_ method: String, params: String? = nil) {
        write(MCPMessages.notification(method: method, params: params)) { _ in }
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

    // MARK: Writing (off the pool)

    private func write(_ line: String, failed: @escaping @Sendable (MCPError) -> Void) {
        let bytes = Array((line + "\n").utf8)
        let fd = input
        let started = DetachedThread.spawn { [self] in
            let ok = writing.withLock { _ in Self.writeAll(fd, bytes) }
            if !ok { failed(MCPError("could not write to the server: it closed its input", connectionLost: true)) }
        }
        if !started { failed(MCPError("could not start a thread to write to the server")) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    // MARK: Reading (threads of their own)

    private func startReading(_ fd: Int32) {
        _ = DetachedThread.spawn { [self] in
            var framer = LineFramer()
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var failure: String?
            while failure == nil {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                guard let lines = framer.feed(buffer[0..<count]) else {
                    failure = "sent a message longer than \(InputLimits.describeBytes(InputLimits.maxMCPMessageBytes))"
                    break
                }
                for line in lines { failure = failure ?? handle(line) }
            }
            Glibc.close(fd)
            if failure != nil { kill(-pid, SIGKILL) }
            ended(failure)
        }
    }

    private func startDraining(_ fd: Int32) {
        _ = DetachedThread.spawn { [self] in
            var buffer = [UInt8](repeating: 0, count: 16_384)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                stderrTail.withLock { $0.append(buffer[0..<count]) }
            }
            Glibc.close(fd)
        }
    }

    /// Handles one line; returns why the connection must end, or nil.
    private func handle(_ line: [UInt8]) -> String? {
        switch MCPMessages.parse(line) {
        case .response(let id, let result)?:
            let continuation = state.withLock { $0.pending.removeValue(forKey: id) }
            continuation?.resume(with: result.mapError { $0 as any Error })
        case .request(let id, let method)?:
            write(MCPMessages.answer(id: id, method: method)) { _ in }
        case .notification(let method, _)?:
            if method == "notifications/tools/list_changed" { state.withLock { $0.toolsChanged }?() }
        case nil:
            // Not a message (a stray log line on stdout): tolerated, within reason.
            let ignored = state.withLock { state in
                state.ignoredLines += 1
                return state.ignoredLines
            }
            if ignored > 1_000 { return "wrote more than 1,000 lines that are not JSON-RPC to its output" }
        }
        return nil
    }

    /// The output closed: the process is reaped and every waiting request fails with why.
    private func ended(_ failure: String?) {
        var status: Int32 = 0
        var reaped = false
        for _ in 0..<100 {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { reaped = true; break }
            if result < 0 { break }
            usleep(10_000)
        }
        let (closing, waiting) = state.withLock { state in
            (state.closing, Array(state.pending.values))
        }
        let stderrLine = stderrTail.withLock { $0.lastLine }
        var reason = failure ?? (reaped ? Self.describeExit(status) : "closed its output")
        if failure == nil, let stderrLine { reason += ": " + stderrLine }
        if closing { reason = "stopped" }
        state.withLock { state in
            state.endReason = reason
            state.pending = [:]
        }
        for continuation in waiting { continuation.resume(throwing: MCPError(reason, connectionLost: true)) }
    }

    /// Stops the server: its input closed, then TERM to its process group, KILL after a second.
    func close() {
        let already = state.withLock { state in
            defer { state.closing = true }
            return state.closing || state.endReason != nil
        }
        Glibc.close(input)
        guard !already else { return }
        let pid = self.pid
        kill(-pid, SIGTERM)
        _ = DetachedThread.spawn {
            for _ in 0..<100 where kill(pid, 0) == 0 { usleep(10_000) }
            kill(-pid, SIGKILL)
        }
    }

    // MARK: Helpers

    static func describeExit(_ status: Int32) -> String {
        let signal = status & 0x7F
        if signal == 0 { return "exited with status \((status >> 8) & 0xFF)" }
        return "ended by signal \(signal)"
    }

    static func describe(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }

    /// `command` itself when it holds a `/`, else the first executable of that name on `path`.
    static func resolve(_ command: String, path: String?) -> String? {
        guard !command.isEmpty else { return nil }
        if command.contains("/") { return access(command, X_OK) == 0 ? command : nil }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = directory + "/" + command
            if access(candidate, X_OK) == 0 { return String(candidate) }
        }
        return nil
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
