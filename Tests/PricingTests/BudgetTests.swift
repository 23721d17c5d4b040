import AgentCore
import FoundationEssentials
import Testing
@testable import Pricing

struct BudgetCase: CustomTestStringConvertible, Sendable {
    var name: String
    var budget: Budget
    var session: String
    var today: String
    var override = false
    var expected: BudgetStatus
    var testDescription: String { name }
}

@Suite(.timeLimit(.minutes(2))) struct BudgetTests {
    static let sessionTwo = Budget(sessionUSD: 2)
    static let both = Budget(sessionUSD: 2, dailyUSD: 10)

    static let cases: [BudgetCase] = [
        BudgetCase(name: "no limits", budget: Budget(), session: "1000", today: "1000", expected: .ok),
        BudgetCase(name: "below 80%", budget: sessionTwo, session: "1.59", today: "0", expected: .ok),
        BudgetCase(name: "warning at 80%", budget: sessionTwo, session: "1.6", today: "0",
                   expected: .warning(scope: .session, fraction: dec("0.8"))),
        BudgetCase(name: "exceeded at 100%", budget: sessionTwo, session: "2", today: "0",
                   expected: .exceeded(BudgetExceeded(scope: .session, spent: 2, limit: 2))),
        BudgetCase(name: "exceeded above 100%", budget: sessionTwo, session: "2.04", today: "0",
                   expected: .exceeded(BudgetExceeded(scope: .session, spent: dec("2.04"), limit: 2))),
        BudgetCase(name: "override lets requests through", budget: sessionTwo, session: "2.04", today: "0", override: true,
                   expected: .overridden(BudgetExceeded(scope: .session, spent: dec("2.04"), limit: 2))),
        BudgetCase(name: "daily warning", budget: both, session: "0.5", today: "9", expected: .warning(scope: .daily, fraction: dec("0.9"))),
        BudgetCase(name: "larger warning wins", budget: both, session: "1.7", today: "9",
                   expected: .warning(scope: .daily, fraction: dec("0.9"))),
        BudgetCase(name: "exceeded outranks warning", budget: both, session: "1.9", today: "10.31",
                   expected: .exceeded(BudgetExceeded(scope: .daily, spent: dec("10.31"), limit: 10))),
        BudgetCase(name: "zero budget refuses", budget: Budget(dailyUSD: 0), session: "0", today: "0",
                   expected: .exceeded(BudgetExceeded(scope: .daily, spent: 0, limit: 0))),
    ]

    @Test(arguments: cases)
    func status(_ testCase: BudgetCase) {
        let status = BudgetCheck.evaluate(budget: testCase.budget, sessionSpent: dec(testCase.session),
                                          todaySpent: dec(testCase.today), overrideActive: testCase.override)
        #expect(status == testCase.expected)
        let refused = if case .exceeded = testCase.expected { true } else { false }
        #expect(status.allowsRequest == !refused)
    }

    @Test func refusalMessagesSayWhatToDo() {
        #expect(BudgetExceeded(scope: .session, spent: dec("2.04"), limit: 2).message ==
            "session budget $2.00 reached: $2.04 spent this session. Raise budget.sessionUSD in agents.config.json"
            + " or confirm an override with /budget override")
        #expect(BudgetExceeded(scope: .daily, spent: dec("10.315"), limit: 10).message ==
            "daily budget $10.00 reached: $10.32 spent today. Raise budget.dailyUSD in agents.config.json"
            + " or confirm an override with /budget override")
    }
}

@Suite(.timeLimit(.minutes(2))) struct FormatTests {
    @Test(arguments: [
        (nil, false, "n/a"),
        ("0", false, "$0.00"),
        ("0.0123", false, "$0.0123"),
        ("0.012345", false, "$0.0123"),
        ("0.01235", false, "$0.0124"),
        ("0.5", false, "$0.50"),
        ("0.00005", false, "$0.0001"),
        ("0.000012", false, "$0.000012"),
        ("0.0000123456", false, "$0.000012"),
        ("0.99996", false, "$1.00"),
        ("2.04", false, "$2.04"),
        ("3.14159", false, "$3.142"),
        ("12.345", false, "$12.35"),
        ("1234.5", false, "$1234.50"),
        ("-0.25", false, "-$0.25"),
        ("0.0041", true, "~$0.0041"),
        (nil, true, "n/a"),
    ] as [(String?, Bool, String)])
    func money(_ amount: String?, _ estimate: Bool, _ expected: String) {
        #expect(MoneyFormat.usd(amount.map(dec), estimate: estimate) == expected)
    }

    @Test(arguments: [
        (0, "0"), (999, "999"), (1000, "1k"), (1234, "1.2k"), (1250, "1.3k"), (12_345, "12.3k"),
        (99_949, "99.9k"), (99_960, "100k"), (128_000, "128k"), (999_499, "999k"), (999_500, "1M"),
        (1_250_000, "1.3M"), (42_000_000, "42M"), (3_000_000_000, "3B"), (-1234, "-1.2k"),
    ])
    func tokens(_ count: Int, _ expected: String) {
        #expect(TokenFormat.compact(count) == expected)
    }

    @Test(arguments: [
        ("1.5e-06", "0.0000015"), ("2.5E+1", "25"), ("3e-07", "0.0000003"), ("0", "0"), ("-0.5", "-0.5"),
        ("1.875e-06", "0.000001875"), ("12", "12"),
    ])
    func exactDecimalFromJSONText(_ text: String, _ plain: String) throws {
        let value = try #require(DecimalText.parse(text))
        #expect(value == Decimal(string: plain))
        #expect(value.description == plain)
    }

    @Test(arguments: ["1.5e", "1.5x", "01", ".5", "1.", "+1", "", "e5", "1e+", " 1"])
    func notJSONNumbers(_ text: String) {
        #expect(DecimalText.parse(text) == nil)
    }

    @Test func perTokenPricesBecomeExactPerMillionRates() {
        #expect(dec("1.5e-06") * 1_000_000 == dec("1.5"))
        #expect(dec("3e-07") * 1_000_000 == dec("0.3"))
        #expect(dec("1.1e-06") * 1_000_000 == dec("1.1"))
    }
}
