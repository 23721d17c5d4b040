import AgentCore
import FoundationEssentials
import GRDB
import Testing
@testable import SessionStore

/// A database made by the schema before v2 (today's main) upgrades without losing a row.
@Suite(.timeLimit(.minutes(2))) struct MigrationTests {
    /// A v1 database with sessions, messages, a draft and a ledger written the way v1 wrote
    /// them (costs as decimal text only), among them costs with no exact pico-dollar integer.
    static func makeVersion1Database(at path: String, usageRows: Int) throws -> [UsageRecord] {
        let queue = try DatabaseQueue(path: path)
        try SessionSchema.migratorUpToVersion1.migrate(queue)
        var random = SplitMix64(seed: 99)
        var records: [UsageRecord] = []
        try queue.write { db in
            for id in 1...3 {
                try db.execute(sql: """
                    INSERT INTO session (id, projectDirectory, provider, model, title, createdAt, updatedAt)
                    VALUES (?, '/p', 'x', 'm', ?, ?, ?)
                    """, arguments: [id, "title \(id)", utc("2026-03-01 10:00"), utc("2026-03-01 11:00")])
                for position in 0..<4 {
                    try db.execute(sql: """
                        INSERT INTO message (sessionId, position, role, content, createdAt) VALUES (?, ?, ?, ?, ?)
                        """, arguments: [id, position, position % 2 == 0 ? "user" : "assistant", "m\(position)",
                                         utc("2026-03-01 10:00")])
                }
            }
            try db.execute(sql: "INSERT INTO draft VALUES (2, 'old', 'partial reply', ?)", arguments: [utc("2026-03-01 12:00")])
            for index in 0..<usageRows {
                let places = Int(random.next() % 16)
                let cost: Decimal? = index % 9 == 0 ? nil : Decimal(string: PicoTestText.decimal(random.next() % 1_000_000, places: places))
                let usage = TokenUsage(inputTokens: index, outputTokens: 2 * index, cachedInputTokens: 1,
                                       cacheWriteTokens: 0, reasoningTokens: 3, isEstimate: index % 4 == 0)
                let record = UsageRecord(provider: "p\(index % 3)", model: "m", usage: usage, cost: cost,
                                         costSource: cost == nil ? nil : "builtin",
                                         date: utc("2026-03-01 00:00") + Double(index * 97))
                records.append(record)
                try db.execute(sql: """
                    INSERT INTO usage (sessionId, provider, model, inputTokens, outputTokens, cachedInputTokens,
                                       cacheWriteTokens, reasoningTokens, isEstimate, cost, costSource, createdAt)
                    VALUES (?, ?, 'm', ?, ?, 1, 0, 3, ?, ?, ?, ?)
                    """, arguments: [index % 3 + 1, record.provider, index, 2 * index, usage.isEstimate,
                                     cost.map { "\($0)" }, record.costSource, record.date])
            }
        }
        return records
    }

    @Test func aVersion1DatabaseUpgradesWithoutLosingARow() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/sessions.sqlite"
            let records = try Self.makeVersion1Database(at: path, usageRows: 500)
            let store = try SessionStore(path: path)
            let (migrations, counts, backfill) = try await store.pool.read { db in
                let counts = try ["session", "message", "draft", "usage"].map { table in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1
                }
                let rows = try Row.fetchAll(db, sql: "SELECT cost, costPico FROM usage ORDER BY id")
                let backfill = rows.map { row -> Bool in
                    let cost: String? = row["cost"]
                    let pico: Int64? = row["costPico"]
                    return pico == cost.flatMap(PicoDollars.exact)
                }
                return (try SessionSchema.migrator.appliedIdentifiers(db), counts, backfill)
            }
            #expect(migrations == ["v1", "v2", "v3-run-sessions", "v4-branches", "v5-checkpoints"])
            #expect(counts == [3, 12, 1, 500])
            #expect(backfill.allSatisfy { $0 })
            #expect(try await store.usageTotal() == UsageAggregation.total(records))
            #expect(try await store.usageByDay(timeZone: TimeZone(identifier: "UTC")!)
                    == UsageAggregation.byDay(records, timeZone: TimeZone(identifier: "UTC")!))
            let resumed = try await store.loadMessages(sessionID: 2)
            #expect(resumed.count == 5)
            #expect(resumed.last?.isInterrupted == true)
        }
    }

    @Test func rowsWrittenByAnOlderVersionAfterTheUpgradeAreStillCounted() async throws {
        try await withTemporaryStore { store, _ in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            // An older binary sharing the file inserts without the new column.
            try await store.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO usage (sessionId, provider, model, inputTokens, outputTokens, cachedInputTokens,
                                       cacheWriteTokens, reasoningTokens, isEstimate, cost, costSource, createdAt)
                    VALUES (?, 'x', 'm', 1, 1, 0, 0, 0, 0, '0.25', 'config', ?)
                    """, arguments: [session.id, utc("2026-03-01 10:00")])
            }
            try await store.recordUsage(UsageRecord(provider: "x", model: "m", usage: TokenUsage(inputTokens: 1, outputTokens: 1),
                                                    cost: Decimal(string: "0.5"), costSource: "builtin",
                                                    date: utc("2026-03-01 11:00")), sessionID: session.id)
            let total = try await store.usageTotal()
            #expect(total.cost == Decimal(string: "0.75"))
            #expect(total.costSources == ["config", "builtin"])
        }
    }
}

@Suite(.timeLimit(.minutes(2))) struct PicoDollarsTests {
    @Test func exactIntegersOfDecimalText() {
        #expect(PicoDollars.exact("0.0123") == 12_300_000_000)
        #expect(PicoDollars.exact("12") == 12_000_000_000_000)
        #expect(PicoDollars.exact("0.000000000001") == 1)
        #expect(PicoDollars.exact("0.0000000375") == 37_500)
        #expect(PicoDollars.exact("1.500000000000000") == 1_500_000_000_000)
        #expect(PicoDollars.exact("9223372.036854775807") == Int64.max)
    }

    @Test func noIntegerWhenItWouldNotBeExact() {
        for text in ["0.0000000000001", "9223372.036854775808", "-1", "1e-3", "", ".", "1.2.3", "NaN", "0x10",
                     String(repeating: "9", count: 70)] {
            #expect(PicoDollars.exact(text) == nil, "\(text)")
        }
    }

    @Test func halvesBackToDollars() {
        let value: Int64 = 9_223_372_036_854_775_807
        #expect(PicoDollars.dollars(high: value >> 32, low: value & 0xFFFF_FFFF) == Decimal(string: "9223372.036854775807")!)
        #expect(PicoDollars.dollars(high: 0, low: 1) == Decimal(string: "0.000000000001")!)
        #expect(PicoDollars.dollars(high: 0, low: 0) == 0)
        #expect("\(PicoDollars.dollars(high: 0, low: 300_000_000_000))" == "0.3")
        // Five times the largest value: more than Int64 holds, still exact.
        #expect(PicoDollars.dollars(high: 5 * (value >> 32), low: 5 * (value & 0xFFFF_FFFF))
                == Decimal(string: "46116860.184273879035")!)
    }
}
