import AgentCore
import CSpawn
import Dispatch
import Glibc
import Synchronization
import ThreadSupport

/// A spawned MCP server speaking newline-delimited JSON-RPC on its stdin/stdout.
///
/// Three threads of its own (never the cooperative pool): one writes queued lines to stdin,
/// one reads stdout into lines, one drains stderr into a bounded tail (so a chatty server
/// never blocks on a full pipe); a fourth reaps the process. The child leads its own session,
/// so `close()` signals its whole process group: TERM, then KILL after a grace period.
final class StdioTransport: MCPTransport {
    private struct State {
        var queue: [[UInt8]] = []
        var inputClosed = false
        var exitStatus: Int32?
        var fatal: MCPError?
        var closing = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
        var exitReason: MCPError?
    }

    let pid: pid_t
    private let inputFD: Int32
    private let state = Mutex(State())
    private let writeSignal = DispatchSemaphore(value: 0)
    private let outputDone = DispatchSemaphore(value: 0)
    private let errorDone = DispatchSemaphore(value: 0)
    let stderrTail: StderrTail
    /// Grace between TERM and KILL on close.
    static let closeGraceSeconds = 2.0

    private init(pid: pid_t, inputFD: Int32, stderrTail: StderrTail) {
        self.pid = pid
        self.inputFD = inputFD
        self.stderrTail = stderrTail
    }

    /// Starts `command` (looked up in PATH) with `arguments`, this process's environment plus
    /// `environment`, in `workingDirectory`. Lines from stdout go to `onLine`; `onExit` is called
    /// once with the reason when the process has exited.
    static func start(command: String, arguments: [String], environment: [String: String],
                      workingDirectory: String?, stderrLog: @escaping @Sendable (String) -> Void = { _ in },
                      onLine: @escaping @Sendable ([UInt8]) -> Void,
                      onExit: @escaping @Sendable (MCPError) -> Void) throws(MCPError) -> StdioTransport {
        signal(SIGPIPE, SIG_IGN)  // A server that closed stdin is EPIPE, not the end of swiftcoder.
        let merged = ProcessEnvironment.merged(with: environment)
        guard let path = ProcessEnvironment.findExecutable(command, path: merged["PATH"]) else {
            throw MCPError("command not found: \(command)")
        }
        var pid: pid_t = 0
        var input: Int32 = -1, output: Int32 = -1, errors: Int32 = -1
        let argv = [command] + arguments
        let envp = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let result = CStrings.withArray(argv) { argvPointer in
            CStrings.withArray(envp) { envPointer in
                if let workingDirectory {
                    return sc_spawn_piped(path, argvPointer, envPointer, workingDirectory, &pid, &input, &output, &errors)
                }
                return sc_spawn_piped(path, argvPointer, envPointer, nil, &pid, &input, &output, &errors)
            }
        }
        guard result == 0 else {
            throw MCPError("cannot start \(command): \(String(cString: strerror(result)))")
        }
        let transport = StdioTransport(pid: pid, inputFD: input, stderrTail: StderrTail(onLine: stderrLog))
        transport.startThreads(outputFD: output, errorFD: errors, onLine: onLine, onExit: onExit)
        return transport
    }

    private func startThreads(outputFD: Int32, errorFD: Int32, onLine: @escaping @Sendable ([UInt8]) -> Void,
                              onExit: @escaping @Sendable (MCPError) -> Void) {
        DetachedThread.spawn { self.writeLoop() }
        DetachedThread.spawn { self.readLoop(outputFD, onLine: onLine) }
        DetachedThread.spawn {
            Self.drain(errorFD, into: self.stderrTail)
            self.errorDone.signal()
        }
        DetachedThread.spawn { self.reap(onExit: onExit) }
    }

    // MARK: - Writing

    /// Queues one message (a newline is added); never blocks.
    func send(_ line: String) throws(MCPError) {
        try state.withLock { state throws(MCPError) in
            if let reason = state.fatal ?? state.exitReason { throw reason }
            // Closed stdin (EPIPE) but not yet reaped: the exit will fail the waiting requests.
            guard !state.inputClosed else { return }
            state.queue.append(Array(line.utf8) + [UInt8(ascii: "\n")])
        }
        writeSignal.signal()
    }

    private func writeLoop() {
        while true {
            writeSignal.wait()
            let (batch, closed) = state.withLock { state -> ([[UInt8]], Bool) in
                defer { state.queue = [] }
                return (state.queue, state.inputClosed)
            }
            for bytes in batch where !Self.writeAll(inputFD, bytes) {
                state.withLock { $0.inputClosed = true }
                break
            }
            if closed || state.withLock({ $0.inputClosed }) {
                Glibc.close(inputFD)
                return
            }
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    // MARK: - Reading

    private func readLoop(_ fd: Int32, onLine: @escaping @Sendable ([UInt8]) -> Void) {
        var framer = LineFramer()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            do {
                for line in try framer.append(buffer[0..<count]) { onLine(line) }
            } catch {
                state.withLock { if $0.fatal == nil { $0.fatal = error } }
                terminate()
                break
            }
        }
        Glibc.close(fd)
        outputDone.signal()
    }

    private static func drain(_ fd: Int32, into tail: StderrTail) {
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            tail.append(buffer[0..<count])
        }
        Glibc.close(fd)
    }

    // MARK: - Ending

    private func reap(onExit: @escaping @Sendable (MCPError) -> Void) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Give the pipes a moment to deliver the last lines (a grandchild may hold them open).
        _ = outputDone.wait(timeout: .now() + 1)
        _ = errorDone.wait(timeout: .now() + 1)
        let (waiters, reason) = state.withLock { state -> ([CheckedContinuation<Void, Never>], MCPError) in
            state.exitStatus = status
            state.inputClosed = true
            defer { state.exitWaiters = [] }
            let reason = state.fatal ?? (state.closing ? MCPError("the connection was closed", connectionLost: true)
                                                       : Self.exitReason(status, lastLine: stderrTail.lastLine))
            state.exitReason = reason
            return (state.exitWaiters, reason)
        }
        writeSignal.signal()
        onExit(reason)
        for waiter in waiters { waiter.resume() }
    }

    static func exitReason(_ status: Int32, lastLine: String?) -> MCPError {
        let termination = status & 0x7f
        var text = termination == 0 ? "exited with status \((status >> 8) & 0xff)" : "killed by signal \(termination)"
        if let lastLine { text += ": " + lastLine }
        return MCPError(text, connectionLost: true)
    }

    func didInitialize(protocolVersion: String) {}

    /// Why the process ended, once it has.
    var exitReasonIfExited: MCPError? { state.withLock { $0.exitReason } }

    var isAlive: Bool { state.withLock { $0.exitStatus == nil && $0.fatal == nil } }

    /// Sends TERM to the process group, KILL after the grace period (without waiting).
    func terminate() {
        let alreadyClosing = state.withLock { state -> Bool in
            defer { state.closing = true; state.inputClosed = true }
            return state.closing || state.exitStatus != nil
        }
        writeSignal.signal()
        guard !alreadyClosing else { return }
        kill(-pid, SIGTERM)
        DetachedThread.spawn {
            let deadline = DispatchTime.now() + Self.closeGraceSeconds
            while DispatchTime.now() < deadline {
                if self.state.withLock({ $0.exitStatus != nil }) { return }
                usleep(20_000)
            }
            if self.state.withLock({ $0.exitStatus == nil }) { kill(-self.pid, SIGKILL) }
        }
    }

    /// Closes stdin, ends the process group and waits until the process is reaped.
    func close() async {
        terminate()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let exited = state.withLock { state -> Bool in
                if state.exitStatus != nil { return true }
                state.exitWaiters.append(continuation)
                return false
            }
            if exited { continuation.resume() }
        }
    }
}
