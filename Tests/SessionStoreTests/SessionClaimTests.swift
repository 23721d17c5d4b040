import AgentCore
import FoundationEssentials
import GRDB
import Glibc
import Testing
@testable import SessionStore

/// Two processes, one database (D81): claims, copies of held sessions, newer schemas.
@Suite(.timeLimit(.minutes(1))) struct SessionClaimTests {
    @Test func aSessionHasOneHolderAtATime() async throws {
        try await withTemporaryStore { store, path in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let other = try SessionStore(path: path)
            var first = store.claimSession(session.id)
            #expect(first != nil)
            #expect(other.claimSession(session.id) == nil, "a second instance cannot claim it")
            first = nil
            #expect(other.claimSession(session.id) != nil, "released with the claim")
            _ = first
        }
    }

    @Test func theSecondInstanceContinuesInACopyAndNeverTouchesTheHoldersDraft() async throws {
        try await withTemporaryStore { store, path in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let held = store.claimSession(session.id)
            try await store.commit(ChatMessage(role: .user, content: "first question"), sessionID: session.id)
            try await store.saveDraft("half of an answer", sessionID: session.id)

            let second = try SessionStore(path: path)
            #expect(second.claimSession(session.id) == nil)
            let copy = try await second.forkSession(session.id)
            #expect(copy.id != session.id)
            #expect(copy.title == "first question")
            try await second.commit(ChatMessage(role: .user, content: "in the copy"), sessionID: copy.id)

            // The holder streams on: its draft is still a draft, never an interrupted message.
            try await store.saveDraft("half of an answer, and more", sessionID: session.id)
            try await store.commit(ChatMessage(role: .assistant, content: "the whole answer"), sessionID: session.id)
            let original = try await store.loadMessages(sessionID: session.id)
            #expect(original.map(\.message.content) == ["first question", "the whole answer"])
            #expect(original.allSatisfy { !$0.isInterrupted })

            let copied = try await second.loadMessages(sessionID: copy.id)
            #expect(copied.map(\.message.content) == ["first question", "half of an answer", "in the copy"])
            #expect(copied.map(\.isInterrupted) == [false, true, false])
            _ = held
        }
    }

    @Test func aDatabaseFromANewerSchemaIsRefusedNamingTheFile() async throws {
        try await withTemporaryStore { store, path in
            try await store.pool.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
            }
            #expect {
                _ = try SessionStore(path: path)
            } throws: { error in
                let text = "\(error)"
                return text.contains(path) && text.contains("newer swiftcoder")
            }
        }
    }

    @Test func storesCreatedAtOnceOnOneNewFileAllOpen() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/sub/sessions.sqlite"
            let results = await withTaskGroup(of: String?.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        await withCheckedContinuation { continuation in
                            Thread.detach { continuation.resume(returning: Self.open(path)) }
                        }
                    }
                }
                return await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(results.compactMap { $0 }.isEmpty, "failures: \(results.compactMap { $0 })")
        }
    }

    /// nil when a store opened at `path`, else the error.
    private static func open(_ path: String) -> String? {
        do {
            _ = try SessionStore(path: path)
            return nil
        } catch {
            return "\(error)"
        }
    }
}

private enum Thread {
    /// Runs `body` on a plain thread (opening a store is blocking file work).
    static func detach(_ body: @escaping @Sendable () -> Void) {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        pthread_create(&thread, nil, { raw in
            Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, box)
        pthread_detach(thread)
    }

    private final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
