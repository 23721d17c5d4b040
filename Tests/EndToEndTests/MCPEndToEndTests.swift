import Foundation
import MockLLMServer
import Testing

/// MCP servers from the command line (issue 13): `swiftcoder mcp` lists each server with its
/// status and tools, and `run` offers their tools to the model, reporting a failed server on
/// stderr without failing the run. The server is `Tests/MCPClientTests/fake_mcp_server.py`.
@Suite(.timeLimit(.minutes(3)), .enabled(if: Harness.canRunBinary, "swiftcoder binary not built (scripts/test builds it)"))
struct MCPEndToEndTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("MCPClientTests/fake_mcp_server.py").path

    /// The config; the fake server's log goes into the sandbox, so its path marks this test's servers.
    func config(in sandbox: URL, apiBase: String) throws -> URL {
        let url = sandbox.appendingPathComponent("mcp-config.json")
        let log = sandbox.appendingPathComponent("mcp-received.log").path
        try """
            {"defaultProvider": "mock",
             "providers": {"mock": {"type": "openai-compatible", "apiBase": "\(apiBase)", "apiKey": "sk-test", "model": "m"}},
             "mcpServers": {
               "fake": {"command": "python3", "args": ["\(Self.script)", "normal", "\(log)"], "alwaysAllow": ["echo"]},
               "broken": {"command": "python3", "args": ["\(Self.script)", "exit1"]},
               "missing": {"command": "no-such-mcp-xyz"}}}
            """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func mcpListsEachServerWithItsStatusAndTools() throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try config(in: sandbox, apiBase: server.baseURL)
        let text = try Harness.run(["mcp", "--config", config.path], sandbox: sandbox)
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.stdout.contains("fake (stdio): ready · fake 1.0 · MCP 2025-06-18"), "\(text.stdout)")
        #expect(text.stdout.contains("  echo (read-only) - Echoes its text."))
        #expect(text.stdout.contains("  /fake:review <file> [focus] - Reviews a file."), "\(text.stdout)")
        #expect(text.stdout.contains("  @fake:notes://todo - Todo list"))
        #expect(text.stdout.contains("broken (stdio): failed: exited with status 1: fatal: no database configured"))
        #expect(text.stdout.contains("missing (stdio): failed: command not found: no-such-mcp-xyz"))
        let json = try Harness.run(["mcp", "--config", config.path, "--json"], sandbox: sandbox)
        let lines = json.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        let first = try #require(lines.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(first["status"] as? String == "ready" && (first["tools"] as? [Any])?.count == 4)
        #expect(lines[1].contains(#""reason":"exited with status 1: fatal: no database configured""#))
        // Every server was stopped: no fake server outlives the command.
        #expect(Harness.poll(seconds: 10) { !Self.processRunning(withArgument: sandbox.path) })
    }

    @Test func runOffersTheToolsAndReportsAFailedServerWithoutFailing() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "Done."))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try config(in: sandbox, apiBase: server.baseURL)
        // alwaysAllow lets echo run without --yes.
        let result = try Harness.run(["run", "--config", config.path, #"say it [[tool mcp__fake__echo {"text":"a"}]]"#],
                                     sandbox: sandbox)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("MCP server broken failed: exited with status 1: fatal: no database configured"))
        #expect(result.stderr.contains("→ mcp__fake__echo fake MCP server · echo"), "\(result.stderr)")
        let requests = server.requests.filter { $0.path.hasSuffix("/chat/completions") }
        #expect(requests.first?.bodyText.contains(#""name":"mcp__fake__echo""#) == true)
        #expect(requests.last?.bodyText.contains(#"echo: {\"text\": \"a\"}"#) == true, "\(requests.last?.bodyText ?? "")")
        // A tool that is not always allowed needs --yes: exit 2, naming it.
        let refused = try Harness.run(["run", "--config", config.path, "go [[tool mcp__fake__fail {}]]"], sandbox: sandbox)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("mcp__fake__fail needs approval"), "\(refused.stderr)")
        #expect(Harness.poll(seconds: 10) { !Self.processRunning(withArgument: sandbox.path) })
    }

    /// The last user message the mock received.
    static func lastPrompt(_ server: MockLLMServer) -> String {
        let chats = server.requests.filter { $0.path.hasSuffix("/chat/completions") }
        guard let body = chats.last?.body,
              let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let messages = object["messages"] as? [[String: Any]] else { return "" }
        return messages.last { $0["role"] as? String == "user" }?["content"] as? String ?? ""
    }

    static func chatCount(_ server: MockLLMServer) -> Int {
        server.requests.filter { $0.path.hasSuffix("/chat/completions") }.count
    }

    @Test func runFillsInPromptsAndAttachesResources() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "Done."))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try config(in: sandbox, apiBase: server.baseURL).path
        let review = try Harness.run(["run", "--config", config, "/fake:review main.swift error handling"], sandbox: sandbox)
        #expect(review.status == 0, "stderr: \(review.stderr)")
        #expect(Self.lastPrompt(server) == "Review main.swift, focusing on error handling.")
        let mention = try Harness.run(["run", "--config", config, "plan from @fake:notes://todo."], sandbox: sandbox)
        #expect(mention.status == 0, "stderr: \(mention.stderr)")
        #expect(Self.lastPrompt(server)
            == "plan from @fake:notes://todo.\n\n<resource server=\"fake\" uri=\"notes://todo\">\n1. ship MCP prompts\n</resource>")
        // Nothing is sent when a mention cannot be read or a required argument is missing.
        let before = Self.chatCount(server)
        let gone = try Harness.run(["run", "--config", config, "read @fake:notes://gone"], sandbox: sandbox)
        #expect(gone.status == 1)
        #expect(gone.stderr.contains("@fake:notes://gone could not be read: error -32002: resource not found"), "\(gone.stderr)")
        let missing = try Harness.run(["run", "--config", config, "/fake:review"], sandbox: sandbox)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/fake:review needs file. Usage: /fake:review <file> [focus]"), "\(missing.stderr)")
        #expect(Self.chatCount(server) == before)
        #expect(Harness.poll(seconds: 10) { !Self.processRunning(withArgument: sandbox.path) })
    }

    static func processRunning(withArgument marker: String) -> Bool {
        let procs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return procs.contains { pid in
            guard Int(pid) != nil, let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: cmd, as: UTF8.self).contains(marker)
        }
    }
}

/// The full-screen app with the fake server: the sidebar counts its prompts and resources,
/// `/fake:review` is offered and sent filled in, `@fake:` completes with Tab and the resource
/// is attached, and one that cannot be read leaves the message in the input line.
@Suite(.timeLimit(.minutes(3)), .enabled(if: Harness.canRunTmux, "tmux or the swiftcoder binary is missing"))
struct MCPTUIEndToEndTests {
    /// The app in tmux at 140x40, started in `sandbox` with `config`.
    static func app(config: String, sandbox: URL) throws -> TmuxSession {
        let binary = try #require(Harness.binary)
        return try TmuxSession(command: "cd '\(sandbox.path)' && '\(binary)' --config '\(config)'; exec sleep 600",
                               columns: 140, rows: 40, environment: Harness.environment(sandbox: sandbox))
    }

    /// The mock answering "Done.", a sandbox configured with the fake MCP server, and the app.
    struct Running {
        let server: MockLLMServer
        let sandbox: URL
        let session: TmuxSession

        func stop() {
            session.kill()
            server.stop()
        }
    }

    static func startWithFakeServer() throws -> Running {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "Done."))
        let sandbox = try Harness.makeSandbox()
        let config = try MCPEndToEndTests().config(in: sandbox, apiBase: server.baseURL).path
        return Running(server: server, sandbox: sandbox, session: try app(config: config, sandbox: sandbox))
    }

    @Test func promptsAndResourcesInTheApp() throws {
        let running = try Self.startWithFakeServer()
        defer { running.stop() }
        let (server, session) = (running.server, running.session)
        try session.waitFor("● online", "fake: ready · 4 tools · 2", "prompts · 2 resources")
        try session.type("/fake:")
        try session.waitFor("/fake:review", "<file> [focus] · Reviews a file.")
        try session.send("C-u")
        var before = MCPEndToEndTests.chatCount(server)
        try session.submit("/fake:review main.swift error handling")
        #expect(Harness.poll { MCPEndToEndTests.chatCount(server) > before }, "\((try? session.screenText()) ?? "")")
        #expect(MCPEndToEndTests.lastPrompt(server) == "Review main.swift, focusing on error handling.")
        try session.waitFor("ready")

        try session.type("plan from @fake:n")
        try session.waitFor("@fake:notes://todo", "Todo list · What is left")
        try session.send("Tab")
        try session.send("Tab")
        try session.waitFor("› plan from @fake:notes://todo")
        before = MCPEndToEndTests.chatCount(server)
        try session.send("Enter")
        #expect(Harness.poll { MCPEndToEndTests.chatCount(server) > before }, "\((try? session.screenText()) ?? "")")
        #expect(MCPEndToEndTests.lastPrompt(server).hasSuffix("<resource server=\"fake\" uri=\"notes://todo\">\n1. ship MCP prompts\n</resource>"))
        try session.waitFor("ready")

        before = MCPEndToEndTests.chatCount(server)
        try session.submit("read @fake:notes://gone")
        try session.waitFor("The message was not sent", "› read @fake:notes://gone")
        #expect(MCPEndToEndTests.chatCount(server) == before)
    }

    /// A slow MCP call, approved in the box that names the server, is stopped with Esc: the
    /// turn ends cancelled and the server is told (`notifications/cancelled`).
    @Test func aSlowCallIsCancelledWithEsc() throws {
        let running = try Self.startWithFakeServer()
        defer { running.stop() }
        let (sandbox, session) = (running.sandbox, running.session)
        try session.waitFor("● online", "fake: ready")
        try session.submit(#"wait [[tool mcp__fake__slow {"seconds":8}]]"#)
        try session.waitFor("fake MCP server · slow", "y yes")
        #expect(Harness.poll {
            if (try? session.screenText())?.contains("y yes") == true { try? session.type("y") }
            return (try? session.screenText())?.contains("y yes") == false
        })
        let log = sandbox.appendingPathComponent("mcp-received.log").path
        #expect(Harness.poll { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("tools/call") })
        try session.send("Escape")
        try session.waitFor("→ cancelled")
        // The server reads the notification once its 8 s sleep ends.
        #expect(Harness.poll(seconds: 40) {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("notifications/cancelled")
        }, "\((try? session.screenText()) ?? "")")
        try session.waitFor("ready")
    }

    /// A server that never answers `initialize` and one that writes 1 MB to stderr first do
    /// not hold the first frame: the app is usable while the first says `starting…`, the
    /// second becomes ready, and a missing command is named.
    @Test func slowAndNoisyServersDoNotHoldTheFirstFrame() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "Done."))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = sandbox.appendingPathComponent("slow-mcp.json")
        try """
            {"defaultProvider": "mock",
             "providers": {"mock": {"type": "openai-compatible", "apiBase": "\(server.baseURL)", "apiKey": "sk-test", "model": "m"}},
             "mcpServers": {
               "silent": {"command": "python3", "args": ["\(MCPEndToEndTests.script)", "silent"], "timeout": 120},
               "noisy": {"command": "python3", "args": ["\(MCPEndToEndTests.script)", "noisy"]},
               "missing": {"command": "no-such-mcp-xyz"}}}
            """.write(to: config, atomically: true, encoding: .utf8)
        let session = try Self.app(config: config.path, sandbox: sandbox)
        defer { session.kill() }
        try session.waitFor("● online", "silent: starting…", "noisy: ready · 4 tools",
                            "missing: failed: command", "no-such-mcp-xyz")
        let before = MCPEndToEndTests.chatCount(server)
        try session.submit("hello while one server starts")
        #expect(Harness.poll { MCPEndToEndTests.chatCount(server) > before })
        try session.waitFor("Done.", "silent: starting…")
    }
}

