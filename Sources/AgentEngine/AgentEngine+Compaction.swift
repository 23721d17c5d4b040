import AgentCore
import FoundationEssentials
import Synchronization

/// Why a compaction runs.
enum CompactionReason: Sendable, Equatable {
    /// The next request would cross the configured threshold.
    case threshold
    /// The server said the request did not fit.
    case overflow
    /// `/compact`, with optional focus instructions.
    case manual(String?)
}

extension AgentEngine {
    /// The window in force and where it came from (D123).
    var windowInForce: (tokens: Int, source: ContextWindow.Source) {
        ContextWindow.resolve(configured: configuration.contextWindow, server: learnedWindow ?? reportedWindow,
                              model: model)
    }

    /// The windows of the model now in use: the provider entry's `contextWindow` and what the
    /// server reports for the model (its model list); a window learned from an earlier
    /// model's overflow is forgotten.
    public func setWindows(configured: Int?, reported: Int?) {
        configuration.contextWindow = configured
        reportedWindow = reported
        learnedWindow = nil
        ineffectiveCompactionSize = nil
        publishContext(turn: Self.manualTurn)
    }

    /// The estimated size of `request`: messages, tool calls and tool definitions.
    static func estimatedTokens(_ request: ChatRequest) -> Int {
        var tally = UsageEstimator.Tally()
        for tool in request.tools {
            tally.add(tool.name)
            tally.add(tool.description)
            tally.add(tool.parameters)
        }
        return UsageEstimator.inputTokens(for: request) + tally.tokens
    }

    /// The most a request may fill before automatic compaction: the threshold's share of the
    /// window after the reply's reserve.
    var compactionLimit: Int {
        let window = windowInForce.tokens
        let usable = window - ContextWindow.replyReserve(window: window)
        return Int(Double(usable) * configuration.compaction.threshold)
    }

    /// Whether the next request should be compacted first: auto is on, the window is known
    /// (not a guess), the context figure (D135) crosses the limit, and the last compaction
    /// that saved too little was made on a smaller conversation (D125).
    func needsCompaction(_ request: ChatRequest) -> Bool {
        guard configuration.compaction.auto, windowInForce.source != .guess else { return false }
        let tokens = contextTokens(request).tokens
        if let floor = ineffectiveCompactionSize, tokens <= floor { return false }
        return tokens > compactionLimit
    }

    /// Compacts the conversation (prune old tool outputs, then summarize the older turns with
    /// the active model) and returns whether it changed. Publishes what happened (`.compacted` and
    /// the new `.context`, or a notice when the summary failed).
    @discardableResult
    func compact(turn: Int, provider: any LLMProvider, model: String, reason: CompactionReason) async -> Bool {
        let before = contextTokens(request(model: model)).tokens
        let original = messages
        let pruned = Compactor.pruneToolOutputs(messages)
        replaceMessages(pruned)
        if reason == .threshold, Self.estimatedTokens(request(model: model)) <= compactionLimit {
            return finishCompaction(turn: turn, original: original, before: before, how: "pruned old tool outputs")
        }
        let cut = Compactor.recentStart(pruned, keep: configuration.compaction.keepRecentTurns)
        guard cut > Compactor.summaryEnd(pruned) else {
            return finishCompaction(turn: turn, original: original, before: before, how: "pruned old tool outputs")
        }
        let older = Array(pruned[..<cut])
        let instructions = if case .manual(let text) = reason { text } else { String?.none }
        let window = windowInForce.tokens
        let summaryRequest = Compactor.summaryRequest(model: model, older: older, window: window,
                                                      instructions: instructions)
        lastCompactionRequestTokens = Self.estimatedTokens(summaryRequest)
        switch await summarize(summaryRequest, provider: provider, model: model, turn: turn) {
        case .success(let summary):
            replaceMessages(Compactor.compacted(first: Compactor.firstRequest(pruned), summary: summary,
                                           recent: Array(pruned[cut...])))
            return finishCompaction(turn: turn, original: original, before: before, how: "summarized older turns")
        case .failure(let error):
            lastCompactionReport = "could not compact the conversation: \(error)"
            publish(.notice(turn: turn, lastCompactionReport))
            return finishCompaction(turn: turn, original: original, before: before, how: "pruned old tool outputs")
        }
    }

    /// Records the compaction (undo point, session branch, notice) when it changed anything.
    private func finishCompaction(turn: Int, original: [ChatMessage], before: Int, how: String) -> Bool {
        guard messages != original, let model else { return false }
        let after = contextTokens(request(model: model)).tokens
        let saved = max(0, before - after)
        compactionCount += 1
        beforeCompaction = original
        if Double(saved) < Double(before) * CompactionSettings.minimumSavedShare {
            ineffectiveCompactionSize = after
        } else {
            ineffectiveCompactionSize = nil
        }
        let view = messages
        persist(turn: turn, failure: "could not save the compacted conversation") { try await $0.compacted(view) }
        let summary = CompactionSummary(before: before, after: after, how: how)
        lastCompactionReport = summary.text
        publish(.compacted(turn: turn, summary))
        publishContext(turn: turn)
        return true
    }

    /// Streams the summary request and returns its text (usage is recorded like any request).
    private func summarize(_ request: ChatRequest, provider: any LLMProvider, model: String,
                           turn: Int) async -> Result<String, ProviderError> {
        var reply = ChatReply()
        var failure: ProviderError?
        for await event in provider.chatStream(request) {
            if Task.isCancelled { break }
            reply.apply(event)
            if case .error(let error) = event { failure = error }
        }
        // A summary the server did not report is counted with the reply's estimate (D180).
        if let usage = reply.usage ?? (reply.hasContent ? Self.estimate(reply, request: request) : nil) {
            await recordUsage(usage, provider: provider.name, model: model, turn: turn, streamingSeconds: nil)
        }
        if let failure { return .failure(failure) }
        let text = String(reply.text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
        guard !text.isEmpty, !Task.isCancelled else {
            return .failure(ProviderError(kind: .badResponse, provider: provider.name, url: provider.baseURL,
                                          detail: "the summary was empty"))
        }
        return .success(text)
    }

    /// `/compact [instructions]`: compacts now (after the queued commands, never during a
    /// turn) and returns what happened, for the chat.
    public func compactNow(instructions: String?) async -> String {
        let report = Mutex("")
        await inOrder {
            let text = await self.runManualCompaction(instructions: instructions)
            report.withLock { $0 = text }
        }
        return report.withLock { $0 }
    }

    private func runManualCompaction(instructions: String?) async -> String {
        guard let provider, let model else { return "nothing to compact: no provider or model configured" }
        lastCompactionReport = "nothing to compact yet"
        await compact(turn: Self.manualTurn, provider: provider, model: model, reason: .manual(instructions))
        return lastCompactionReport
    }

    /// `/compact undo`: restores the conversation as it was before the last compaction.
    public func undoCompaction() async -> String {
        let report = Mutex("")
        await inOrder {
            let text = await self.restoreBeforeCompaction()
            report.withLock { $0 = text }
        }
        return report.withLock { $0 }
    }

    private func restoreBeforeCompaction() -> String {
        guard let original = beforeCompaction else { return "there is no compaction to undo" }
        beforeCompaction = nil
        ineffectiveCompactionSize = nil
        replaceMessages(original)
        publishContext(turn: Self.manualTurn)
        persist(turn: Self.manualTurn, failure: "could not save the restored conversation") {
            try await $0.compactionUndone()
        }
        return "restored the conversation as it was before the last compaction (\(original.count) messages)"
    }

    /// The turn id of `/compact`'s events: no turn the UI shows.
    static let manualTurn = -1

    /// `error` with advice for a context overflow that compaction did not cure.
    static func overflowAdvice(_ error: ProviderError, afterCompacting: Bool) -> ProviderError {
        var error = error
        // With `"auto": false` nothing was compacted, so the advice must not say it was.
        let advice = afterCompacting
            ? "the conversation does not fit the model's context even after compacting; "
                + "try /compact with focus instructions, or /new"
            : "the conversation does not fit the model's context; try /compact, or /new"
        error.detail = [error.detail, advice].compactMap { $0 }.joined(separator: "; ")
        return error
    }

    /// Learns the window an overflow error states.
    func learnWindow(from error: ProviderError) {
        let text = [error.serverMessage, error.detail].compactMap { $0 }.joined(separator: " ")
        if let stated = ContextWindow.stated(in: text) { learnedWindow = stated }
    }
}

extension AgentEngine {
    /// `/context`: what the next request would hold, by part, against the window in force
    /// (the figure automatic compaction compares with its limit).
    public func contextBreakdown() -> String {
        let window = windowInForce
        let request = request(model: model ?? "")
        let system = request.messages.first { $0.role == .system }.map { UsageEstimator.tokens(in: $0.content) + 4 } ?? 0
        var toolTally = UsageEstimator.Tally()
        for tool in request.tools {
            toolTally.add(tool.name)
            toolTally.add(tool.description)
            toolTally.add(tool.parameters)
        }
        let figure = contextFigure()
        let total = figure.tokens
        let lastAssistant = messages.lastIndex { $0.role == .assistant } ?? messages.count
        let lastOutputs = messages.indices.filter { $0 > lastAssistant - 1 && messages[$0].role == .tool }
            .reduce(0) { $0 + UsageEstimator.tokens(in: messages[$1].content) + 4 }
        let conversation = max(0, total - system - toolTally.tokens - lastOutputs)
        let shown = figure.windowText
        let free = figure.free
        let auto = configuration.compaction.auto
            ? "auto-compaction at ~\(compactionLimit) tokens" + (window.source == .guess ? " (off: the window is a guess)" : "")
            : "auto-compaction off"
        return """
            Context: ~\(total) of \(shown) tokens (window from \(window.source.rawValue)); \(auto)
              system prompt      ~\(system)
              tool definitions   ~\(toolTally.tokens)
              conversation       ~\(conversation) (\(messages.count) messages)
              last tool outputs  ~\(lastOutputs)
              free               ~\(free)
            """
    }
}
