import FoundationEssentials

/// Config `compaction`: when and how the conversation is compacted to fit the model's window.
public struct CompactionSettings: Sendable, Hashable {
    /// `auto`: compact before a request that would cross `threshold`, and once after the server
    /// says the context overflowed. `false` turns every automatic compaction off (D123).
    public var auto: Bool
    /// `threshold`: the share of the window (after the room kept for the reply) a request may fill.
    public var threshold: Double
    /// `keepRecentTurns`: the most recent user turns kept verbatim.
    public var keepRecentTurns: Int

    public static let defaultThreshold = 0.8
    public static let defaultKeepRecentTurns = 2
    /// A compaction that frees less than this share of the conversation is not tried again
    /// until the conversation has grown (D125).
    public static let minimumSavedShare = 0.1

    public init(auto: Bool = true, threshold: Double = defaultThreshold, keepRecentTurns: Int = defaultKeepRecentTurns) {
        self.auto = auto
        self.threshold = threshold
        self.keepRecentTurns = keepRecentTurns
    }
}
