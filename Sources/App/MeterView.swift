import AgentCore
import TerminalUI

/// The one-line usage meter: tokens of the last turn and the session, speed and state.
enum MeterView {
    static func draw(_ state: AppState, in rect: Rect, buffer: inout ScreenBuffer, theme: Theme, showsModel: Bool) {
        guard !rect.isEmpty else { return }
        buffer.fill(rect, style: theme.meter)
        let left = " " + usageText(state.meter)
        var right = statusText(state)
        if showsModel, let provider = state.provider {
            right = "\(provider.model ?? "no model") @ \(provider.name) · " + right
        }
        right += " "
        buffer.put(left, x: rect.x, y: rect.y, style: theme.meter, maxX: rect.maxX)
        let rightWidth = DisplayWidth.of(right)
        let leftWidth = DisplayWidth.of(left)
        if leftWidth + rightWidth + 1 <= rect.width {
            buffer.put(right, x: rect.maxX - rightWidth, y: rect.y, style: theme.meter, maxX: rect.maxX)
        }
    }

    /// `turn in 12 out 340 · session in 40 out 900 · 42.1 tok/s`
    static func usageText(_ meter: UsageMeter) -> String {
        var text = "turn "
        if let turn = meter.lastTurn {
            text += tokens(turn)
        } else {
            text += "–"
        }
        text += " · session " + tokens(meter.session)
        if let speed = meter.tokensPerSecond {
            text += " · " + oneDecimal(speed) + " tok/s"
        }
        return text
    }

    static func tokens(_ usage: TokenUsage) -> String {
        let mark = usage.isEstimate ? "~" : ""
        return "in \(mark)\(grouped(usage.inputTokens)) out \(mark)\(grouped(usage.outputTokens))"
    }

    static func statusText(_ state: AppState) -> String {
        if let turn = state.turn {
            if let notice = turn.notice { return notice }
            return turn.firstTokenSeen ? "streaming…" : "waiting…"
        }
        return "ready"
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
