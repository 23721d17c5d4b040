import Foundation
import MockLLMServer
import Testing

/// A project with a custom command in every folder kind (D145-D147), and the user's own.
struct CommandWorld {
    let sandbox: URL
    let server: MockLLMServer

    init() throws {
        server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "done"))
        sandbox = try Harness.makeSandbox()
        // The provider comes from the user's own config: the project folder has nothing gated.
        let userFolder = sandbox.appendingPathComponent("config/swiftcoder")
        try FileManager.default.createDirectory(at: userFolder, withIntermediateDirectories: true)
        _ = try Harness.writeConfig(in: userFolder, apiBase: server.baseURL)
        try write(".swiftcoder/commands/review.md", """
            ---
            description: Review a file with notes
            argument-hint: FILE [focus]
            ---
            SWIFTCODER-CMD review $1 with focus [$2] (all: $ARGUMENTS)
            @notes.txt
            """)
        try write(".claude/commands/git/status.md", """
            ---
            description: "Summarize the state"
            allowed-tools: Bash(git status:*), Read
            ---
            CLAUDE-CMD state for $ARGUMENTS: !`echo bang-output-$1`
            """)
        try write(".opencode/commands/plural.md", "OPENCODE-PLURAL-CMD $ARGUMENTS\n")
        try write(".opencode/command/singular.md", "---\ndescription: singular\nagent: build\n---\nOPENCODE-CMD $1\n")
        try write(".nanocoder/commands/nano.md", "---\ndescription: nano\naliases: [n]\n---\nNANOCODER-CMD $ARGUMENTS\n")
        try write("config/swiftcoder/commands/mine.md", "USER-CMD $1 and $2\n")
        try write("notes.txt", "NOTES-CONTENT-42\n")
        // Shadowed by the project's /review: said once, never used.
        try write("config/swiftcoder/commands/review.md", "USER-REVIEW $ARGUMENTS\n")
    }

    func write(_ relative: String, _ text: String) throws {
        let url = sandbox.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// The user message of the last chat request (JSON-unescaped enough to search).
    var lastPrompt: String {
        let chats = server.requests.filter { $0.path.hasSuffix("/chat/completions") }
        guard let body = chats.last?.body,
              let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let messages = object["messages"] as? [[String: Any]] else { return "" }
        return messages.last { $0["role"] as? String == "user" }?["content"] as? String ?? ""
    }

    var chatCount: Int { server.requests.filter { $0.path.hasSuffix("/chat/completions") }.count }
}

@Suite(.timeLimit(.minutes(5)), .enabled(if: Harness.canRunBinary, "swiftcoder binary not built (scripts/test builds it)"))
struct CustomCommandRunEndToEndTests {
    @Test func everyFolderKindExpandsWithArgumentsAndFiles() throws {
        let world = try CommandWorld()
        defer { world.server.stop() }
        let review = try Harness.run(["run", "/review main.swift \"error handling\""], sandbox: world.sandbox)
        #expect(review.status == 0, "stderr: \(review.stderr)")
        #expect(world.lastPrompt.contains("SWIFTCODER-CMD review main.swift with focus [error handling]"), "\(world.lastPrompt)")
        #expect(world.lastPrompt.contains("NOTES-CONTENT-42"))
        #expect(!world.lastPrompt.contains("@notes.txt"))
        #expect(review.stderr.contains("config/swiftcoder/commands/review.md is not used"), "\(review.stderr)")
        let cases = [("/plural a b", "OPENCODE-PLURAL-CMD a b"), ("/singular x", "OPENCODE-CMD x"),
                     ("/nano hello", "NANOCODER-CMD hello"), ("/mine one two", "USER-CMD one and two")]
        for (prompt, expected) in cases {
            let result = try Harness.run(["run", prompt], sandbox: world.sandbox)
            #expect(result.status == 0, "\(prompt): \(result.stderr)")
            #expect(world.lastPrompt.contains(expected), "\(prompt): \(world.lastPrompt)")
        }
        // Not a command: sent as typed.
        let plain = try Harness.run(["run", "/nosuch thing"], sandbox: world.sandbox)
        #expect(plain.status == 0)
        #expect(world.lastPrompt == "/nosuch thing")
    }

    @Test func aShellExpansionIsRefusedUntrustedAndRunsTrustedWithYes() throws {
        let world = try CommandWorld()
        defer { world.server.stop() }
        let before = world.chatCount
        let untrusted = try Harness.run(["run", "--yes", "/git:status main"], sandbox: world.sandbox)
        #expect(untrusted.status == 1)
        #expect(untrusted.stderr.contains("not trusted"), "stderr: \(untrusted.stderr)")
        #expect(untrusted.stderr.contains("swiftcoder trust"))
        #expect(world.chatCount == before, "a refused command must not be sent")

        let trust = try Harness.run(["trust"], sandbox: world.sandbox)
        #expect(trust.status == 0, "stderr: \(trust.stderr)")
        #expect(trust.stdout.contains("/git:status: !`echo bang-output-$1`"), "\(trust.stdout)")
        let unapproved = try Harness.run(["run", "/git:status main"], sandbox: world.sandbox)
        #expect(unapproved.status == 2, "stderr: \(unapproved.stderr)")
        #expect(unapproved.stderr.contains("was not approved (pass --yes"), "stderr: \(unapproved.stderr)")
        #expect(world.chatCount == before)

        let approved = try Harness.run(["run", "--yes", "/git:status main"], sandbox: world.sandbox)
        #expect(approved.status == 0, "stderr: \(approved.stderr)")
        #expect(world.lastPrompt.contains("CLAUDE-CMD state for main: "), "\(world.lastPrompt)")
        #expect(world.lastPrompt.contains("bang-output-main"), "\(world.lastPrompt)")
        #expect(!world.lastPrompt.contains("!`echo"))
    }
}

/// The full-screen app with the same commands: Tab and the popup, `/help`, each folder kind,
/// `@file`, and `!` refused untrusted, then asked in the approval box once trusted.
@Suite(.timeLimit(.minutes(5)), .enabled(if: Harness.canRunTmux, "tmux or the swiftcoder binary is missing"))
struct CustomCommandTUIEndToEndTests {
    private func start(_ world: CommandWorld) throws -> TmuxSession {
        let binary = try #require(Harness.binary)
        let sandbox = world.sandbox
        let command = "cd '\(sandbox.path)' && '\(binary)'; echo \"exit=$?\" > '\(sandbox.path)/exit-status'; "
            + "stty -a > '\(sandbox.path)/stty-after'; exec sleep 600"
        try? FileManager.default.removeItem(atPath: sandbox.path + "/exit-status")
        try? FileManager.default.removeItem(atPath: sandbox.path + "/stty-after")
        return try TmuxSession(command: command, columns: 120, rows: 40, environment: Harness.environment(sandbox: sandbox))
    }

    /// Sends `line` and waits until the mock received one more chat request.
    private func send(_ line: String, _ session: TmuxSession, _ world: CommandWorld) throws -> String {
        let before = world.chatCount
        try session.submit(line)
        #expect(Harness.poll { world.chatCount > before }, "\(line) was not sent:\n\((try? session.screenText()) ?? "")")
        try session.waitFor("ready")
        return world.lastPrompt
    }

    @Test func commandsFromEveryFolderInTheApp() throws {
        let world = try CommandWorld()
        defer { world.server.stop() }
        var session = try start(world)
        defer { session.kill() }
        try session.waitFor("● online")
        try session.type("/rev")
        try session.waitFor("/review", "FILE [focus] · Review a file with notes")
        try session.send("Tab")
        try session.waitForAbsence("Review a file with notes")
        try session.waitFor("› /review")
        try session.send("C-u")
        try session.submit("/help")
        try session.waitFor("Help · Esc closes")
        #expect(Harness.poll {
            if (try? session.screenText())?.contains("(user)") == true { return true }
            try? session.send("NPage")
            return false
        })
        try session.waitFor("Custom commands", "/git:status", "Summarize the state  (.claude/commands)", "/mine")
        try session.send("Escape")
        try session.waitForAbsence("Help · Esc closes")
        #expect(try send("/review main.swift \"error handling\"", session, world)
            .contains("SWIFTCODER-CMD review main.swift with focus [error handling]"))
        #expect(world.lastPrompt.contains("NOTES-CONTENT-42"))
        for (line, expected) in [("/plural a b", "OPENCODE-PLURAL-CMD a b"), ("/singular x", "OPENCODE-CMD x"),
                                 ("/nano hi", "NANOCODER-CMD hi"), ("/mine one two", "USER-CMD one and two")] {
            #expect(try send(line, session, world).contains(expected), "\(line): \(world.lastPrompt)")
        }

        // Untrusted: refused, nothing sent.
        let before = world.chatCount
        try session.submit("/git:status main")
        try session.waitFor("/git:status was not sent", "not trusted")
        #expect(world.chatCount == before)
        try session.send("C-d")
        try TUIEndToEndTests().expectRestored(session, sandbox: world.sandbox, status: "0")
        session.kill()

        // Trusted: the approval box shows the command; yes runs it and its output is sent.
        #expect(try Harness.run(["trust"], sandbox: world.sandbox).status == 0)
        session = try start(world)
        try session.waitFor("● online")
        try session.submit("/git:status main")
        try session.waitFor("echo bang-output-main", "y yes")
        #expect(world.chatCount == before)
        #expect(Harness.poll {
            if (try? session.screenText())?.contains("y yes") == true { try? session.type("y") }
            return world.chatCount > before
        })
        #expect(world.lastPrompt.contains("CLAUDE-CMD state for main: "))
        #expect(world.lastPrompt.contains("bang-output-main"))
        try session.waitFor("ready")
        try session.send("C-d")
        try TUIEndToEndTests().expectRestored(session, sandbox: world.sandbox, status: "0")
    }

    /// A command's approved `!` command runs with the meter saying so; Esc stops its process
    /// group, nothing is sent, and the app is ready again.
    @Test func escStopsACommandsRunningShellExpansion() throws {
        let world = try CommandWorld()
        defer { world.server.stop() }
        try world.write(".swiftcoder/commands/slow.md", "SLOW-CMD !`sleep 30; echo SLOW-MARK-7731`\n")
        #expect(try Harness.run(["trust"], sandbox: world.sandbox).status == 0)
        let session = try start(world)
        defer { session.kill() }
        try session.waitFor("● online")
        let before = world.chatCount
        try session.submit("/slow")
        try session.waitFor("SLOW-MARK-7731", "y yes")
        #expect(Harness.poll {
            if (try? session.screenText())?.contains("y yes") == true { try? session.type("y") }
            return (try? session.screenText())?.contains("running /slow · Esc stops it") == true
        })
        #expect(Harness.poll { Self.running("SLOW-MARK-7731") }, "the approved command did not start")
        try session.send("Escape")
        try session.waitFor("/slow was stopped: nothing was sent")
        try session.waitFor("ready")
        #expect(Harness.poll { !Self.running("SLOW-MARK-7731") }, "the command's process outlived Esc")
        #expect(world.chatCount == before)
        try session.send("C-d")
        try TUIEndToEndTests().expectRestored(session, sandbox: world.sandbox, status: "0")
    }

    /// Whether a process whose command line contains `marker` runs.
    private static func running(_ marker: String) -> Bool {
        let pgrep = Process()
        pgrep.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        pgrep.arguments = ["-f", marker]
        pgrep.standardOutput = FileHandle.nullDevice
        guard (try? pgrep.run()) != nil else { return false }
        pgrep.waitUntilExit()
        return pgrep.terminationStatus == 0
    }
}
