import GRDB
import SessionModel

extension SessionSchema {
    /// v2: `usage.costPico`, the cost as whole pico-dollars, summed in SQL (D70), backfilled
    /// from the decimal text, which stays the record. A cost with no exact integer (more than
    /// 12 decimals, negative, too large) keeps `costPico` NULL and is added in Swift; the
    /// partial index finds those rows without a scan.
    static func addExactCostColumn(_ db: Database) throws {
        try db.alter(table: "usage") { table in
            table.add(column: "costPico", .integer)
        }
        let update = try db.makeStatement(sql: "UPDATE usage SET costPico = ? WHERE id = ?")
        let rows = try Row.fetchCursor(db, sql: "SELECT id, cost FROM usage WHERE cost IS NOT NULL")
        var updates: [(Int64, Int64)] = []
        while let row = try rows.next() {
            if let text: String = row["cost"], let pico = PicoDollars.exact(text) { updates.append((row["id"], pico)) }
        }
        for (id, pico) in updates { try update.execute(arguments: [pico, id]) }
        try db.execute(sql: """
            CREATE INDEX usage_inexact_cost ON usage(createdAt) WHERE cost IS NOT NULL AND costPico IS NULL
            """)
        // Covers the per-model sums, so that `GROUP BY provider, model, costSource` over the
        // whole ledger reads this index in order, with no sort and no table lookups (D71).
        try db.execute(sql: """
            CREATE INDEX usage_by_model ON usage(provider, model, costSource, inputTokens, outputTokens,
                cachedInputTokens, cacheWriteTokens, reasoningTokens, isEstimate, cost, costPico)
            """)
    }
}
