import Foundation
import Testing

/// A tmux session on a private server socket, driven like a person at a keyboard.
struct TmuxSession {
    let socket = "swiftcoder-test-\(UUID().uuidString.prefix(8))"
    let name = "e2e"
    let environment: [String: String]

    /// Starts `command` (run by `sh -c`) in a detached session of the given size.
    init(command: String, columns: Int, rows: Int, environment: [String: String]) throws {
        self.environment = environment
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "\(columns)", "-y", "\(rows)", command])
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let tmux = try #require(Harness.tmux, "tmux is not installed (scripts/setup-system installs it)")
        // Output goes through a file and the client is reaped with waitpid: the tmux server
        // daemonizes from the first client and would keep Foundation's pipes (and its
        // process-exit monitor) open forever.
        let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outURL) }
        let status = try spawnAndWait(tmux, ["-L", socket] + arguments, environment: environment, stdout: outURL.path)
        if status != 0 && arguments.first != "kill-server" {
            Issue.record("tmux \(arguments.first ?? "") exited \(status)")
        }
        return (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    }

    /// The visible screen, one string per row.
    func screen() throws -> [String] {
        var rows = try tmux(["capture-pane", "-p", "-t", name]).components(separatedBy: "\n")
        if rows.last == "" { rows.removeLast() }
        return rows
    }

    func screenText() throws -> String { try screen().joined(separator: "\n") }

    /// Sends keys (tmux key names such as `Enter`, `C-d`, `Escape`, or literal text).
    func send(_ keys: String...) throws {
        try tmux(["send-keys", "-t", name] + keys)
    }

    /// Types text literally (no key-name lookup).
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", name, "-l", text])
    }

    /// Types `text` and presses Enter, as a person sends a message or a command.
    func submit(_ text: String) throws {
        try type(text)
        try send("Enter")
    }

    /// Writes raw bytes to the app, as a terminal would (mouse reports, for instance).
    func sendBytes(_ bytes: [UInt8]) throws {
        try tmux(["send-keys", "-t", name, "-H"] + bytes.map { String($0, radix: 16) })
    }

    /// The visible screen with its colours and attributes as escape sequences.
    func styledScreen() throws -> String {
        try tmux(["capture-pane", "-p", "-e", "-t", name])
    }

    func resize(columns: Int, rows: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// A tmux format value, such as `#{alternate_on}`.
    func format(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", name, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The process id of the pane's shell.
    func panePID() throws -> Int32 {
        try #require(Int32(try format("#{pane_pid}")))
    }

    func kill() {
        _ = try? tmux(["kill-server"])
    }

    /// Waits until the screen contains every one of `needles`; records the screen if not.
    @discardableResult
    func waitFor(_ needles: String..., seconds: Double = 20,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        // A capture that fails (the pane not ready yet, a busy machine) counts as "not yet".
        let found = Harness.poll(seconds: seconds) {
            guard let text = try? screenText() else { return false }
            return needles.allSatisfy { text.contains($0) }
        }
        if !found {
            let screen = (try? screenText()) ?? "(no capture)"
            Issue.record("screen never showed \(needles):\n\(screen)", sourceLocation: sourceLocation)
        }
        return found
    }
}

extension TmuxSession {
    /// Waits until the screen contains none of `needles`; records the screen if it still does.
    @discardableResult
    func waitForAbsence(_ needles: String..., seconds: Double = 20,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        let gone = try Harness.poll(seconds: seconds) {
            let text = try screenText()
            return !needles.contains { text.contains($0) }
        }
        if !gone {
            Issue.record("screen still shows one of \(needles):\n\(try screenText())", sourceLocation: sourceLocation)
        }
        return gone
    }
}

/// Children of a process, read from /proc (no procps needed).
func childPIDs(of parent: Int32) -> [Int32] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    return entries.compactMap { entry -> Int32? in
        guard let pid = Int32(entry),
              let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 2 && Int32(fields[1]) == parent ? pid : nil
    }
}

/// Runs a program with stdin from /dev/null and stdout to a file, waits for it and
/// returns its exit status (or 128 + signal).
func spawnAndWait(_ path: String, _ arguments: [String], environment: [String: String], stdout: String) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    // The test runner's threads block most signals and children inherit the mask: give
    // the child an empty mask and default handlers, as a shell would.
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
    let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    guard result == 0 else {
        throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL)
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let signal = status & 0x7F
    return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
}
