import Foundation
import MockLLMServer
import Testing

/// `swiftcoder run` as a process against the mock server.
@Suite(.timeLimit(.minutes(5)), .enabled(if: Harness.canRunBinary, "swiftcoder binary not built (scripts/test builds it)"))
struct RunCommandTests {
    @Test func printsTheStreamedReplyExactly() throws {
        let reply = "Hello, 世界! 🙂\nA second line with \"quotes\" and a trailing space "
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: reply, chunkCount: 9))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let result = try Harness.run(["run", "--config", config.path, "Say hello"], sandbox: sandbox)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == reply)
        // The mock reports usage, so both counts are numbers.
        #expect(result.stderr.range(of: #"tokens in=\d+ out=\d+ cost=n/a"#, options: .regularExpression) != nil,
                "stderr: \(result.stderr)")
        let request = try #require(server.requests.first { $0.path.hasSuffix("/chat/completions") })
        #expect(request.header("authorization") == "Bearer sk-test-secret-0042")
        #expect(request.bodyText.contains("Say hello"))
        #expect(request.bodyText.contains("\"include_usage\":true"))
    }

    @Test func anEmptyPromptIsRefusedWithoutARequest() throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        for prompt in ["", "  \n "] {
            let result = try Harness.run(["run", "--config", config.path, prompt], sandbox: sandbox)
            #expect(result.status != 0, "prompt \(prompt.debugDescription) was accepted: \(result.stdout)")
            #expect(result.stderr.contains("empty prompt"), "stderr: \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        #expect(!server.requests.contains { $0.path.hasSuffix("/chat/completions") })
    }

    @Test func pipedToolActivityGoesToStderrAndTheReplyKeepsItsLines() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "I will look at the server.",
                                                                           chunkCount: 3))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let prompt = #"look [[tool list_directory {"path": "."}]]"#
        let result = try Harness.run(["run", "--yes", "--config", config.path, prompt], sandbox: sandbox)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        // Before the tool: the first reply, ended on its own line; after it, the second reply.
        #expect(result.stdout.hasPrefix("I will look at the server.\nTool result: "), "stdout: \(result.stdout)")
        #expect(!result.stdout.contains("→") && !result.stdout.contains("list_directory"), "stdout: \(result.stdout)")
        let errorLines = result.stderr.split(separator: "\n")
        #expect(errorLines.contains { $0.hasPrefix("→ list_directory") }, "stderr: \(result.stderr)")
    }

    @Test func anUnreachableServerExitsOneNamingTheURL() throws {
        let sandbox = try Harness.makeSandbox()
        // Port 9 (discard) on loopback: nothing listens there.
        let config = try Harness.writeConfig(in: sandbox, apiBase: "http://127.0.0.1:9/v1")
        let result = try Harness.run(["run", "--config", config.path, "hi"], sandbox: sandbox)
        #expect(result.status == 1)
        #expect(result.stderr.contains("http://127.0.0.1:9/v1"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("unreachable"), "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func aRejectedKeyExitsOneWithoutShowingTheKey() throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let result = try Harness.run(["run", "--config", config.path, "[[error401]] hi"], sandbox: sandbox)
        #expect(result.status == 1)
        #expect(result.stderr.contains("API key"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("401"))
        #expect(!result.stderr.contains("sk-test-secret-0042"))
    }

    @Test func aStreamCutShortExitsOneAndKeepsWhatArrived() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "partial answer", chunkCount: 2))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let result = try Harness.run(["run", "--config", config.path, "[[truncate]] hi"], sandbox: sandbox)
        #expect(result.status == 1)
        #expect(!result.stdout.isEmpty)
        #expect(result.stderr.contains("stream ended"), "stderr: \(result.stderr)")
    }

    @Test func aRateLimitIsRetriedVisiblyThenSucceeds() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "after the wait"))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let result = try Harness.run(["run", "--config", config.path, "[[ratelimit-once]] hi"], sandbox: sandbox)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "after the wait")
        #expect(result.stderr.contains("rate limited, retrying in"), "stderr: \(result.stderr)")
        #expect(server.requests.filter { $0.path.hasSuffix("/chat/completions") }.count == 2)
    }

    @Test func jsonModePrintsOneObjectPerEvent() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "one two three", chunkCount: 3))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let result = try Harness.run(["run", "--json", "--config", config.path, "hi"], sandbox: sandbox)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let objects = try result.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let types = objects.compactMap { $0["type"] as? String }
        #expect(types.first == "first_token")
        #expect(types.contains("request"))
        #expect(types.suffix(2) == ["finish", "summary"])
        #expect(types.contains("usage"))
        let text = objects.filter { $0["type"] as? String == "text" }.compactMap { $0["text"] as? String }.joined()
        #expect(text == "one two three")
    }

    @Test func noConfigurationExitsOneAndSaysWhereItLooked() throws {
        let sandbox = try Harness.makeSandbox()
        let result = try Harness.run(["run", "hi"], sandbox: sandbox)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no provider is configured"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("agents.config.json"))
    }

    @Test func aBrokenConfigNamesFileLineAndColumn() throws {
        let sandbox = try Harness.makeSandbox()
        let config = sandbox.appendingPathComponent("agents.config.json")
        try "{\n  \"providers\": {\n    \"a\": {\"apiBase\": \"http://x\" \"model\": \"m\"}\n  }\n}\n"
            .write(to: config, atomically: true, encoding: .utf8)
        // The folder's own config is read once the folder is trusted (D80).
        let trust = try Harness.run(["trust"], sandbox: sandbox)
        #expect(trust.status == 0, "stderr: \(trust.stderr)")
        #expect(trust.stdout.contains(":3:"), "trust shows the syntax error: \(trust.stdout)")
        let result = try Harness.run(["run", "hi"], sandbox: sandbox)
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(config.path):3:"), "stderr: \(result.stderr)")
    }

    @Test func versionPrintsTheVersion() throws {
        let sandbox = try Harness.makeSandbox()
        let result = try Harness.run(["--version"], sandbox: sandbox)
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }
}

extension RunCommandTests {
    /// Ctrl-C stops the turn as Esc does in the app: what arrived stays on stdout, the request
    /// is counted (estimated: the server never sent its usage), the usage line is printed, and
    /// the exit status says it was interrupted (130).
    @Test func ctrlCStopsTheTurnCountsTheRequestAndExits130() throws {
        let reply = (1...400).map { "word\($0)" }.joined(separator: " ")
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: reply, chunkCount: 400,
                                                                           chunkDelayMilliseconds: 50))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let outURL = sandbox.appendingPathComponent("run-out"), errURL = sandbox.appendingPathComponent("run-err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Harness.binary))
        process.arguments = ["run", "--config", config.path, "Count slowly"]
        process.environment = Harness.environment(sandbox: sandbox)
        process.currentDirectoryURL = sandbox
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let read = { (url: URL) in String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self) }
        #expect(Harness.poll(seconds: 30) { read(outURL).contains("word5 ") })
        kill(process.processIdentifier, SIGINT)
        #expect(Harness.poll(seconds: 30) { !process.isRunning })
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 130, "stderr: \(read(errURL))")
        #expect(read(outURL).hasPrefix("word1 word2 word3 word4 word5 "))
        #expect(!read(outURL).contains("word400"))
        #expect(read(errURL).contains("stopping (Ctrl-C again quits at once)"))
        #expect(read(errURL).range(of: #"tokens in=~\d+ out=~\d+ cost="#, options: .regularExpression) != nil,
                "stderr: \(read(errURL))")
        let usage = try Harness.run(["usage", "--config", config.path, "--json"], sandbox: sandbox)
        #expect(usage.status == 0, "stderr: \(usage.stderr)")
        #expect(usage.stdout.contains("\"requests\":1"), "usage: \(usage.stdout)")
    }
}
