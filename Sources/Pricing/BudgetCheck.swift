import AgentCore
import FoundationEssentials

/// Which spending limit.
public enum BudgetScope: String, Sendable, Hashable {
    case session
    case daily

    /// The config key that sets it.
    public var configKey: String { self == .session ? "budget.sessionUSD" : "budget.dailyUSD" }
    /// How the spend is described ("this session", "today").
    var period: String { self == .session ? "this session" : "today" }
}

/// A limit that has been reached.
public struct BudgetExceeded: Sendable, Hashable {
    public var scope: BudgetScope
    public var spent: Decimal
    public var limit: Decimal

    /// Creates the record of a reached limit.
    public init(scope: BudgetScope, spent: Decimal, limit: Decimal) {
        self.scope = scope
        self.spent = spent
        self.limit = limit
    }

    /// "session budget $2.00 reached: $2.04 spent this session. Raise budget.sessionUSD in
    /// agents.config.json or confirm an override with /budget override"
    public var message: String {
        "\(scope.rawValue) budget \(MoneyFormat.limit(limit)) reached: \(MoneyFormat.spent(spent, against: limit)) spent \(scope.period). "
            + "Raise \(scope.configKey) in agents.config.json or confirm an override with /budget override"
    }
}

/// The state of the budgets before a request.
public enum BudgetStatus: Sendable, Hashable {
    /// Below every warning threshold (or no limits set).
    case ok
    /// At or above `BudgetCheck.warningFraction` of a limit; `fraction` is spent / limit.
    case warning(scope: BudgetScope, fraction: Decimal)
    /// A limit is reached: requests are refused.
    case exceeded(BudgetExceeded)
    /// A limit is reached but the user overrode it for this session: requests go through.
    case overridden(BudgetExceeded)

    /// Whether a new request may be sent.
    public var allowsRequest: Bool {
        if case .exceeded = self { return false }
        return true
    }
}

/// Budget checks, pure: the caller supplies the spend.
public enum BudgetCheck {
    /// The share of a limit at which the user is warned.
    public static let warningFraction = Decimal(8) / 10

    /// The status given the limits, the session's spend and today's spend (USD). The session limit
    /// is checked before the daily one; a reached limit outranks a warning, and among warnings the
    /// larger fraction wins. `overrideActive` (from `/budget override`) lets requests through.
    public static func evaluate(budget: Budget, sessionSpent: Decimal, todaySpent: Decimal,
                                overrideActive: Bool = false) -> BudgetStatus {
        let checks: [(BudgetScope, Decimal?, Decimal)] = [
            (.session, budget.sessionUSD, sessionSpent), (.daily, budget.dailyUSD, todaySpent),
        ]
        var warning: (scope: BudgetScope, fraction: Decimal)?
        for (scope, limit, spent) in checks {
            guard let limit else { continue }
            if spent >= limit {
                let exceeded = BudgetExceeded(scope: scope, spent: spent, limit: limit)
                return overrideActive ? .overridden(exceeded) : .exceeded(exceeded)
            }
            let fraction = spent / limit
            if fraction >= warningFraction, fraction > (warning?.fraction ?? 0) { warning = (scope, fraction) }
        }
        if let warning { return .warning(scope: warning.scope, fraction: warning.fraction) }
        return .ok
    }
}
