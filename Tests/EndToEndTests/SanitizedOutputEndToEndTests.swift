import Foundation
import MockLLMServer
import Testing

/// Text from outside reaches a terminal shown, not obeyed (D60): `run` and `models` under
/// `script` (a pseudo-terminal on stdout and stderr) against a mock whose reply and model
/// id carry a clipboard write (OSC 52), title changes, a C1 CSI, a bidi override and a lone
/// carriage return; into a pipe the same bytes pass unchanged.
@Suite(.timeLimit(.minutes(5)), .enabled(if: Harness.canRunBinary && FileManager.default.isExecutableFile(atPath: "/usr/bin/script"),
                "needs the swiftcoder binary and script(1)"))
struct SanitizedOutputEndToEndTests {
    static let hostileReply = "Done.\u{1B}]52;c;cm0gLXJmIH4=\u{07} \u{1B}]0;pwned\u{1B}\\ \u{9B}2J "
        + "\u{202E}exe.txt\nok\rX\n"
    static let hostileModel = "evil\u{1B}]2;owned\u{07}"

    /// Runs the binary with `arguments` under `script`; returns its status and every byte
    /// the terminal received (the terminal turns `\n` into `\r\n`).
    static func onATerminal(_ arguments: [String], sandbox: URL) throws -> (status: Int32, output: [UInt8]) {
        let binary = try #require(Harness.binary, "swiftcoder binary not found")
        let quoted = ([binary] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }
        let outputPath = sandbox.appendingPathComponent("terminal-\(UUID().uuidString.prefix(6))").path
        let status = try spawnAndWait("/usr/bin/script", ["-qec", "cd '\(sandbox.path)' && " + quoted.joined(separator: " "),
                                                          "/dev/null"],
                                      environment: Harness.environment(sandbox: sandbox), stdout: outputPath)
        return (status, Array(try Data(contentsOf: URL(fileURLWithPath: outputPath))))
    }

    /// Bytes a terminal would act on: ESC, a C1 control or a bidi override in UTF-8, or a
    /// carriage return that is not the terminal's own before a newline.
    static func obeyedBytes(in output: [UInt8]) -> [String] {
        var found: [String] = []
        if output.contains(0x1B) { found.append("ESC") }
        for index in output.indices.dropLast() {
            if output[index] == 0xC2 && (0x80...0x9F).contains(output[index + 1]) { found.append("C1") }
            if output[index] == 0x0D && output[index + 1] != 0x0A { found.append("lone CR") }
        }
        if String(decoding: output, as: UTF8.self).unicodeScalars.contains("\u{202E}") { found.append("bidi override") }
        return found
    }

    @Test func runShowsEscapeSequencesOnATerminal() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: Self.hostileReply, chunkCount: 13))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let (status, output) = try Self.onATerminal(["run", "--config", config.path, "hi"], sandbox: sandbox)
        let text = String(decoding: output, as: UTF8.self)
        #expect(status == 0, "\(text)")
        #expect(Self.obeyedBytes(in: output).isEmpty, "reached the terminal: \(Self.obeyedBytes(in: output))")
        #expect(text.contains(#"Done.\x1b]52;c;cm0gLXJmIH4=\x07 \x1b]0;pwned\x1b\ \u{9b}2J \u{202e}exe.txt"#), "\(text)")
        #expect(text.contains(#"ok\x0dX"#), "\(text)")
        #expect(text.contains("tokens in="))
    }

    @Test func runWritesTheReplyExactlyIntoAPipe() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: Self.hostileReply, chunkCount: 13))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let result = try Harness.run(["run", "--config", config.path, "hi"], sandbox: sandbox)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(Array(result.stdout.utf8) == Array(Self.hostileReply.utf8))
    }

    @Test func modelsShowsAHostileModelIdOnATerminalAndPipesItUnchanged() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(models: ["mock-model", Self.hostileModel]))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let (status, output) = try Self.onATerminal(["models", "--config", config.path], sandbox: sandbox)
        let text = String(decoding: output, as: UTF8.self)
        #expect(status == 0, "\(text)")
        #expect(Self.obeyedBytes(in: output).isEmpty, "reached the terminal: \(Self.obeyedBytes(in: output))")
        #expect(text.contains(#"evil\x1b]2;owned\x07"#), "\(text)")

        let (jsonStatus, jsonOutput) = try Self.onATerminal(["models", "--json", "--config", config.path], sandbox: sandbox)
        #expect(jsonStatus == 0)
        #expect(Self.obeyedBytes(in: jsonOutput).isEmpty)
        #expect(String(decoding: jsonOutput, as: UTF8.self).contains(#"evil\u001b]2;owned\u0007"#))

        let piped = try Harness.run(["models", "--config", config.path], sandbox: sandbox)
        #expect(piped.stdout.contains(Self.hostileModel))
    }

    /// A model name with an escape (from the configuration, stored with the session and in
    /// the ledger): `sessions` and `usage` show it on a terminal and pipe it unchanged. (A
    /// session title is already made of plain text when it is stored.)
    @Test func sessionsAndUsageShowStoredEscapesOnATerminal() throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL, model: #"evil\u001b[2Jmodel"#)
        let prompt = "title\u{1B}]0;owned\u{07} please"
        let run = try Harness.run(["run", "--config", config.path, prompt], sandbox: sandbox)
        try #require(run.status == 0, "stderr: \(run.stderr)")

        let (status, sessions) = try Self.onATerminal(["sessions", "--all"], sandbox: sandbox)
        #expect(status == 0)
        #expect(Self.obeyedBytes(in: sessions).isEmpty, "reached the terminal: \(Self.obeyedBytes(in: sessions))")
        let sessionsText = String(decoding: sessions, as: UTF8.self)
        #expect(sessionsText.contains(#"evil\x1b[2Jmodel"#), "\(sessionsText)")

        let (usageStatus, usage) = try Self.onATerminal(["usage"], sandbox: sandbox)
        #expect(usageStatus == 0)
        #expect(Self.obeyedBytes(in: usage).isEmpty, "reached the terminal: \(Self.obeyedBytes(in: usage))")
        #expect(String(decoding: usage, as: UTF8.self).contains(#"evil\x1b[2Jmodel"#))

        let piped = try Harness.run(["sessions", "--all"], sandbox: sandbox)
        #expect(piped.stdout.contains("evil\u{1B}[2Jmodel"))
        #expect(try Harness.run(["usage"], sandbox: sandbox).stdout.contains("evil\u{1B}[2Jmodel"))
    }
}
