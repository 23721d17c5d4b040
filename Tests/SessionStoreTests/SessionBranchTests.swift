import AgentCore
import Testing
@testable import SessionStore

/// A compacted view is a new branch: resuming reads it, undo returns to the parent, and the
/// full history keeps every message ever said (issue 12, D127).
@Suite(.timeLimit(.minutes(2))) struct SessionBranchTests {
    @Test func aCompactionBranchesTheSessionWithoutDeletingAnything() async throws {
        try await withTemporaryStore { store, _ in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let recorder = SessionStoreRecorder(store: store, sessionID: session.id)
            let original = (1...4).flatMap { index in
                [ChatMessage(role: .user, content: "question \(index)"), ChatMessage(role: .assistant, content: "answer \(index)")]
            }
            for message in original { try await recorder.commit(message) }
            let view = [ChatMessage(role: .user, content: "[summary]"), ChatMessage(role: .assistant, content: "ok")]
                + original.suffix(2)
            try await recorder.compacted(view)
            try await recorder.commit(ChatMessage(role: .user, content: "question 5"))

            let resumed = try await store.loadMessages(sessionID: session.id).map(\.message)
            #expect(resumed == view + [ChatMessage(role: .user, content: "question 5")])
            let recent = try await store.loadRecentMessages(sessionID: session.id, limit: 100, characterBudget: 100_000)
            #expect(recent.messages.map(\.message) == resumed)
            let full = try await store.loadFullHistory(sessionID: session.id).map(\.message)
            #expect(full == original + [ChatMessage(role: .user, content: "question 5")])

            try await recorder.compactionUndone()
            #expect(try await store.loadMessages(sessionID: session.id).map(\.message) == original)
        }
    }
}
