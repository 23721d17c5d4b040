import AgentCore
import FoundationEssentials
import GRDB
import Testing
@testable import SessionStore

/// The SQL aggregates (D70) against the Swift decimal sums they replaced, on a random ledger.
@Suite(.timeLimit(.minutes(2))) struct UsageAggregateTests {
    /// Three zones whose midnights differ: UTC, India (+05:30) and a zone with daylight saving
    /// time when the system has its rules (a fixed -08:00 otherwise).
    static let zones: [TimeZone] = [
        TimeZone(identifier: "UTC")!, TimeZone(secondsFromGMT: 19_800)!,
        TimeZone(identifier: "America/Los_Angeles") ?? TimeZone(secondsFromGMT: -28_800)!,
    ]

    /// A random ledger: prices from a fraction of a pico-dollar to dollars, 0-15 decimals (so
    /// some costs have no exact pico-dollar integer), estimates, unpriced rows, rows of
    /// deleted sessions, times bunched within minutes of the three zones' midnights.
    static func ledger(seed: UInt64, count: Int, sessions: [Int64?]) -> [(Int64?, UsageRecord)] {
        var random = SplitMix64(seed: seed)
        let models = [("openai", "gpt-4.1"), ("openai", "gpt-4.1-mini"), ("anthropic", "claude"), ("local", "llama")]
        let sources = ["builtin", "config", "reported", "litellm"]
        let midnights = [0, -19_800, 28_800, 25_200].map { utc("2026-03-07 00:00").timeIntervalSince1970 + Double($0) }
        return (0..<count).map { index in
            let (provider, model) = models[Int(random.next() % UInt64(models.count))]
            let day = Double(random.next() % 5) * 86_400
            let midnight = midnights[Int(random.next() % UInt64(midnights.count))]
            let jitter = Double(Int(random.next() % 1_200) - 600)  // ±10 minutes
            var cost: Decimal?
            if random.next() % 8 != 0 {
                let places = Int(random.next() % 16)
                let digits = random.next() % 10_000_000_000
                cost = Decimal(string: PicoTestText.decimal(digits, places: places))
            }
            let usage = TokenUsage(inputTokens: Int(random.next() % 100_000), outputTokens: Int(random.next() % 5_000),
                                   cachedInputTokens: Int(random.next() % 1_000), cacheWriteTokens: Int(random.next() % 50),
                                   reasoningTokens: Int(random.next() % 300), isEstimate: random.next() % 5 == 0)
            let record = UsageRecord(provider: provider, model: model, usage: usage, cost: cost,
                                     costSource: cost == nil ? nil : sources[index % sources.count],
                                     date: Date(timeIntervalSince1970: midnight + day + jitter))
            return (sessions[Int(random.next() % UInt64(sessions.count))], record)
        }
    }

    /// Writes the ledger (a session of `nil` is written to a session deleted afterwards).
    static func seed(_ store: SessionStore, seed: UInt64, count: Int) async throws -> [(Int64?, UsageRecord)] {
        var ids: [Int64] = []
        for _ in 0..<3 { ids.append(try await store.createSession(projectDirectory: "/p", provider: "x", model: "m").id) }
        let doomed = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m").id
        let rows = ledger(seed: seed, count: count, sessions: ids.map { Optional($0) } + [nil])
        for (session, record) in rows { try await store.recordUsage(record, sessionID: session ?? doomed) }
        try await store.pool.write { try $0.execute(sql: "DELETE FROM session WHERE id = ?", arguments: [doomed]) }
        return rows
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func sqlAggregatesEqualTheSwiftDecimalSums(seed: UInt64) async throws {
        try await withTemporaryStore { store, _ in
            let rows = try await Self.seed(store, seed: seed, count: 400)
            let records = rows.map(\.1)
            let inexact = try await store.pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM usage WHERE cost IS NOT NULL AND costPico IS NULL") ?? 0
            }
            #expect(inexact > 0)  // both paths are exercised
            #expect(try await store.usageTotal() == UsageAggregation.total(records))
            #expect(try await store.usageByProviderModel() == UsageAggregation.byProviderModel(records))
            let since = utc("2026-03-08 00:00")
            #expect(try await store.usageByProviderModel(since: since)
                    == UsageAggregation.byProviderModel(records.filter { $0.date >= since }))
            for zone in Self.zones {
                let byDay = UsageAggregation.byDay(records, timeZone: zone)
                #expect(byDay.count >= 5)
                #expect(try await store.usageByDay(timeZone: zone) == byDay)
                let days = try await store.usageByDayAndProviderModel(timeZone: zone)
                #expect(UsageRollup.byDay(days) == byDay)
                #expect(UsageRollup.total(days) == UsageAggregation.total(records))
                #expect(UsageRollup.byProviderModel(days) == UsageAggregation.byProviderModel(records))
                #expect(try await store.usageByDay(since: since, timeZone: zone)
                        == UsageAggregation.byDay(records.filter { $0.date >= since }, timeZone: zone))
            }
            for session in Set(rows.map(\.0)) {
                let mine = rows.filter { $0.0 == session }.map(\.1)
                if let session {
                    #expect(try await store.usageTotals(sessionID: session) == UsageAggregation.total(mine))
                    #expect(try await store.usageByProviderModel(sessionID: session)
                            == UsageAggregation.byProviderModel(mine))
                }
                let reported = try await store.usageBySession().first { $0.sessionID == session }
                #expect(reported?.totals == UsageAggregation.total(mine))
            }
        }
    }

    @Test func budgetsReadTheSessionAndTodayFromOneQuery() async throws {
        try await withTemporaryStore { store, _ in
            let rows = try await Self.seed(store, seed: 7, count: 300)
            let today = utc("2026-03-09 00:00")
            for session in Set(rows.compactMap(\.0)) {
                let spend = try await store.spend(sessionID: session, today: today)
                #expect(spend.session == UsageAggregation.total(rows.filter { $0.0 == session }.map(\.1)).cost)
                #expect(spend.today == UsageAggregation.total(rows.map(\.1).filter { $0.date >= today }).cost)
                #expect(spend.session > 0)
            }
            let none = try await store.spend(sessionID: nil, today: today)
            #expect(none.session == 0)
            #expect(none.today == UsageAggregation.total(rows.map(\.1).filter { $0.date >= today }).cost)
        }
    }

    @Test func sumsOfHugeExactCostsDoNotOverflow() async throws {
        try await withTemporaryStore { store, _ in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let big = Decimal(string: "9000000.000000000001")!  // just below Int64.max pico-dollars
            let usage = TokenUsage(inputTokens: 1, outputTokens: 1)
            for _ in 0..<5 {
                try await store.recordUsage(UsageRecord(provider: "x", model: "m", usage: usage, cost: big,
                                                        costSource: "reported", date: utc("2026-03-01 10:00")),
                                            sessionID: session.id)
            }
            #expect(try await store.usageTotal().cost == Decimal(string: "45000000.000000000005")!)
            #expect(try await store.spend(sessionID: session.id, today: utc("2026-03-01 00:00")).today
                    == Decimal(string: "45000000.000000000005")!)
        }
    }

    @Test func daysFarApartAreFoundWithoutWalkingTheGap() async throws {
        try await withTemporaryStore { store, _ in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let usage = TokenUsage(inputTokens: 1, outputTokens: 1)
            for date in [utc("1971-01-01 12:00"), utc("2026-03-01 23:59"), utc("2026-03-02 00:00")] {
                try await store.recordUsage(UsageRecord(provider: "x", model: "m", usage: usage, cost: Decimal(string: "0.5"),
                                                        costSource: "config", date: date), sessionID: session.id)
            }
            let days = try await store.usageByDay(timeZone: TimeZone(identifier: "UTC")!)
            #expect(days.map(\.day) == ["1971-01-01", "2026-03-01", "2026-03-02"])
            #expect(days.map(\.totals.requests) == [1, 1, 1])
            let since = try await store.usageByDay(since: utc("2000-01-01 00:00"), timeZone: TimeZone(identifier: "UTC")!)
            #expect(since.map(\.day) == ["2026-03-01", "2026-03-02"])
        }
    }
}

/// Decimal text for the random ledger.
enum PicoTestText {
    /// `digits` with a point `places` from the right (`1234`, 2 → `12.34`; `5`, 3 → `0.005`).
    static func decimal(_ digits: UInt64, places: Int) -> String {
        var text = String(digits)
        if places == 0 { return text }
        if text.count <= places { text = String(repeating: "0", count: places + 1 - text.count) + text }
        text.insert(".", at: text.index(text.endIndex, offsetBy: -places))
        return text
    }
}

/// A small seeded generator, so a failing ledger can be rebuilt.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
