import FoundationEssentials

/// The one context figure (D135): what the next request holds, against the window in force.
/// The engine computes it (`AgentEngine.contextFigure`) and publishes it as
/// `EngineEvent.context`; the meter's bar, `/context` and automatic compaction all read it.
public struct ContextFigure: Sendable, Hashable {
    /// Tokens the next request holds: the last request's input plus its output (the server's
    /// figures when it reported them) plus what was added since (the new message, tool
    /// results); the whole request estimated when no request since the last change is known.
    public var tokens: Int
    /// The window in force and where it came from (D123).
    public var window: Int
    public var source: ContextWindow.Source
    /// True when any part of `tokens` is an estimate (`UsageEstimator`).
    public var isEstimate: Bool

    public init(tokens: Int, window: Int, source: ContextWindow.Source, isEstimate: Bool) {
        self.tokens = max(0, tokens)
        self.window = max(0, window)
        self.source = source
        self.isEstimate = isEstimate
    }

    /// The window as shown: `8192?` when it is a guess.
    public var windowText: String { source == .guess ? "\(window)?" : "\(window)" }

    /// Tokens left in the window.
    public var free: Int { max(0, window - tokens) }
}

/// What one compaction did (D136): shown in the chat and next to the meter's context bar.
public struct CompactionSummary: Sendable, Hashable {
    /// The context figure before and after, and what it saved.
    public var before: Int
    public var after: Int
    /// How: "pruned old tool outputs" or "summarized older turns".
    public var how: String

    public init(before: Int, after: Int, how: String) {
        self.before = max(0, before)
        self.after = max(0, after)
        self.how = how
    }

    /// Tokens the compaction freed.
    public var saved: Int { max(0, before - after) }

    /// The chat's line.
    public var text: String {
        "compacted the conversation (\(how)): ~\(before) → ~\(after) tokens, saved ~\(saved); /compact undo restores it"
    }
}
