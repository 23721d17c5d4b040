import AgentCore

/// What a running command printed and nobody has seen yet, handed on at most every
/// `interval` (D111). Keeps only the newest `limit` bytes (hostile output is bounded) and
/// holds back an unfinished UTF-8 sequence until its last byte arrives. Pure.
struct LiveOutputFeed: Sendable {
    let limit: Int
    let interval: Duration
    private var pending: [UInt8] = []
    private var lastTaken: ContinuousClock.Instant?

    init(limit: Int = EngineEvent.liveOutputLimit, interval: Duration = .milliseconds(100)) {
        self.limit = max(limit, 4)
        self.interval = interval
    }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        pending.append(contentsOf: bytes)
        if pending.count > 2 * limit { pending.removeFirst(pending.count - limit) }
    }

    /// The text to show now: `nil` when there is none, or when the last was taken less
    /// than `interval` ago and `force` is false. `force` also hands on an unfinished sequence.
    mutating func take(now: ContinuousClock.Instant, force: Bool = false) -> String? {
        guard !pending.isEmpty else { return nil }
        if !force, let lastTaken, now - lastTaken < interval { return nil }
        let end = force ? pending.count : Self.completePrefix(pending)
        guard end > 0 else { return nil }
        let bytes = pending[max(0, end - limit)..<end]
        pending.removeFirst(end)
        lastTaken = now
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The length of `bytes` without a trailing unfinished UTF-8 sequence.
    static func completePrefix(_ bytes: [UInt8]) -> Int {
        var index = bytes.count
        var continuation = 0
        while index > 0, continuation < 3, bytes[index - 1] & 0xC0 == 0x80 {
            index -= 1
            continuation += 1
        }
        guard index > 0 else { return bytes.count }
        let lead = bytes[index - 1]
        let needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0
        return needed > continuation ? index - 1 : bytes.count
    }
}
