import AgentCore
import GRDB
import Testing
@testable import SessionStore

/// File changes are kept under the turn's user message, contents once per hash (D131).
@Suite(.timeLimit(.minutes(2))) struct CheckpointStoreTests {
    @Test func changesAreKeptUnderTheLatestUserMessageAndContentsOnce() async throws {
        try await withTemporaryStore { store, _ in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let recorder = SessionStoreRecorder(store: store, sessionID: session.id)
            try await recorder.commit(ChatMessage(role: .user, content: "first"))
            let original = Array("let a = 1\n".utf8)
            let edited = Array("let a = 2\n".utf8)
            try await recorder.recordFileChange(FileChange(path: "a.swift", before: .content(original), after: .content(edited)))
            try await recorder.commit(ChatMessage(role: .assistant, content: "done"))
            try await recorder.commit(ChatMessage(role: .user, content: "second"))
            try await recorder.recordFileChange(FileChange(path: "a.swift", before: .content(edited), after: .content(original)))
            try await recorder.recordFileChange(FileChange(path: "big.bin", before: .absent,
                                                          after: .tooLarge(hash: "feed", size: 5_000_000)))

            let users = try await store.userMessages(sessionID: session.id, limit: 10)
            #expect(users.map(\.text) == ["first", "second"])
            let changes = try await store.fileChanges(sessionID: session.id)
            #expect(changes.map(\.checkpoint) == [users[0].id, users[1].id, users[1].id])
            #expect(changes[0].before == .stored(hash: SHA256.hex(original)))
            #expect(changes[1].after == .stored(hash: SHA256.hex(original)))
            #expect(changes[2].before == .absent && changes[2].after == .tooLarge(hash: "feed", size: 5_000_000))
            #expect(try await store.fileContent(hash: SHA256.hex(edited)) == edited)
            let blobs = try await store.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM fileBlob") }
            #expect(blobs == 2)  // two contents, four references

            try await store.markFileChangesUndone(ids: [changes[1].id, changes[2].id])
            #expect(try await store.fileChanges(sessionID: session.id).map(\.id) == [changes[0].id])
        }
    }

    @Test func aCompactionCopyIsNoCheckpointAndDeletingTheSessionDropsItsContents() async throws {
        try await withTemporaryStore { store, _ in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let recorder = SessionStoreRecorder(store: store, sessionID: session.id)
            try await recorder.commit(ChatMessage(role: .user, content: "only"))
            try await recorder.compacted([ChatMessage(role: .user, content: "[summary]"),
                                          ChatMessage(role: .user, content: "only")])
            try await recorder.recordFileChange(FileChange(path: "f", before: .absent, after: .content([1])))
            let users = try await store.userMessages(sessionID: session.id, limit: 10)
            #expect(users.map(\.text) == ["only"])
            #expect(try await store.fileChanges(sessionID: session.id).map(\.checkpoint) == [users[0].id])

            _ = try await store.deleteSessions(ids: [session.id], withUsage: false)
            let blobs = try await store.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM fileBlob") }
            #expect(blobs == 0)
        }
    }
}
