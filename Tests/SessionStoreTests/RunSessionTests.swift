import AgentCore
import FoundationEssentials
import SessionModel
import Testing
@testable import SessionStore

/// Sessions `swiftcoder run` made are marked and left out of the lists unless asked for;
/// the in-app rows are aligned and say `1 message` (issue 14, bug 17).
@Suite(.timeLimit(.minutes(2))) struct RunSessionTests {
    @Test func runSessionsAreHiddenUnlessIncluded() async throws {
        try await withTemporaryStore { store, _ in
            let chat = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let run = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            try await store.markAsRun(sessionID: run.id)
            #expect(try await store.session(id: run.id)?.fromRun == true)
            #expect(try await store.session(id: chat.id)?.fromRun == false)
            #expect(try await store.listSessions(limit: nil, includeRuns: false).map(\.id) == [chat.id])
            #expect(try await store.listSessions(limit: nil, includeRuns: true).map(\.id) == [run.id, chat.id])
            // The limit counts shown sessions: the hidden one does not take a place.
            #expect(try await store.listSessions(limit: 1, includeRuns: false).map(\.id) == [chat.id])
        }
    }

    @Test func inAppRowsAreAlignedAndCountMessagesInWords() {
        let day = Date(timeIntervalSince1970: 1_764_000_000)
        let sessions = [
            SessionInfo(id: 1, projectDirectory: "/p", provider: "x", model: "qwen2.5-coder:7b", title: "fix the parser",
                        createdAt: day, updatedAt: day, messageCount: 1),
            SessionInfo(id: 2, projectDirectory: "/p", provider: "x", model: "gpt-4o", title: "",
                        createdAt: day, updatedAt: day, messageCount: 12, fromRun: true),
        ]
        let labels = SessionListing.labels(sessions, timeZone: TimeZone(identifier: "UTC")!)
        #expect(labels[0].contains(" 1 message  qwen2.5-coder:7b  fix the parser"))
        #expect(labels[1].contains("12 messages  gpt-4o            [run] (untitled)"))
        // The model and title columns start at the same place in every row.
        #expect(labels[0].range(of: "qwen")?.lowerBound.utf16Offset(in: labels[0])
            == labels[1].range(of: "gpt")?.lowerBound.utf16Offset(in: labels[1]))
    }
}
