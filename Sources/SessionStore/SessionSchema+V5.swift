import GRDB

extension SessionSchema {
    /// v5: checkpoints for `/undo` and `/rewind` (D131). `fileChange` is one file a turn
    /// changed, under the user message (`checkpoint`, a `message.id`) whose turn it was, with
    /// its state before and after (`absent`, `stored` by hash, or `tooLarge` with the size);
    /// `fileBlob` holds each content once, by SHA-256, whatever session or turn it came from.
    static func addCheckpoints(_ db: Database) throws {
        try db.create(table: "fileBlob") { table in
            table.primaryKey("hash", .text)
            table.column("content", .blob).notNull()
        }
        try db.create(table: "fileChange") { table in
            table.autoIncrementedPrimaryKey("id")
            table.column("sessionId", .integer).notNull().references("session", onDelete: .cascade)
            table.column("checkpoint", .integer).notNull()
            table.column("path", .text).notNull()
            table.column("beforeKind", .text).notNull()
            table.column("beforeHash", .text)
            table.column("beforeSize", .integer)
            table.column("afterKind", .text).notNull()
            table.column("afterHash", .text)
            table.column("afterSize", .integer)
            table.column("undone", .boolean).notNull().defaults(to: false)
            table.column("createdAt", .datetime).notNull()
        }
        try db.create(index: "fileChange_on_sessionId_undone", on: "fileChange", columns: ["sessionId", "undone"])
    }
}
