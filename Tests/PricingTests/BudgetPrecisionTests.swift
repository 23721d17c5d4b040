import AgentCore
import FoundationEssentials
import Testing
@testable import Pricing

/// Budgets keep the precision the user typed (issue 14, bug 5): `/budget session 0.0008` is
/// `$0.0008`, never `$0.00`, and a raised budget ends an override.
@Suite(.timeLimit(.minutes(2))) struct BudgetPrecisionTests {
    func accounting(_ budget: Budget) -> CostAccounting {
        CostAccounting(book: PriceBook(overrides: [:]), budget: budget, providers: [],
                       today: { Date(timeIntervalSince1970: 0) })
    }

    @Test func limitsShowEveryDigitTheyCarryAndCentsAtLeast() {
        #expect(MoneyFormat.limit(Decimal(string: "0.0008")!) == "$0.0008")
        #expect(MoneyFormat.limit(Decimal(string: "2.5")!) == "$2.50")
        #expect(MoneyFormat.limit(5) == "$5.00")
        #expect(MoneyFormat.limit(Decimal(string: "0.123456789")!) == "$0.12345679")
        #expect(MoneyFormat.spent(Decimal(string: "0.0009")!, against: Decimal(string: "0.0008")!) == "$0.0009")
        #expect(MoneyFormat.spent(Decimal(string: "0.00071")!, against: Decimal(string: "0.00075")!) == "$0.00071")
        #expect(MoneyFormat.spent(Decimal(string: "2.04")!, against: 2) == "$2.04")
    }

    @Test func aSubCentSessionBudgetIsShownAndRefusedWithItsDigits() throws {
        let costs = accounting(Budget())
        costs.startSession(spent: Decimal(string: "0.0007")!)
        costs.setLimit(session: Decimal(string: "0.0008")!, daily: nil)
        #expect(costs.summary.hasPrefix("Budget: session $0.0007 of $0.0008"), "\(costs.summary)")
        costs.startSession(spent: Decimal(string: "0.0009")!)
        let refusal = try #require(costs.refusal())
        #expect(refusal.hasPrefix("session budget $0.0008 reached: $0.0009 spent this session."), "\(refusal)")
    }

    @Test func raisingTheBudgetAfterAnOverrideDropsTheOverriddenNote() {
        let costs = accounting(Budget(sessionUSD: 1))
        costs.startSession(spent: 2)
        costs.override()
        #expect(costs.summary.hasSuffix("(overridden for this session)"))
        costs.setLimit(session: 5, daily: nil)
        #expect(costs.status == .ok)
        #expect(!costs.summary.contains("overridden"), "\(costs.summary)")
    }
}
