import AgentCore
import FoundationEssentials
import Synchronization

/// Prices every request and keeps the spend the budgets are checked against. Shared by the
/// engine (pricer and budget gate, called from its actor) and the UI (status), so its state
/// sits behind a mutex.
public final class CostAccounting: Sendable {
    private struct State {
        var book: PriceBook
        var kinds: [String: ProviderKind] = [:]
        /// Prices a provider published with its model list, keyed `provider/model`.
        var published: [String: ModelPricing] = [:]
        var budget: Budget
        var sessionSpent = Decimal(0)
        var todaySpent = Decimal(0)
        /// The local day `todaySpent` belongs to; a new day starts from zero.
        var day: Date
        var overridden = false
    }

    private let state: Mutex<State>
    /// Local midnight today (replaced in tests).
    private let today: @Sendable () -> Date

    /// Prices with `book`, checks `budget`, and knows the kinds of `providers` (a local
    /// server is free). `today` gives local midnight of the current day.
    public init(book: PriceBook, budget: Budget, providers: [ProviderConfig],
                today: @escaping @Sendable () -> Date = LocalDay.startOfToday) {
        var initial = State(book: book, budget: budget, day: today())
        for provider in providers { initial.kinds[provider.name] = provider.kind }
        state = Mutex(initial)
        self.today = today
    }

    /// The price book from the config; a broken pricing file is reported and left out.
    public static func book(for config: AppConfig, environment: [String: String]) -> (PriceBook, String?) {
        let directory = config.sourcePath.map { path in
            String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        }
        do {
            return (try PriceBook.load(settings: config.settings, configDirectory: directory,
                                       homeDirectory: environment["HOME"]), nil)
        } catch {
            return (PriceBook(overrides: config.settings.pricing), "pricing file not used: \(error)")
        }
    }

    /// Remembers a provider (detected ones arrive late) and the prices it publishes.
    public func learn(provider: ProviderConfig) {
        state.withLock { $0.kinds[provider.name] = provider.kind }
    }

    /// Remembers the prices `provider` publishes for `models`.
    public func learn(provider: String, models: [ModelInfo]) {
        state.withLock { state in
            for model in models { if let pricing = model.pricing { state.published[provider + "/" + model.id] = pricing } }
        }
    }

    /// `models` with the price swiftcoder will charge filled in where the server published
    /// none (config overrides, the built-in table, a pricing file, 0 for local servers).
    public func pricing(provider: String, models: [ModelInfo]) -> [ModelInfo] {
        state.withLock { state in
            let kind = state.kinds[provider] ?? .openAICompatible
            return models.map { model in
                guard model.pricing?.inputPerMillion == nil || model.pricing?.outputPerMillion == nil else { return model }
                var priced = model
                if let quote = state.book.quote(providerKind: kind, model: model.id, host: provider) {
                    priced.pricing = quote.pricing
                }
                return priced
            }
        }
    }

    /// The engine's pricer: the cost of one request and its source, counted towards the budgets.
    public func price(provider: String, model: String, usage: TokenUsage) -> (cost: Decimal?, source: String?) {
        state.withLock { state in
            let kind = state.kinds[provider] ?? .openAICompatible
            let quote = state.book.quote(providerKind: kind, model: model,
                                         published: state.published[provider + "/" + model], host: provider)
            let cost = CostCalculator.cost(of: usage, quote: quote)
            rollOver(&state)
            if let amount = cost.amount {
                state.sessionSpent += amount
                state.todaySpent += amount
            }
            return (cost.amount, cost.source?.rawValue)
        }
    }

    /// The budgets now.
    public var status: BudgetStatus {
        state.withLock { state in
            rollOver(&state)
            return BudgetCheck.evaluate(budget: state.budget, sessionSpent: state.sessionSpent, todaySpent: state.todaySpent,
                                 overrideActive: state.overridden)
        }
    }

    /// Whether a session or daily limit is set.
    public var hasLimits: Bool {
        state.withLock { $0.budget.sessionUSD != nil || $0.budget.dailyUSD != nil }
    }

    /// The engine's gate: a refusal message when a budget is reached, else `nil`.
    public func refusal() -> String? {
        if case .exceeded(let exceeded) = status { return exceeded.message }
        return nil
    }

    /// A resumed session's earlier spend, or 0 for a new session.
    public func startSession(spent: Decimal) {
        state.withLock {
            $0.sessionSpent = spent
            $0.overridden = false
        }
    }

    /// Today's spend across sessions, from the ledger (read for `day`).
    public func setToday(spent: Decimal, day: Date) {
        state.withLock {
            $0.todaySpent = spent
            $0.day = day
        }
    }

    /// Past midnight, today's spend starts again from zero.
    private func rollOver(_ state: inout State) {
        let today = self.today()
        if today != state.day {
            state.day = today
            state.todaySpent = 0
        }
    }

    /// `/budget override`: lets requests through for the rest of this session.
    public func override() {
        state.withLock { $0.overridden = true }
    }

    /// `/budget session X` or `/budget daily X`: a new limit for this run. An override ends
    /// once no limit is reached any more (a raised budget needs none).
    public func setLimit(session: Decimal?, daily: Decimal?) {
        state.withLock { state in
            if let session { state.budget.sessionUSD = session }
            if let daily { state.budget.dailyUSD = daily }
            let status = BudgetCheck.evaluate(budget: state.budget, sessionSpent: state.sessionSpent,
                                              todaySpent: state.todaySpent)
            if case .exceeded = status {} else { state.overridden = false }
        }
    }

    /// A line describing the budgets (for `/budget`).
    public var summary: String {
        state.withLock { state in
            let session = state.budget.sessionUSD.map { MoneyFormat.limit($0) } ?? "none"
            let daily = state.budget.dailyUSD.map { MoneyFormat.limit($0) } ?? "none"
            let sessionSpent = state.budget.sessionUSD.map { MoneyFormat.spent(state.sessionSpent, against: $0) }
            let todaySpent = state.budget.dailyUSD.map { MoneyFormat.spent(state.todaySpent, against: $0) }
            return "Budget: session \(sessionSpent ?? MoneyFormat.usd(state.sessionSpent)) of \(session), "
                + "today \(todaySpent ?? MoneyFormat.usd(state.todaySpent)) of \(daily)"
                + (state.overridden ? " (overridden for this session)" : "")
        }
    }
}
