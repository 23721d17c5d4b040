import AgentCore
import FoundationEssentials
import SessionModel
import Testing
@testable import SessionStore

/// A reply cut short by Esc or Ctrl-C is stored marked (issue 14, bug 8; D113).
@Suite(.timeLimit(.minutes(2))) struct InterruptedMarkTests {
    @Test func aReplyCommittedInterruptedReloadsMarked() async throws {
        try await withTemporaryStore { store, path in
            let session = try await store.createSession(projectDirectory: "/p", provider: "openai", model: "gpt")
            let recorder = store.recorder(for: session.id)
            try await recorder.commit(ChatMessage(role: .user, content: "tell a story"))
            try await recorder.commit(ChatMessage(role: .assistant, content: "Once upon"), interrupted: true)
            // Through the service boundary too.
            let service: any SessionService = store
            try await ServiceRecorder(service: service, sessionID: session.id)
                .commit(ChatMessage(role: .assistant, content: "again"), interrupted: true)
            let loaded = try await SessionStore(path: path).loadMessages(sessionID: session.id)
            #expect(loaded.map(\.isInterrupted) == [false, true, true])
        }
    }
}
