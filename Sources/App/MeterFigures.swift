import AgentCore
import FoundationEssentials
import Pricing

/// The figures the meter shows, derived from the state (pure): the turn's and the session's
/// tokens and cost, with the request being streamed estimated until its usage arrives, and the
/// context in use.
enum MeterFigures {
    /// The request being streamed, estimated (`isEstimate`): output from the streamed text with
    /// `UsageEstimator` (the heuristic a provider's final estimate uses), input as the previous
    /// request's context (it is all sent again) plus what was added since (the prompt, tool
    /// results). The input is left at 0 when no earlier request of the conversation is known:
    /// the system prompt and tool definitions are not visible here, so a count would mislead.
    /// `nil` before the request's first token and once its usage arrived.
    static func liveRequest(_ state: AppState) -> TokenUsage? {
        guard let turn = state.turn, turn.streamedTokens > 0 else { return nil }
        let input = state.meter.lastRequest.map {
            $0.inputTokens.saturatingAdding($0.outputTokens).saturatingAdding(turn.pendingInputTokens)
        } ?? 0
        return TokenUsage(inputTokens: input, outputTokens: turn.streamedTokens, isEstimate: true)
    }

    /// The turn's tokens: its finished requests plus the live estimate; `nil` before anything is known.
    static func turnTokens(_ state: AppState) -> TokenUsage? {
        guard let live = liveRequest(state) else { return state.meter.lastTurn }
        return (state.meter.lastTurn ?? TokenUsage()) + live
    }

    /// The session's tokens, the running turn's included.
    static func sessionTokens(_ state: AppState) -> TokenUsage {
        guard state.turn != nil else { return state.meter.session }
        return state.meter.session + (turnTokens(state) ?? TokenUsage())
    }

    /// The live request's estimated cost at the active model's rates; `nil` when there is no
    /// live request or its price is unknown.
    static func liveCost(_ state: AppState) -> Decimal? {
        guard let live = liveRequest(state), let pricing = state.activeModel?.pricing, pricing.isUsable else {
            return nil
        }
        return CostCalculator.cost(of: live, quote: PriceQuote(pricing: pricing, source: .config)).amount
    }

    /// The turn's and the session's cost, each with the live estimate added (then shown `~$`).
    static func costs(_ state: AppState) -> (turn: CostTotal, session: CostTotal) {
        guard let live = liveCost(state) else { return (state.meter.turnCost, state.meter.sessionCost) }
        return (state.meter.turnCost.adding(estimate: live), state.meter.sessionCost.adding(estimate: live))
    }

    /// Output tokens per second while a reply streams: the turn's finished requests plus the
    /// one streaming (its estimated output over the seconds it has streamed); nil before
    /// `UsageMeter.minimumMeasuredSeconds` of generation.
    static func liveTokensPerSecond(_ state: AppState) -> Double? {
        guard let turn = state.turn, let live = turn.requestStreamingSeconds, turn.streamedTokens > 0 else {
            return nil
        }
        let seconds = state.meter.streamingSeconds + live
        guard seconds >= UsageMeter.minimumMeasuredSeconds else { return nil }
        return Double(state.meter.streamedOutputTokens.saturatingAdding(turn.streamedTokens)) / seconds
    }

    /// Tokens of context in use: the engine's context figure (D135, the number `/context` prints
    /// and compaction compares), plus the output streamed so far while a request runs. Without
    /// a figure (an engine that publishes none) the last request's input plus output, or the
    /// live request's estimate once an earlier request gave it a base; `nil` before any
    /// request. `estimated` when the figure is.
    static func contextUsed(_ state: AppState) -> (tokens: Int, estimated: Bool)? {
        if let figure = state.meter.context {
            guard let streamed = state.turn?.streamedTokens, streamed > 0 else { return (figure.tokens, figure.isEstimate) }
            return (figure.tokens.saturatingAdding(streamed), true)
        }
        guard let last = state.meter.lastRequest else { return nil }
        if let live = liveRequest(state) { return (live.inputTokens.saturatingAdding(live.outputTokens), true) }
        return (last.inputTokens.saturatingAdding(last.outputTokens), last.isEstimate)
    }
}
