import AgentCore
import FoundationEssentials
import GRDB

/// Writes one session's messages, draft and usage rows; what the engine holds as its
/// `SessionRecorder`. Cheap to create and to copy.
public struct SessionStoreRecorder: SessionRecorder {
    public let store: SessionStore
    public let sessionID: Int64

    /// Appends `message`, drops this session's draft, bumps `updatedAt` and, for the first
    /// user message, sets the title.
    public func commit(_ message: ChatMessage) async throws {
        try await store.commit(message, sessionID: sessionID)
    }

    /// Appends `message`, marked interrupted when the reply did not finish (D113).
    public func commit(_ message: ChatMessage, interrupted: Bool) async throws {
        try await store.commit(message, sessionID: sessionID, interrupted: interrupted)
    }

    /// Replaces the session's draft with `text` (the reply streamed so far).
    public func saveDraft(_ text: String) async throws {
        try await store.saveDraft(text, sessionID: sessionID)
    }

    /// Removes the session's draft.
    public func discardDraft() async throws {
        try await store.discardDraft(sessionID: sessionID)
    }

    /// Adds one row to the usage ledger.
    public func recordUsage(_ record: UsageRecord) async throws {
        try await store.recordUsage(record, sessionID: sessionID)
    }
}

extension SessionStore {
    /// The session's messages in order, for resuming it.
    ///
    /// A draft left by a process that ended while streaming comes last, as an assistant
    /// message marked interrupted; a tool call that never got its result gets an error result
    /// (also marked), so the conversation is valid to send as is. Loading changes nothing;
    /// the next write through a recorder keeps the leftover draft as an interrupted message.
    /// - Throws: `SessionStoreError.noSuchSession` for an unknown id.
    public func loadMessages(sessionID: Int64) async throws -> [StoredMessage] {
        let stored = try await pool.read { db -> [StoredMessage] in
            try Self.requireSession(db, sessionID)
            var messages = try Row.fetchAll(db, sql: """
                SELECT id, role, content, toolCalls, toolCallId, isInterrupted, createdAt
                FROM message WHERE sessionId = ? AND message.branch = (SELECT s.branch FROM session s WHERE s.id = message.sessionId)
                ORDER BY position
                """, arguments: [sessionID]).map(Self.storedMessage)
            if let draft = try Self.leftoverDraft(db, sessionID: sessionID) { messages.append(draft) }
            return messages
        }
        return ConversationRepair.answerUnfinishedToolCalls(stored)
    }

    public func commit(_ message: ChatMessage, sessionID: Int64) async throws {
        try await commit(message, sessionID: sessionID, interrupted: false)
    }

    /// Appends `message`; `interrupted` marks a reply that did not finish (cancelled, cut off).
    public func commit(_ message: ChatMessage, sessionID: Int64, interrupted: Bool) async throws {
        let now = clock()
        let writer = writerToken
        let toolCalls = try Self.encodeToolCalls(message.toolCalls)
        let title = message.role == .user ? SessionTitle.make(from: message.content) : nil
        try await writeShielded { db in
            try Self.requireSession(db, sessionID)
            try Self.keepLeftoverDraft(db, sessionID: sessionID, writer: writer)
            try db.execute(sql: "DELETE FROM draft WHERE sessionId = ?", arguments: [sessionID])
            try Self.appendMessage(db, sessionID: sessionID, message: message, toolCalls: toolCalls,
                                   isInterrupted: interrupted, date: now)
            try db.execute(sql: "UPDATE session SET updatedAt = ? WHERE id = ?", arguments: [StoredDate(now), sessionID])
            if let title {
                try db.execute(sql: "UPDATE session SET title = ? WHERE id = ? AND title = ''",
                               arguments: [title, sessionID])
            }
        }
    }

    public func saveDraft(_ text: String, sessionID: Int64) async throws {
        let now = clock()
        let writer = writerToken
        try await writeShielded { db in
            try Self.requireSession(db, sessionID)
            try Self.keepLeftoverDraft(db, sessionID: sessionID, writer: writer)
            try db.execute(sql: """
                INSERT OR REPLACE INTO draft (sessionId, writer, content, updatedAt) VALUES (?, ?, ?, ?)
                """, arguments: [sessionID, writer, text, StoredDate(now)])
        }
    }

    public func discardDraft(sessionID: Int64) async throws {
        let writer = writerToken
        try await writeShielded { db in
            try Self.requireSession(db, sessionID)
            try Self.keepLeftoverDraft(db, sessionID: sessionID, writer: writer)
            try db.execute(sql: "DELETE FROM draft WHERE sessionId = ?", arguments: [sessionID])
        }
    }

    /// Turns a draft written by another store instance (a process that ended mid-stream) into
    /// an interrupted assistant message, so that writing to the session never loses it.
    private static func keepLeftoverDraft(_ db: Database, sessionID: Int64, writer: String) throws {
        guard let draft = try Row.fetchOne(db, sql: "SELECT writer, content, updatedAt FROM draft WHERE sessionId = ?",
                                           arguments: [sessionID]),
              draft["writer"] as String != writer else { return }
        try db.execute(sql: "DELETE FROM draft WHERE sessionId = ?", arguments: [sessionID])
        let content: String = draft["content"]
        guard !isBlank(content) else { return }
        try appendMessage(db, sessionID: sessionID, message: ChatMessage(role: .assistant, content: content),
                          toolCalls: nil, isInterrupted: true, date: (draft["updatedAt"] as StoredDate).date)
    }

    static func appendMessage(_ db: Database, sessionID: Int64, message: ChatMessage, toolCalls: String?,
                                      isInterrupted: Bool, date: Date) throws {
        let position = try Int64.fetchOne(db, sql: """
            SELECT COALESCE(MAX(position), -1) + 1 FROM message WHERE sessionId = ?
            """, arguments: [sessionID]) ?? 0
        try db.execute(sql: """
            INSERT INTO message (sessionId, position, role, content, toolCalls, toolCallId, isInterrupted, createdAt,
                                 branch)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT branch FROM session WHERE id = ?))
            """, arguments: [sessionID, position, message.role.rawValue, message.content, toolCalls,
                             message.toolCallID, isInterrupted, StoredDate(date), sessionID])
    }

    /// The session's draft as an interrupted assistant message, `nil` when there is none.
    static func leftoverDraft(_ db: Database, sessionID: Int64) throws -> StoredMessage? {
        guard let draft = try Row.fetchOne(db, sql: "SELECT content, updatedAt FROM draft WHERE sessionId = ?",
                                           arguments: [sessionID]),
              let content: String = draft["content"], !isBlank(content) else { return nil }
        return StoredMessage(message: ChatMessage(role: .assistant, content: content),
                             createdAt: (draft["updatedAt"] as StoredDate).date, isInterrupted: true)
    }

    static func storedMessage(_ row: Row) throws -> StoredMessage {
        let id: Int64 = row["id"]
        let roleText: String = row["role"]
        guard let role = ChatRole(rawValue: roleText) else {
            throw SessionStoreError.corruptRow(table: "message", id: id, reason: "unknown role \"\(roleText)\"")
        }
        var toolCalls: [ToolCall] = []
        if let json: String = row["toolCalls"] {
            do {
                toolCalls = try JSONDecoder().decode([ToolCall].self, from: Data(json.utf8))
            } catch {
                throw SessionStoreError.corruptRow(table: "message", id: id,
                                                   reason: "toolCalls is not a JSON tool call list")
            }
        }
        let message = ChatMessage(role: role, content: row["content"], toolCalls: toolCalls,
                                  toolCallID: row["toolCallId"])
        return StoredMessage(message: message, createdAt: (row["createdAt"] as StoredDate).date, isInterrupted: row["isInterrupted"])
    }

    static func encodeToolCalls(_ calls: [ToolCall]) throws -> String? {
        guard !calls.isEmpty else { return nil }
        return String(decoding: try JSONEncoder().encode(calls), as: UTF8.self)
    }

    static func isBlank(_ text: String) -> Bool {
        text.allSatisfy(\.isWhitespace)
    }
}

/// Makes a loaded conversation valid to send: every tool call gets a result.
enum ConversationRepair {
    /// The result given to a tool call whose result was never committed.
    static let unfinishedToolOutput =
        "error: the session ended before this tool call finished; it may or may not have run"

    /// Inserts an error result, marked interrupted, after the results of each assistant
    /// message for every call of it that has none. Pure.
    static func answerUnfinishedToolCalls(_ messages: [StoredMessage]) -> [StoredMessage] {
        var result: [StoredMessage] = []
        result.reserveCapacity(messages.count)
        var index = 0
        while index < messages.count {
            let current = messages[index]
            result.append(current)
            index += 1
            guard current.message.role == .assistant, !current.message.toolCalls.isEmpty else { continue }
            var answered = Set<String>()
            while index < messages.count, messages[index].message.role == .tool {
                if let id = messages[index].message.toolCallID { answered.insert(id) }
                result.append(messages[index])
                index += 1
            }
            for call in current.message.toolCalls where !answered.contains(call.id) {
                let answer = ChatMessage(role: .tool, content: unfinishedToolOutput, toolCallID: call.id)
                result.append(StoredMessage(message: answer, createdAt: current.createdAt, isInterrupted: true))
            }
        }
        return result
    }
}

/// A session's title from its first user message. Pure.
enum SessionTitle {
    static let maxLength = 60

    /// The first non-blank line, trimmed, control characters as spaces, cut to `maxLength`
    /// characters (ending in "…" when cut); `nil` when the text is blank.
    static func make(from text: String) -> String? {
        let lines = text.split(whereSeparator: \.isNewline)
        guard let line = lines.first(where: { !SessionStore.isBlank(String($0)) }) else { return nil }
        let isControl = { (character: Character) in
            character.unicodeScalars.allSatisfy { $0.properties.generalCategory == .control }
        }
        let cleaned = String(line.map { isControl($0) ? " " : $0 })
        let trimmed = cleaned.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
        let title = String(trimmed)
        guard title.count > maxLength else { return title }
        let cut = title.prefix(maxLength - 1).reversed().drop(while: \.isWhitespace).reversed()
        return String(cut) + "…"
    }
}
