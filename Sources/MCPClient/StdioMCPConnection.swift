import AgentCore
import CSpawn
import Glibc
import Synchronization
import ThreadSupport

/// An MCP server run as a child process, spoken to in newline-delimited JSON-RPC over its
/// stdin and stdout (D158). The child leads its own session (no terminal, its own process
/// group); its stdout is read and its stderr drained on threads of their own (never the
/// pool, and a chatty stderr can never block the server); writes happen off the pool too.
/// When the process ends, every waiting request fails with the reason
/// (`exited with status 1: <last stderr line>`).
final class StdioMCPConnection: Sendable {
    let serverName: String
    let rpc: JSONRPCSession
    private let pid: pid_t
    private let writer: PipeWriter
    private let stderrTail = Mutex(StderrTail())

    /// The last lines the server wrote to stderr (bounded).
    private struct StderrTail {
        var text = ""
        /// The server's stderr reached its end (the drainer closed it).
        var closed = false
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
        _ = brokenPipesAreErrors
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
        let writer = PipeWriter(fd: stdinFD)
        self.writer = writer
        rpc = JSONRPCSession { message, failed in writer.write(message + "\n", failed: failed) }
        startReading(stdoutFD)
        startDraining(stderrFD)
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
                for line in lines { failure = failure ?? rpc.receive(line) }
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
            stderrTail.withLock { $0.closed = true }
        }
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
        var reason = failure ?? (reaped ? Self.describeExit(status) : "closed its output")
        // The last words on stderr can still be in the pipe when stdout's end is seen: wait
        // (at most half a second: a child of the server may hold the pipe) for its end too.
        for _ in 0..<500 where failure == nil && !stderrTail.withLock({ $0.closed }) { usleep(1_000) }
        if failure == nil, let line = stderrTail.withLock({ $0.lastLine }) { reason += ": " + line }
        rpc.end(reason)
    }

    /// Stops the server: its input closed, then TERM to its process group, KILL after a second.
    func stop() {
        let already = rpc.beginClosing()
        writer.close()
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

/// The write end of a child's stdin: whole messages written off the pool, one at a time.
final class PipeWriter: Sendable {
    private let fd: Int32
    private let lock = Mutex(false)

    init(fd: Int32) {
        self.fd = fd
    }

    func write(_ text: String, failed: @escaping @Sendable (MCPError) -> Void) {
        let bytes = Array(text.utf8)
        let started = DetachedThread.spawn { [self] in
            let ok = lock.withLock { closed in !closed && Self.writeAll(fd, bytes) }
            if !ok { failed(MCPError("could not write to the server: its input is closed", connectionLost: true)) }
        }
        if !started { failed(MCPError("could not start a thread to write to the server")) }
    }

    /// Closes the pipe once a write in progress ends (off the pool: a stuck write ends when
    /// the server's process group is stopped).
    func close() {
        _ = DetachedThread.spawn { [self] in
            lock.withLock { closed in
                if !closed { Glibc.close(fd) }
                closed = true
            }
        }
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
}

/// SIGPIPE ignored, once, before the first server starts: a write to a server that died
/// fails with EPIPE (the connection is lost, and restarted once) instead of killing us.
/// `swiftcoder mcp` may start servers before any HTTP transfer did the same (CurlTransport).
private let brokenPipesAreErrors: Bool = {
    signal(SIGPIPE, SIG_IGN)
    return true
}()
