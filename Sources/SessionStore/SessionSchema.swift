import GRDB

/// The database schema as versioned migrations. Never edit a shipped migration: add "v2" etc.
enum SessionSchema {
    /// Every migration, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: createVersion1)
        migrator.registerMigration("v2", migrate: addExactCostColumn)
        migrator.registerMigration("v3-run-sessions", migrate: addFromRunColumn)
        migrator.registerMigration("v4-branches", migrate: addBranches)
        migrator.registerMigration("v5-checkpoints", migrate: addCheckpoints)
        return migrator
    }

    /// v3: `session.fromRun`, set for sessions `swiftcoder run` made (hidden from the session
    /// lists unless asked for, issue 14, bug 17). Existing sessions count as interactive.
    static func addFromRunColumn(_ db: Database) throws {
        try db.alter(table: "session") { table in
            table.add(column: "fromRun", .boolean).notNull().defaults(to: false)
        }
    }

    /// v1 only: what databases made before v2 look like (for the upgrade tests).
    static var migratorUpToVersion1: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: createVersion1)
        return migrator
    }

    private static func createVersion1(_ db: Database) throws {
        try db.create(table: "session") { table in
            table.autoIncrementedPrimaryKey("id")
            table.column("projectDirectory", .text).notNull()
            table.column("provider", .text).notNull()
            table.column("model", .text).notNull()
            table.column("title", .text).notNull().defaults(to: "")
            table.column("createdAt", .datetime).notNull()
            table.column("updatedAt", .datetime).notNull()
        }
        try db.create(index: "session_on_updatedAt", on: "session", columns: ["updatedAt"])
        try db.create(index: "session_on_projectDirectory_updatedAt", on: "session",
                      columns: ["projectDirectory", "updatedAt"])

        try db.create(table: "message") { table in
            table.autoIncrementedPrimaryKey("id")
            table.column("sessionId", .integer).notNull()
                .references("session", onDelete: .cascade)
            table.column("position", .integer).notNull()
            table.column("role", .text).notNull()
            table.column("content", .text).notNull()
            // JSON array of `ToolCall`, NULL when the message has none.
            table.column("toolCalls", .text)
            table.column("toolCallId", .text)
            // A recovered draft: the reply was cut short.
            table.column("isInterrupted", .boolean).notNull().defaults(to: false)
            table.column("createdAt", .datetime).notNull()
            table.uniqueKey(["sessionId", "position"])
        }

        // At most one draft per session: the assistant reply being streamed.
        try db.create(table: "draft") { table in
            table.primaryKey("sessionId", .integer)
                .references("session", onDelete: .cascade)
            // The store instance that wrote it; a draft from another one is a leftover.
            table.column("writer", .text).notNull()
            table.column("content", .text).notNull()
            table.column("updatedAt", .datetime).notNull()
        }

        try db.create(table: "usage") { table in
            table.autoIncrementedPrimaryKey("id")
            // The ledger outlives a deleted session.
            table.column("sessionId", .integer).indexed()
                .references("session", onDelete: .setNull)
            table.column("provider", .text).notNull()
            table.column("model", .text).notNull()
            table.column("inputTokens", .integer).notNull()
            table.column("outputTokens", .integer).notNull()
            table.column("cachedInputTokens", .integer).notNull()
            table.column("cacheWriteTokens", .integer).notNull()
            table.column("reasoningTokens", .integer).notNull()
            table.column("isEstimate", .boolean).notNull()
            // USD as an exact decimal string; NULL when no price is known.
            table.column("cost", .text)
            table.column("costSource", .text)
            table.column("createdAt", .datetime).notNull()
        }
        try db.create(index: "usage_on_createdAt", on: "usage", columns: ["createdAt"])
    }
}
