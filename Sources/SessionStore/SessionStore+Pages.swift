import AgentCore
import FoundationEssentials
import GRDB
import SessionModel

extension SessionStore {
    /// The newest part of a session, for resuming it without reading its whole history (D73):
    /// messages from the newest back while they fit `characterBudget` characters and `limit`
    /// messages (at least one), started at a user message so that the part is a valid
    /// conversation to send, plus a leftover draft and repaired tool calls as `loadMessages`
    /// gives them. A session that fits whole is loaded whole.
    /// - Throws: `SessionStoreError.noSuchSession` for an unknown id.
    public func loadRecentMessages(sessionID: Int64, limit: Int, characterBudget: Int) async throws -> MessagePage {
        let page = try await pool.read { db -> MessagePage in
            try Self.requireSession(db, sessionID)
            let rows = try Row.fetchCursor(db, sql: """
                SELECT id, position, role, content, toolCalls, toolCallId, isInterrupted, createdAt
                FROM message WHERE sessionId = ? AND message.branch = (SELECT s.branch FROM session s WHERE s.id = message.sessionId)
                ORDER BY position DESC
                """, arguments: [sessionID])
            var newestFirst: [(position: Int64, message: StoredMessage)] = []
            var characters = 0
            while newestFirst.count < max(1, limit), let row = try rows.next() {
                let size = (row["content"] as String).utf8.count + ((row["toolCalls"] as String?)?.utf8.count ?? 0)
                if !newestFirst.isEmpty, characters + size > characterBudget { break }
                characters += size
                newestFirst.append((row["position"], try Self.storedMessage(row)))
            }
            var page = Array(newestFirst.reversed())
            let isWhole = try Self.isFirstPage(db, sessionID: sessionID, firstPosition: page.first?.position)
            if !isWhole, let userStart = page.firstIndex(where: { $0.message.message.role == .user }) {
                page.removeFirst(userStart)  // a tool result without its call cannot be sent
            }
            var messages = page.map(\.message)
            if let draft = try Self.leftoverDraft(db, sessionID: sessionID) { messages.append(draft) }
            let first = page.first?.position
            return MessagePage(messages: messages, firstPosition: first,
                               hasOlder: try !Self.isFirstPage(db, sessionID: sessionID, firstPosition: first))
        }
        return MessagePage(messages: ConversationRepair.answerUnfinishedToolCalls(page.messages),
                           firstPosition: page.firstPosition, hasOlder: page.hasOlder)
    }

    /// Up to `limit` messages just before `position` (a page's `firstPosition`), oldest first,
    /// for the screen as the user scrolls up. Tool calls are shown as stored (no repair).
    public func loadMessages(sessionID: Int64, before position: Int64, limit: Int) async throws -> MessagePage {
        try await pool.read { db in
            try Self.requireSession(db, sessionID)
            var rows = Array(try Row.fetchAll(db, sql: """
                SELECT id, position, role, content, toolCalls, toolCallId, isInterrupted, createdAt
                FROM message WHERE sessionId = ? AND position < ? AND message.branch = (SELECT s.branch FROM session s WHERE s.id = message.sessionId)
                ORDER BY position DESC LIMIT ?
                """, arguments: [sessionID, position, max(0, limit)]).reversed())
            // Start at a user message when older ones remain, so that a tool call and its
            // result arrive in the same page; what is left out comes with the next page.
            if try !Self.isFirstPage(db, sessionID: sessionID, firstPosition: rows.first?["position"]),
               let userStart = rows.firstIndex(where: { ($0["role"] as String?) == ChatRole.user.rawValue }), userStart > 0 {
                rows.removeFirst(userStart)
            }
            let first: Int64? = rows.first?["position"]
            return MessagePage(messages: try rows.map(Self.storedMessage), firstPosition: first ?? position,
                               hasOlder: try !Self.isFirstPage(db, sessionID: sessionID, firstPosition: first))
        }
    }

    private static func isFirstPage(_ db: Database, sessionID: Int64, firstPosition: Int64?) throws -> Bool {
        guard let firstPosition else { return true }
        return try Bool.fetchOne(db, sql: "SELECT 1 FROM message WHERE sessionId = ? AND position < ? "
            + "AND message.branch = (SELECT s.branch FROM session s WHERE s.id = message.sessionId) LIMIT 1",
                                 arguments: [sessionID, firstPosition]) != true
    }
}
