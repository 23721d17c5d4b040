import AgentCore
import AgentEngine
import FoundationEssentials
import Glibc
import Pricing
import TerminalUI

/// Writes engine events for `run`: the reply as plain text to stdout and everything else
/// (tool calls and results on lines of their own) to stderr, or every event as one JSON
/// object per line on stdout (`--json`). A reply cut by a tool call ends its line on stdout.
final class RunPrinter {
    private let json: Bool
    private var usage: TokenUsage?
    private var requests: [UsageRecord] = []
    private var endedWithNewline = true
    /// A newline is added after a reply that lacks one only on a terminal, so piped
    /// output is exactly what the model sent.
    private let stdoutIsTerminal = isatty(1) == 1
    /// Neutralizes escape sequences in the reply on a terminal, across chunk boundaries.
    private var replySanitizer = TerminalOutputSanitizer()

    init(json: Bool) { self.json = json }

    func print(_ event: EngineEvent) {
        if case .usage(_, let usage) = event { self.usage = usage }
        if case .request(_, let record) = event { requests.append(record) }
        // The context figure is the meter's; a run's output stays as it was (D135).
        if case .context = event { return }
        // Progress for the meter only: a run prints the tool call once whole.
        if case .toolCallStreaming = event { return }
        if json { return writeJSONLine(RunEventRecord(event)) }
        switch event {
        case .text(_, let text, _):
            StandardOutput.writeStreamed(text, through: &replySanitizer)
            endedWithNewline = text.hasSuffix("\n")
        case .reasoning, .toolCallStreaming, .usage, .request, .approvalNeeded, .firstToken, .toolOutput: break
        case .notice(_, let text): StandardError.write("swiftcoder: \(text)\n")
        case .compacted(_, let summary): StandardError.write("swiftcoder: \(summary.text)\n")
        case .context: break
        case .toolCall(_, let call, let preview):
            breakReplyLine()
            StandardError.write("→ \(call.name) \(preview?.keyArgument ?? "")\n")
        case .toolResult(_, _, let output):
            StandardError.write("  \(output.isError ? "✗" : "✓") \(output.summary)\n")
        case .finished:
            endLine()
        case .failed(_, let error):
            endLine()
            StandardError.write("swiftcoder: \(error.description)\n")
        case .refused(_, let text):
            endLine()
            StandardError.write("swiftcoder: \(text)\n")
        case .cancelled:
            StandardOutput.finishStream(&replySanitizer)
            StandardError.write("swiftcoder: cancelled\n")
        }
    }

    /// Says which tool needed approval and how to give it.
    func printApprovalRefusal(_ preview: ToolPreview) {
        endLine()
        var message = "\(preview.toolName) needs approval (\(preview.keyArgument)); "
            + "pass --yes to approve tool calls, or set approvalMode in agents.config.json"
        if let protection = preview.protection {
            // --yes does not cover it: say what does.
            message = "\(preview.toolName) needs approval (\(preview.keyArgument)): \(protection) asks in every mode; "
                + "allow it with a rule such as \"\(preview.alwaysRule ?? preview.toolName + "(PATH)")\" in "
                + "\"permissions\": {\"allow\": [...]} of agents.config.json"
        }
        if json { writeJSONLine(RunEventRecord(type: "approval_refused", message: message, tool: preview.toolName)) }
        StandardError.write("swiftcoder: \(message)\n")
    }

    /// Before tool activity: the reply so far ends its line on stdout, piped or not, so the
    /// text after the tool starts a line of its own instead of being glued to it.
    private func breakReplyLine() {
        StandardOutput.finishStream(&replySanitizer)
        if !endedWithNewline && !json { StandardOutput.write("\n") }
        endedWithNewline = true
    }

    private func endLine() {
        StandardOutput.finishStream(&replySanitizer)
        if !endedWithNewline && stdoutIsTerminal && !json { StandardOutput.write("\n") }
        endedWithNewline = true
    }

    /// The turn's cost: the sum of every request's cost, `nil` when any request's price is unknown.
    private var totalCost: Decimal? {
        guard !requests.isEmpty else { return nil }
        var total = Decimal(0)
        for record in requests {
            guard let cost = record.cost else { return nil }
            total += cost
        }
        return total
    }

    /// The turn's tokens: every request the engine accounted for (a cancelled or failed one
    /// with its estimate), else the last usage the server reported.
    private var totalUsage: TokenUsage? {
        guard let first = requests.first?.usage else { return usage }
        return requests.dropFirst().reduce(first) { $0 + $1.usage }
    }

    /// The final usage line on stderr (or a `summary` object in JSON mode).
    func printSummary() {
        let usage = totalUsage
        let cost = totalCost.map { MoneyFormat.usd($0) } ?? "n/a"
        if json {
            var record = RunEventRecord(type: "summary", inputTokens: usage?.inputTokens,
                                        outputTokens: usage?.outputTokens)
            record.cost = totalCost.map { "\($0)" }
            record.requests = requests.count
            writeJSONLine(record)
        } else {
            let input = usage.map { String($0.inputTokens) } ?? "n/a"
            let output = usage.map { String($0.outputTokens) } ?? "n/a"
            let mark = usage?.isEstimate == true ? "~" : ""
            StandardError.write("tokens in=\(mark)\(input) out=\(mark)\(output) cost=\(cost)\n")
        }
    }

    private func writeJSONLine(_ record: RunEventRecord) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(record) else { return }
        StandardOutput.writeJSON(String(decoding: data, as: UTF8.self) + "\n")
    }
}
