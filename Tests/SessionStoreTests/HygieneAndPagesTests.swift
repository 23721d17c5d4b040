import AgentCore
import FoundationEssentials
import GRDB
import Testing
@testable import SessionStore

@Suite(.timeLimit(.minutes(2))) struct HygieneTests {
    private func session(_ store: SessionStore, messages: Int, cost: String?) async throws -> Int64 {
        let id = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m").id
        for index in 0..<messages {
            try await store.commit(ChatMessage(role: index % 2 == 0 ? .user : .assistant, content: "message \(index)"),
                                   sessionID: id)
        }
        let usage = TokenUsage(inputTokens: 10, outputTokens: 5)
        try await store.recordUsage(UsageRecord(provider: "x", model: "m", usage: usage, cost: cost.map { Decimal(string: $0)! },
                                                costSource: cost == nil ? nil : "config", date: utc("2026-03-01 10:00")),
                                    sessionID: id)
        return id
    }

    @Test func deleteRemovesSessionsButKeepsTheirLedgerRows() async throws {
        try await withTemporaryStore { store, _ in
            let first = try await session(store, messages: 3, cost: "0.5")
            let second = try await session(store, messages: 2, cost: "0.25")
            let result = try await store.deleteSessions(ids: [first, 999, first], withUsage: false)
            #expect(result.sessions == [first])
            #expect(result.messages == 3)
            #expect(result.usageRows == 0)
            #expect(result.missing == [999])
            #expect(try await store.session(id: first) == nil)
            #expect(try await store.session(id: second) != nil)
            #expect(try await store.usageTotal().cost == Decimal(string: "0.75"))
            let orphans = try await store.usageBySession().first { $0.sessionID == nil }
            #expect(orphans?.totals.cost == Decimal(string: "0.5"))
            let messages = try await store.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM message") }
            #expect(messages == 2)
        }
    }

    @Test func deleteWithUsageRemovesTheLedgerRowsToo() async throws {
        try await withTemporaryStore { store, _ in
            let first = try await session(store, messages: 1, cost: "0.5")
            _ = try await session(store, messages: 1, cost: "0.25")
            let result = try await store.deleteSessions(ids: [first], withUsage: true)
            #expect(result.usageRows == 1)
            #expect(try await store.usageTotal().cost == Decimal(string: "0.25"))
        }
    }

    @Test func pruneDeletesOnlySessionsNotUpdatedSinceTheCutoff() async throws {
        let clock = TestClock(utc("2026-01-01 00:00"))
        try await withTemporaryStore(clock: clock) { store, _ in
            let old = try await session(store, messages: 2, cost: "1")
            clock.set(utc("2026-06-01 00:00"))
            let recent = try await session(store, messages: 2, cost: "2")
            let result = try await store.pruneSessions(updatedBefore: utc("2026-03-01 00:00"), withUsage: false)
            #expect(result.sessions == [old])
            #expect(try await store.session(id: recent) != nil)
            #expect(try await store.usageTotal().cost == 3)
            #expect(result.summary == "Deleted 1 session (2 messages); usage ledger kept.")
        }
    }

    @Test func statisticsCountEverythingAndNameTheFile() async throws {
        try await withTemporaryStore { store, path in
            let small = try await session(store, messages: 1, cost: nil)
            let big = try await session(store, messages: 6, cost: "0.1")
            let stats = try await store.statistics(biggest: 5)
            #expect(stats.path == path)
            #expect(stats.sessions == 2)
            #expect(stats.messages == 7)
            #expect(stats.usageRows == 2)
            #expect(stats.ledgerCost == Decimal(string: "0.1"))
            #expect(stats.biggest.map(\.id) == [big, small])
            #expect(stats.databaseBytes > 0)
            #expect(stats.lines(timeZone: TimeZone(identifier: "UTC")!).contains("Database   \(path)\n"))
            await store.close()
            #expect(try await store.session(id: big) != nil)  // still usable after optimize
        }
    }

    @Test func retentionAges() {
        #expect(RetentionAge.seconds("90d") == TimeInterval(7_776_000))
        #expect(RetentionAge.seconds("2w") == TimeInterval(1_209_600))
        #expect(RetentionAge.seconds("36h") == TimeInterval(129_600))
        for bad in ["", "d", "0d", "-3d", "3", "3m", "3 d", "99999999999999999999d"] {
            #expect(RetentionAge.seconds(bad) == nil, "\(bad)")
        }
    }

    @Test func byteSizes() {
        #expect(SessionStatistics.bytes(512) == "512 B")
        #expect(SessionStatistics.bytes(1536) == "1.5 KiB")
        #expect(SessionStatistics.bytes(12 * 1024 * 1024) == "12.0 MiB")
    }
}

@Suite(.timeLimit(.minutes(2))) struct MessagePageTests {
    private func longSession(_ store: SessionStore, count: Int) async throws -> Int64 {
        let id = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m").id
        for index in 0..<count {
            let message: ChatMessage = switch index % 4 {
            case 0: ChatMessage(role: .user, content: "question \(index)")
            case 1: ChatMessage(role: .assistant, content: "", toolCalls: [ToolCall(id: "c\(index)", name: "read_file",
                                                                                   arguments: "{}")])
            case 2: ChatMessage(role: .tool, content: "result \(index)", toolCallID: "c\(index - 1)")
            default: ChatMessage(role: .assistant, content: "answer \(index)")
            }
            try await store.commit(message, sessionID: id)
        }
        return id
    }

    @Test func aShortSessionLoadsWhole() async throws {
        try await withTemporaryStore { store, _ in
            let id = try await longSession(store, count: 10)
            let page = try await store.loadRecentMessages(sessionID: id, limit: 100, characterBudget: 100_000)
            #expect(page.messages == (try await store.loadMessages(sessionID: id)))
            #expect(page.hasOlder == false)
            #expect(page.firstPosition == 0)
        }
    }

    @Test func theRecentPartStartsAtAUserMessageAndOlderPagesFollow() async throws {
        try await withTemporaryStore { store, _ in
            let id = try await longSession(store, count: 203)
            let all = try await store.loadMessages(sessionID: id)
            // 10 messages back from the newest lands on a tool result: the part starts at the
            // next user message instead.
            let recent = try await store.loadRecentMessages(sessionID: id, limit: 10, characterBudget: 100_000)
            #expect(recent.messages.first?.message.role == .user)
            #expect(recent.messages == Array(all.suffix(recent.messages.count)))
            #expect(recent.messages.count <= 10)
            #expect(recent.hasOlder)
            // Scrolling up reads the rest, page by page, with nothing skipped or repeated.
            var before = try #require(recent.firstPosition)
            var older: [StoredMessage] = []
            while true {
                let page = try await store.loadMessages(sessionID: id, before: before, limit: 50)
                older = page.messages + older
                guard page.hasOlder, let first = page.firstPosition else { break }
                before = first
            }
            #expect(older + recent.messages == all)
        }
    }

    @Test func aCharacterBudgetBoundsThePart() async throws {
        try await withTemporaryStore { store, _ in
            let id = try await longSession(store, count: 400)
            let recent = try await store.loadRecentMessages(sessionID: id, limit: 10_000, characterBudget: 200)
            let characters = recent.messages.reduce(0) { $0 + $1.message.content.utf8.count }
            #expect(characters <= 200)
            #expect(!recent.messages.isEmpty)
            #expect(recent.hasOlder)
        }
    }
}
