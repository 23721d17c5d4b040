import AgentCore
import Pricing
import TerminalUI

/// The one-line meter: this turn and the session (tokens in/out, cost or `n/a`), speed,
/// time to first token, context used as a bar, and the turn's state. Figures of the request
/// being streamed are estimates (`~`, see `MeterFigures`) until its usage arrives.
enum MeterView {
    /// Everything the meter's figures are computed from: equal inputs, equal meter. While
    /// they are equal its drawing is reused (`ReusedDrawing`), so the figures (costs in
    /// `Decimal`, token counts, the bar) are computed when what they come from changed, not
    /// for every frame (D189). Compared in this order: what changes while a reply streams first.
    struct Inputs: Equatable {
        var turn: RunningTurn?
        var meter: UsageMeter
        var provider: ActiveProvider?
        var activeModel: ModelInfo?
        var waitingForApproval: Bool
        var shellRunning: Bool
        var expandingCommand: String?
        var approvalMode: ApprovalMode
        var theme: Theme
        var rect: Rect
        var showsModel: Bool

        init(_ state: AppState, rect: Rect, theme: Theme, showsModel: Bool) {
            meter = state.meter
            turn = state.turn
            provider = state.provider
            activeModel = state.activeModel
            waitingForApproval = state.approval != nil
            shellRunning = state.turn == nil && Reducer.runningShell(state) != nil
            expandingCommand = state.expandingCommand
            approvalMode = state.approvalMode
            self.theme = theme
            self.rect = rect
            self.showsModel = showsModel
        }
    }

    static func draw(_ state: AppState, in rect: Rect, buffer: inout ScreenBuffer, theme: Theme, showsModel: Bool) {
        guard !rect.isEmpty else { return }
        buffer.fill(rect, style: theme.meter)
        var line = line(state)
        if showsModel { line.model = state.provider.map { "\($0.model ?? "no model") @ \($0.name)" } }
        let (left, right) = fitted(line, width: rect.width)
        buffer.put(left, x: rect.x, y: rect.y, style: meterStyle(state, theme: theme), maxX: rect.maxX)
        if let right {
            buffer.put(right, x: rect.maxX - DisplayWidth.of(right), y: rect.y, style: theme.meter, maxX: rect.maxX)
        }
    }

    /// The meter's figures; left: the turn, the session, the speed, ttft; right: the model, the
    /// context bar, the status.
    struct Line: Sendable, Hashable {
        var turn: String
        var session: String?
        var speed: String?
        var ttft: String?
        var model: String?
        /// The context bar with its figures (`▓▓░░░░░░ 12k/32k`).
        var bar: String?
        /// The figures alone (`12k/32k`), shown when the bar is left out.
        var barFigures: String?
        var status: String
    }

    /// What narrow widths give up first (D117): the model (named in the sidebar and the
    /// picker), ttft, the context bar's blocks (its figures stay), the speed, the context
    /// figures, then the session totals. The turn and the status stay longest.
    static var dropOrder: [WritableKeyPath<Line, String?>] {
        [\.model, \.ttft, \.bar, \.speed, \.barFigures, \.session]
    }

    /// The meter's figures for `state` (no model: the caller adds it when shown).
    static func line(_ state: AppState) -> Line {
        let parts = usageParts(state)
        let speed = speedText(state)
        let ttft = parts.first { $0.hasPrefix("ttft ") }
        let bar = contextBar(state)
        return Line(turn: parts[0], session: parts.count > 1 ? parts[1] : nil, speed: speed, ttft: ttft,
                    bar: bar, barFigures: bar?.split(separator: " ", maxSplits: 1).last.map(String.init),
                    status: statusText(state))
    }

    /// The left and right texts that fit `width` with two columns between them, parts left
    /// out by priority (`dropOrder`). Without room even for the status and the turn's usage,
    /// the usage alone is shown, cut at the edge.
    static func fitted(_ line: Line, width: Int) -> (left: String, right: String?) {
        var line = line
        for drop in [nil] + dropOrder.map(Optional.some) {
            if let drop { line[keyPath: drop] = nil }
            let left = " " + [line.turn, line.session, line.speed, line.ttft].compactMap { $0 }.joined(separator: " · ")
            let right = [line.model, line.bar ?? line.barFigures, line.status].compactMap { $0 }
                .joined(separator: " · ") + " "
            if DisplayWidth.of(left) + DisplayWidth.of(right) + 2 <= width { return (left, right) }
        }
        return (" " + line.turn, nil)
    }

    /// No budget: the plain meter; within a budget `meterOk`, from 80% `meterWarn`, from 100%
    /// `meterOver` (also while overridden: the spend is still over).
    static func meterStyle(_ state: AppState, theme: Theme) -> Style {
        switch state.meter.budget {
        case .ok: theme.meter
        case .within: theme.meterOk
        case .warning: theme.meterWarn
        case .exceeded, .overridden: theme.meterOver
        }
    }

    /// `turn in 12 out ~340 $0.0012 · session in 40 out 900 $0.0150 · 42.1 tok/s · ttft 0.3s`
    static func usageText(_ state: AppState) -> String {
        usageParts(state).joined(separator: " · ")
    }

    /// The parts of `usageText`, most important first.
    static func usageParts(_ state: AppState) -> [String] {
        let meter = state.meter
        let (turnCost, sessionCost) = MeterFigures.costs(state)
        var text = "turn " + (MeterFigures.turnTokens(state).map(tokens) ?? "–")
        if turnCost.requests > 0 { text += " " + turnCost.text }
        var parts = [text, "session " + tokens(MeterFigures.sessionTokens(state))]
        if sessionCost.requests > 0 { parts[1] += " " + sessionCost.text }
        if let speed = speedText(state) { parts.append(speed) }
        if let ttft = meter.firstTokenSeconds { parts.append("ttft " + duration(ttft)) }
        return parts
    }

    /// `stalled 4s` while the request streaming has sent nothing for a while, `~42 tok/s`
    /// while it streams, else the last request's measured `42.1 tok/s`.
    static func speedText(_ state: AppState) -> String? {
        if let stalled = state.turn?.stalledSeconds { return "stalled \(stalled)s" }
        if let live = MeterFigures.liveTokensPerSecond(state) { return "~\(Int(saturating: live.rounded()) ?? 0) tok/s" }
        return state.meter.tokensPerSecond.map { oneDecimal($0) + " tok/s" }
    }

    /// `in 1.2k out 56`, `in ~1.2k out ~56` for estimates; an estimate with no input known
    /// yet shows only `out ~56`.
    static func tokens(_ usage: TokenUsage) -> String {
        let mark = usage.isEstimate ? "~" : ""
        let output = "out \(mark)\(compact(usage.outputTokens))"
        if usage.isEstimate && usage.inputTokens == 0 { return output }
        return "in \(mark)\(compact(usage.inputTokens)) " + output
    }

    /// `▓▓▓░░░░░ 12k/128k` (`~12k` while estimated) against the window of the engine's context
    /// figure (`8k?` when it is a guess, D135), else the model's when known; then
    /// `compacted −9.1k` after a compaction until the next message (D136).
    static func contextBar(_ state: AppState) -> String? {
        let figure = state.meter.context
        guard let window = figure?.window ?? state.activeModel?.contextWindow ?? ModelCapabilities.lookup(
                  modelID: state.provider?.model ?? "")?.contextWindow,
              window > 0, let (used, estimated) = MeterFigures.contextUsed(state) else { return nil }
        let guess = figure?.source == .guess ? "?" : ""
        let compaction = state.meter.lastCompaction.map { " compacted −\(compact($0.saved))" } ?? ""
        let cells = 8
        // Whole cells, rounded up; `used` past the window fills the bar (saturating: no trap).
        let filled = min(cells, used.saturatingMultiplied(by: cells).saturatingAdding(window - 1) / window)
        return String(repeating: "▓", count: filled) + String(repeating: "░", count: cells - filled)
            + " \(estimated ? "~" : "")\(compact(used))/\(TokenFormat.contextWindow(window))\(guess)\(compaction)"
    }

    /// The turn's state; `budget override · ` in front while `/budget override` lets requests
    /// through over a limit.
    static func statusText(_ state: AppState) -> String {
        let marker = if case .overridden = state.meter.budget { "budget override · " } else { "" }
        if let turn = state.turn {
            if let notice = turn.notice { return marker + notice }
            if state.approval != nil { return marker + "waiting for approval" }
            return marker + (turn.firstTokenSeen ? "streaming…" : "waiting…")
        }
        if Reducer.runningShell(state) != nil { return marker + "running ! command · Esc stops it" }
        if let name = state.expandingCommand { return marker + "running /\(name) · Esc stops it" }
        return marker + "ready · \(state.approvalMode.rawValue)"
    }

    /// 950 → "950", 12_345 → "12.3k", 128_000 → "128k", 1_200_000 → "1.2M": one rounding
    /// rule for the meter, the sidebar and `/usage` (`TokenFormat.compact`, D116).
    static func compact(_ value: Int) -> String {
        TokenFormat.compact(value)
    }

    /// 1234567 → "1,234,567"
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    /// `85ms` below a second, `1.2s` above.
    static func duration(_ seconds: Double) -> String {
        seconds < 1 ? "\(Int(saturating: (seconds * 1000).rounded()) ?? 0)ms" : oneDecimal(seconds) + "s"
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int(saturating: (value * 10).rounded()) ?? 0
        return "\(tenths / 10).\(tenths % 10)"
    }
}
