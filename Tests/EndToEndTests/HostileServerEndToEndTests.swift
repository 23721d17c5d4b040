import Foundation
import MockLLMServer
import Testing

/// The hostile-server suite: `swiftcoder run`, `models` and `providers` as processes against
/// the mock answering as a broken or malicious server would (`MockHostility`). The process
/// never dies by a signal, the error names the cause, and `run` exits 1 with the reason on
/// stderr, or 0 when the reply is valid but odd (D50-D53).
@Suite(.timeLimit(.minutes(5)), .enabled(if: Harness.canRunBinary, "swiftcoder binary not built (scripts/test builds it)"))
struct HostileServerEndToEndTests {
    struct Outcome {
        var status: Int32
        var signaled: Bool
        var stdout: String
        var stderr: String
        /// Peak resident memory in KiB, when measured (`/usr/bin/time`).
        var peakKiB: Int?
    }

    static let timeTool = ["/usr/bin/time"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs the binary like `Harness.run`, but tells a death by signal from an exit status
    /// (`terminationStatus` alone cannot: SIGILL is 4) and can measure peak memory.
    static func run(_ arguments: [String], sandbox: URL, measureMemory: Bool = false) throws -> Outcome {
        let timeFile = sandbox.appendingPathComponent("time-\(UUID().uuidString.prefix(6))")
        let launcher = measureMemory ? timeTool.map { [$0, "-f", "%M", "-o", timeFile.path] } ?? [] : []
        let result = try Harness.run(arguments, sandbox: sandbox, launcher: launcher)
        let timeText = (try? String(contentsOf: timeFile, encoding: .utf8)) ?? ""
        // `time` exits 128+N and says "Command terminated by signal N" for a child killed by N.
        let signaled = result.signaled || timeText.contains("terminated by signal") || result.status > 128
        return Outcome(status: result.status, signaled: signaled, stdout: result.stdout, stderr: result.stderr,
                       peakKiB: timeText.split(separator: "\n").last.flatMap { Int($0) })
    }

    /// `run` with `[[hostile KIND]]`: (kind, expected status, text stderr must contain).
    static let runCases: [(MockHostility, Int32, String)] = [
        (.retryAfterDate, 1, "rate limited"),
        (.retryAfterHuge, 1, "the server asked to wait a day or more"),
        (.usageAbsurd, 0, "tokens in=0 out=1000000000000"),
        (.hugeNumbers, 0, "tokens in=1000000000000 out=1000000000000"),
        (.endlessLine, 1, "longer than 8 MiB, the limit for one event"),
        (.deepJSON, 1, "unreadable stream chunk"),
        (.invalidUTF8, 0, "tokens"),
        (.loneSurrogate, 1, "unreadable stream chunk"),
        (.nulByte, 1, "unreadable stream chunk"), // a raw NUL inside a JSON string is not JSON
        (.escapesOnly, 0, "tokens"),
        (.hugeHeaders, 1, "larger than 256 KiB, the limit for one response"),
        (.endlessErrorBody, 1, "HTTP 500"),
        (.absurdToolIndex, 0, "tokens"),
    ]

    @Test(arguments: runCases)
    func runSurvivesAndNamesTheCause(_ kind: MockHostility, _ status: Int32, _ cause: String) throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let result = try Self.run(["run", "--config", config.path, "[[hostile \(kind.rawValue)]] hi"], sandbox: sandbox)
        #expect(!result.signaled, "\(kind): died by a signal, status \(result.status); stderr: \(result.stderr.prefix(500))")
        #expect(result.status == status, "\(kind): stderr: \(result.stderr.prefix(500))")
        #expect(result.stderr.contains(cause), "\(kind): stderr: \(result.stderr.prefix(500))")
        if status == 1 { #expect(result.stderr.contains("/v1/chat/completions"), "the error names the URL") }
    }

    @Test func validButOddRepliesArePrintedAsSent() throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let invalid = try Self.run(["run", "--config", config.path, "[[hostile invalid-utf8]] hi"], sandbox: sandbox)
        #expect(invalid.stdout == "bad \u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD} end", "invalid bytes become U+FFFD")
        let nul = try Self.run(["run", "--config", config.path, "[[hostile nul-byte]] hi"], sandbox: sandbox)
        #expect(nul.stdout == "a\u{0}b", "the escaped NUL is text; the chunk with a raw one is the error")
    }

    /// The issue's figure: a 64 MiB line without a line break was buffered whole (peak RSS
    /// about 240 MiB). Now the parser stops at 8 MiB and the memory stays near the baseline.
    @Test(.enabled(if: timeTool != nil, "/usr/bin/time is needed to measure peak memory"))
    func anEndlessLineKeepsMemoryNearTheCap() throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let normal = try Self.run(["run", "--config", config.path, "hi"], sandbox: sandbox, measureMemory: true)
        let endless = try Self.run(["run", "--config", config.path, "[[hostile endless-line]] hi"], sandbox: sandbox,
                                   measureMemory: true)
        #expect(!endless.signaled && endless.status == 1)
        let baseline = try #require(normal.peakKiB), peak = try #require(endless.peakKiB)
        print("peak RSS: normal reply \(baseline / 1024) MiB, 64 MiB endless line \(peak / 1024) MiB")
        // The cap is 8 MiB; the parser and the unframed-body buffer may each hold it once.
        #expect(peak - baseline < 40 << 10, "peak \(peak) KiB against \(baseline) KiB for a normal reply")
    }

    /// The start-up probe (no default: `run` asks each provider in turn), `models` and
    /// `providers` against a server that answers every route the hostile way.
    @Test(arguments: [MockHostility.retryAfterDate, .retryAfterHuge, .hugeNumbers, .deepJSON, .invalidUTF8,
                      .hugeHeaders, .endlessErrorBody])
    func listingAndProbingSurvive(_ kind: MockHostility) throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(hostile: kind))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try ListCommandsEndToEndTests.writeConfig(in: sandbox, [
            ("mock", ListCommandsEndToEndTests.entry("openai-compatible", server.baseURL)),
            ("dead", ListCommandsEndToEndTests.entry("openai-compatible", ListCommandsEndToEndTests.deadBase)),
        ])
        for arguments in [["run", "hi"], ["models"], ["providers"], ["models", "--json"]] {
            let result = try Self.run(arguments + ["--config", config.path], sandbox: sandbox)
            let shown = "\(kind) \(arguments): status \(result.status)\n\(result.stdout.prefix(400))\n\(result.stderr.prefix(400))"
            #expect(!result.signaled, "died by a signal: \(shown)")
            #expect(result.status == 0 || result.status == 1, "\(shown)")
            #expect(result.stdout.contains(server.baseURL) || result.stderr.contains(server.baseURL)
                        || kind == .hugeNumbers || kind == .invalidUTF8, "the output names the server: \(shown)")
        }
    }

    @Test func absurdModelListFiguresAreShownAsUnknown() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(hostile: .hugeNumbers))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let table = try Self.run(["models", "--config", config.path], sandbox: sandbox)
        #expect(!table.signaled && table.status == 0, "\(table.stderr)")
        for model in ["huge", "negative", "intmax"] {
            #expect(ListCommandsEndToEndTests.row(table.stdout, "mock", model) == ["mock", model, "?", "?", "yes", "n/a", "n/a"],
                    "\(table.stdout)")
        }
    }

    @Test func anOllamaContextOfIntMaxIsNotSentBack() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(ollamaContextLength: .max))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try ListCommandsEndToEndTests.writeConfig(in: sandbox, [
            ("local", ListCommandsEndToEndTests.entry("ollama", "http://127.0.0.1:\(server.port)", extra: #", "model": "mock-model""#)),
        ])
        let result = try Self.run(["run", "--config", config.path, "hi"], sandbox: sandbox)
        #expect(!result.signaled && result.status == 0, "\(result.stderr)")
        let chat = try #require(server.requests.first { $0.path == "/api/chat" })
        #expect(!chat.bodyText.contains("num_ctx"), "\(chat.bodyText)")
    }

    @Test func anEndlessOllamaLineEndsTheRun() throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try ListCommandsEndToEndTests.writeConfig(in: sandbox, [
            ("local", ListCommandsEndToEndTests.entry("ollama", "http://127.0.0.1:\(server.port)", extra: #", "model": "mock-model""#)),
        ])
        let result = try Self.run(["run", "--config", config.path, "[[hostile endless-line]] hi"], sandbox: sandbox)
        #expect(!result.signaled && result.status == 1)
        #expect(result.stderr.contains("an NDJSON line longer than 8 MiB"), "\(result.stderr)")
        #expect(result.stderr.contains("/api/chat"))
    }
}
