import Foundation
import Testing

/// The full-screen app without a usable terminal: it must end, never spin (D61).
@Suite(.timeLimit(.minutes(5)), .enabled(if: Harness.canRunBinary, "swiftcoder binary not built (scripts/test builds it)"))
struct TerminalInputEndToEndTests {
    /// `swiftcoder < /dev/null > file`: exit 1 with the message, well before the deadline
    /// (the deadline bounds the wait; a process still running after it fails the test).
    @Test func withoutATerminalTheAppSaysWhatToUse() throws {
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: "http://127.0.0.1:9/v1")
        let run = try SpawnedApp(["--config", config.path], sandbox: sandbox, terminal: nil)
        let status = run.wait(seconds: 20)
        #expect(status == 1)
        #expect(run.stderr() == "swiftcoder: the full-screen app needs a terminal; use swiftcoder run PROMPT\n")
    }

    /// The terminal goes away while the app runs (the pseudo-terminal's other end is
    /// closed; it is not the app's controlling terminal, so no SIGHUP comes): the input
    /// thread sees the hang-up and the app ends by itself.
    @Test func aTerminalThatHangsUpEndsTheApp() throws {
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: "http://127.0.0.1:9/v1")
        let (master, slave) = try #require(PseudoTerminal.open(), "no pseudo-terminal")
        let run = try SpawnedApp(["--config", config.path], sandbox: sandbox, terminal: slave)
        var output: [UInt8] = []
        let drawn = Harness.poll(seconds: 20) {
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while poll(&descriptor, 1, 0) > 0 {
                let count = read(master, &buffer, buffer.count)
                if count <= 0 { break }
                output += buffer[..<count]
            }
            return String(decoding: output, as: UTF8.self).contains("type a prompt")
        }
        #expect(drawn, "the app never drew: \(String(decoding: output, as: UTF8.self)) \(run.stderr())")
        close(master)
        #expect(run.wait(seconds: 20) == 0, "stderr: \(run.stderr())")
    }
}

/// The binary started with posix_spawn: stdin and stdout from /dev/null and a file, or
/// from a terminal device; stderr to a file.
struct SpawnedApp {
    let pid: pid_t
    let stderrPath: String

    init(_ arguments: [String], sandbox: URL, terminal: String?) throws {
        let binary = try #require(Harness.binary, "swiftcoder binary not found")
        stderrPath = sandbox.appendingPathComponent("stderr-\(UUID().uuidString.prefix(6))").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let terminal {
            posix_spawn_file_actions_addopen(&actions, 0, terminal, O_RDWR | O_NOCTTY, 0)
            posix_spawn_file_actions_adddup2(&actions, 0, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, sandbox.appendingPathComponent("stdout").path,
                                             O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = PseudoTerminal.addChangeDirectory?(&actions, sandbox.path)
        var environment = Harness.environment(sandbox: sandbox)
        (environment["TERM"], environment["LINES"], environment["COLUMNS"]) = ("xterm-256color", "24", "80")
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // As a shell would: no blocked signals, default handlers (the runner blocks some).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let result = posix_spawn(&pid, binary, &actions, &attributes, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        self.pid = pid
    }

    /// The exit status (128 + signal when killed by one), or nil when the process was
    /// still running after `seconds`; it is then killed.
    func wait(seconds: Double) -> Int32? {
        var status: Int32 = 0
        let ended = Harness.poll(seconds: seconds) { waitpid(pid, &status, WNOHANG) == pid }
        guard ended else {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
            return nil
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    func stderr() -> String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
}

/// The pseudo-terminal calls Glibc's Swift module hides (they need `_XOPEN_SOURCE`),
/// looked up by name.
enum PseudoTerminal {
    private static func function<Function>(_ name: String, as type: Function.Type) -> Function? {
        dlsym(nil, name).map { unsafeBitCast($0, to: type) }
    }

    static let addChangeDirectory = function("posix_spawn_file_actions_addchdir_np",
        as: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)

    /// A new pseudo-terminal: the controlling side's descriptor (close-on-exec) and the
    /// path of the terminal side.
    static func open() -> (master: Int32, slave: String)? {
        guard let openMaster = function("posix_openpt", as: (@convention(c) (Int32) -> Int32).self),
              let grant = function("grantpt", as: (@convention(c) (Int32) -> Int32).self),
              let unlock = function("unlockpt", as: (@convention(c) (Int32) -> Int32).self),
              let name = function("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
        else { return nil }
        let master = openMaster(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { return nil }
        guard grant(master) == 0, unlock(master) == 0, let path = name(master) else {
            close(master)
            return nil
        }
        return (master, String(cString: path))
    }
}
