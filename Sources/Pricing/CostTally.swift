import FoundationEssentials

/// A running total of request costs (a session's, a day's) that stays honest about requests
/// whose price is unknown: their cost is not counted as 0 but flagged.
public struct CostTally: Sendable, Hashable {
    /// The sum of the known costs, USD.
    public private(set) var known: Decimal = 0
    /// How many costs were added.
    public private(set) var requests = 0
    /// How many of them had no known price.
    public private(set) var unpricedRequests = 0
    /// True when any known cost came from estimated token counts.
    public private(set) var isEstimate = false

    /// An empty tally.
    public init() {}

    /// Adds one request's cost.
    public mutating func add(_ cost: Cost) {
        requests += 1
        guard let amount = cost.amount else {
            unpricedRequests += 1
            return
        }
        known += amount
        isEstimate = isEstimate || cost.isEstimate
    }

    /// `$0.0123`; `~$0.0123` when estimated; `≥$0.0123` when some requests had no price; `n/a`
    /// when none had one.
    public var display: String {
        if requests > 0, unpricedRequests == requests { return "n/a" }
        let text = MoneyFormat.usd(known, estimate: isEstimate)
        return unpricedRequests > 0 ? "≥" + text : text
    }
}
