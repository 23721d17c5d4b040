import AgentCore
import AgentEngine
import ArgumentParser
import FoundationEssentials
import Glibc

/// `swiftcoder run PROMPT`: one turn without the screen, streamed to stdout.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Send one prompt and stream the reply to stdout.",
        discussion: """
            The reply goes to stdout; errors and a final usage line \
            (tokens in=N out=N cost=n/a; prices arrive later) go to stderr. Exit status: 0 on success, 1 on a provider \
            or configuration error.
            """
    )

    @OptionGroup var options: ProviderOptions

    @Flag(name: .long, help: "Approve every tool call without asking (tools arrive with the agent engine).")
    var yes = false

    @Flag(name: .long, help: "Print one JSON object per event (JSON Lines) instead of text.")
    var json = false

    @Argument(help: "The prompt to send.")
    var prompt: String

    mutating func run() async throws {
        let setup = try await Setup.loadOrExit(options, requireProvider: true)
        guard let provider = setup.provider else { throw CleanExit.message("no provider", code: 1) }
        let model: String
        if let configured = setup.model {
            model = configured
        } else {
            // No model configured: use the first one the server lists.
            let listed: [ModelInfo]
            do throws(ProviderError) {
                listed = try await provider.listModels()
            } catch {
                throw CleanExit.message(error.description, code: 1)
            }
            guard let first = listed.first else {
                throw CleanExit.message("provider \"\(provider.name)\" lists no models: pass --model", code: 1)
            }
            model = first.id
        }
        let engine = AgentEngine(provider: provider, model: model)
        let events = await engine.subscribe()
        let printer = RunPrinter(json: json)
        await engine.submit(turn: 1, prompt: prompt)
        var status: Int32 = 1
        loop: while let batch = await events.next() {
            for event in batch {
                printer.print(event)
                switch event {
                case .finished: status = 0; break loop
                case .failed, .cancelled: status = 1; break loop
                default: continue
                }
            }
        }
        printer.printSummary()
        if status != 0 { throw ExitCode(status) }
    }
}

/// Writes engine events as plain text (reply to stdout, the rest to stderr) or JSON Lines.
final class RunPrinter {
    private let json: Bool
    private var usage: TokenUsage?
    private var endedWithNewline = true
    /// A newline is added after a reply that lacks one only on a terminal, so piped
    /// output is exactly what the model sent.
    private let stdoutIsTerminal = isatty(1) == 1

    init(json: Bool) { self.json = json }

    func print(_ event: EngineEvent) {
        if json { return printJSON(event) }
        switch event {
        case .text(_, let text):
            StandardOutput.write(text)
            endedWithNewline = text.hasSuffix("\n")
        case .reasoning: break
        case .usage(_, let usage): self.usage = usage
        case .notice(_, let text): StandardError.write("swiftcoder: \(text)\n")
        case .finished:
            if !endedWithNewline && stdoutIsTerminal { StandardOutput.write("\n") }
        case .failed(_, let error):
            if !endedWithNewline && stdoutIsTerminal { StandardOutput.write("\n") }
            StandardError.write("swiftcoder: \(error.description)\n")
        case .cancelled:
            StandardError.write("swiftcoder: cancelled\n")
        }
    }

    private func printJSON(_ event: EngineEvent) {
        var record = RunEventRecord(type: "")
        switch event {
        case .text(_, let text): record = RunEventRecord(type: "text", text: text)
        case .reasoning(_, let text): record = RunEventRecord(type: "reasoning", text: text)
        case .usage(_, let usage):
            self.usage = usage
            record = RunEventRecord(type: "usage", inputTokens: usage.inputTokens, outputTokens: usage.outputTokens,
                                    estimated: usage.isEstimate)
        case .finished(_, let reason, let elapsed):
            record = RunEventRecord(type: "finish", reason: "\(reason)", elapsedSeconds: elapsed)
        case .failed(_, let error):
            record = RunEventRecord(type: "error", message: error.description, kind: error.kind.rawValue)
        case .notice(_, let text):
            record = RunEventRecord(type: "notice", message: text)
        case .cancelled:
            record = RunEventRecord(type: "cancelled")
        }
        writeJSONLine(record)
    }

    private func writeJSONLine(_ record: RunEventRecord) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(record) else { return }
        StandardOutput.write(String(decoding: data, as: UTF8.self) + "\n")
    }

    /// The final usage line on stderr (or a `summary` object in JSON mode).
    func printSummary() {
        let input = usage.map { String($0.inputTokens) } ?? "n/a"
        let output = usage.map { String($0.outputTokens) } ?? "n/a"
        if json {
            writeJSONLine(RunEventRecord(type: "summary", inputTokens: usage?.inputTokens,
                                         outputTokens: usage?.outputTokens))
        } else {
            // Prices arrive with the cost issue; until then the cost is honestly unknown.
            StandardError.write("tokens in=\(input) out=\(output) cost=n/a\n")
        }
    }
}

/// One line of `run --json` output. Absent fields are omitted.
struct RunEventRecord: Encodable {
    var type: String
    var text: String?
    var reason: String?
    var elapsedSeconds: Double?
    var inputTokens: Int?
    var outputTokens: Int?
    var estimated: Bool?
    var message: String?
    var kind: String?

    enum CodingKeys: String, CodingKey {
        case type, text, reason, message, kind, estimated
        case elapsedSeconds = "elapsed_seconds"
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
    }
}
