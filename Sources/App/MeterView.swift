import AgentCore
import TerminalUI

/// The one-line meter: this turn and the session (tokens in/out, cost or `n/a`), speed,
/// time to first token, context used as a bar, and the turn's state.
enum MeterView {
    /// Characters per token for the live estimate of output while a reply streams (the
    /// usual ~4 for English text and code; replaced by the server's figure when it arrives).
    static let charactersPerToken = 4

    static func draw(_ state: AppState, in rect: Rect, buffer: inout ScreenBuffer, theme: Theme, showsModel: Bool) {
        guard !rect.isEmpty else { return }
        buffer.fill(rect, style: theme.meter)
        var right = statusText(state)
        if let bar = contextBar(state) { right = bar + " · " + right }
        if showsModel, let provider = state.provider {
            right = "\(provider.model ?? "no model") @ \(provider.name) · " + right
        }
        right += " "
        let rightWidth = DisplayWidth.of(right)
        var left = " " + usageText(state)
        let trimmed = " " + fitted(usageText(state), width: rect.width - rightWidth - 2)
        if DisplayWidth.of(trimmed) + rightWidth + 1 <= rect.width { left = trimmed }
        buffer.put(left, x: rect.x, y: rect.y, style: meterStyle(state, theme: theme), maxX: rect.maxX)
        let leftWidth = DisplayWidth.of(left)
        if leftWidth + rightWidth + 1 <= rect.width {
            buffer.put(right, x: rect.maxX - rightWidth, y: rect.y, style: theme.meter, maxX: rect.maxX)
        }
    }

    /// The usage text without its last ` · ` parts (time to first token, speed, session)
    /// until it fits in `width`, so the turn state and model on the right stay visible on a
    /// narrow terminal (when even the first part leaves no room, the right side is dropped
    /// instead). Keeps at least the first part.
    static func fitted(_ text: String, width: Int) -> String {
        var parts = text.split(separator: " · ", omittingEmptySubsequences: false).map(String.init)
        while parts.count > 1 && DisplayWidth.of(parts.joined(separator: " · ")) > width { parts.removeLast() }
        return parts.joined(separator: " · ")
    }

    private static func meterStyle(_ state: AppState, theme: Theme) -> Style {
        switch state.meter.budget {
        case .ok: theme.meter
        case .warning: theme.meterWarn
        case .exceeded: theme.meterOver
        }
    }

    /// `turn in 12 out ~340 $0.0012 · session in 40 out 900 $0.0150 · 42.1 tok/s · ttft 0.3s`
    static func usageText(_ state: AppState) -> String {
        let meter = state.meter
        var text = "turn "
        if let turn = meter.lastTurn {
            text += tokens(turn)
        } else if let running = state.turn, running.streamedCharacters > 0 {
            text += "out ~" + compact((running.streamedCharacters + charactersPerToken - 1) / charactersPerToken)
        } else {
            text += "–"
        }
        var turnCost = CostTotal()
        meter.turnRequests.forEach { turnCost.add($0) }
        if turnCost.requests > 0 { text += " " + turnCost.text }
        var session = meter.priorSession
        meter.sessionRequests.forEach { session.add($0) }
        text += " · session " + tokens(meter.session)
        if session.requests > 0 { text += " " + session.text }
        if let speed = meter.tokensPerSecond { text += " · " + oneDecimal(speed) + " tok/s" }
        if let ttft = meter.firstTokenSeconds { text += " · ttft " + oneDecimal(ttft) + "s" }
        return text
    }

    static func tokens(_ usage: TokenUsage) -> String {
        let mark = usage.isEstimate ? "~" : ""
        return "in \(mark)\(compact(usage.inputTokens)) out \(mark)\(compact(usage.outputTokens))"
    }

    /// `▓▓▓░░░░░ 12k/128k` when the model's context window is known.
    static func contextBar(_ state: AppState) -> String? {
        guard let window = state.activeModel?.contextWindow ?? ModelCapabilities.lookup(
                  modelID: state.provider?.model ?? "")?.contextWindow,
              window > 0, let used = state.meter.lastTurn.map({ $0.inputTokens + $0.outputTokens }) else { return nil }
        let cells = 8
        let filled = min(cells, (used * cells + window - 1) / window)
        return String(repeating: "▓", count: filled) + String(repeating: "░", count: cells - filled)
            + " \(compact(used))/\(compact(window))"
    }

    static func statusText(_ state: AppState) -> String {
        if let turn = state.turn {
            if let notice = turn.notice { return notice }
            if state.approval != nil { return "waiting for approval" }
            return turn.firstTokenSeen ? "streaming…" : "waiting…"
        }
        return "ready · \(state.approvalMode.rawValue)"
    }

    /// 950 → "950", 12_345 → "12.3k", 128_000 → "128k", 1_200_000 → "1.2M"
    static func compact(_ value: Int) -> String {
        if value < 1000 { return "\(value)" }
        if value < 1_000_000 {
            return value < 100_000 && value % 1000 != 0 ? oneDecimal(Double(value) / 1000) + "k" : "\(value / 1000)k"
        }
        return oneDecimal(Double(value) / 1_000_000) + "M"
    }

    /// 1234567 → "1,234,567"
    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
