import GRDB

extension SessionSchema {
    /// v3: compacted views as branches of a session (D127). `message.branch` says which view a
    /// row belongs to (0: the original conversation), `message.isCopy` marks the rows a
    /// compaction wrote (the summary and the recent turns it kept), `session.branch` is the
    /// view the session continues on, and `sessionBranch` each view's parent (for undo).
    /// Nothing is ever deleted: the full history is every row that is not a copy.
    static func addBranches(_ db: Database) throws {
        try db.alter(table: "message") { table in
            table.add(column: "branch", .integer).notNull().defaults(to: 0)
            table.add(column: "isCopy", .boolean).notNull().defaults(to: false)
        }
        try db.alter(table: "session") { table in
            table.add(column: "branch", .integer).notNull().defaults(to: 0)
        }
        try db.create(table: "sessionBranch") { table in
            table.column("sessionId", .integer).notNull().references("session", onDelete: .cascade)
            table.column("branch", .integer).notNull()
            table.column("parent", .integer).notNull()
            table.column("createdAt", .datetime).notNull()
            table.primaryKey(["sessionId", "branch"])
        }
    }
}
