import AgentCore
import FoundationEssentials
import GRDB
import Testing
@testable import SessionStore

/// The store formats dates itself (D152): the text must be exactly what GRDB's `DateFormatter`
/// writes, so old and new rows compare, sort and read back alike.
@Suite(.timeLimit(.minutes(1))) struct StoredDateTests {
    @Test func knownInstantsAreFormattedInUTCWithMilliseconds() {
        #expect(StoredDate.text(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00.000")
        #expect(StoredDate.text(Date(timeIntervalSince1970: 1_700_000_000.123_9)) == "2023-11-14 22:13:20.124")
        #expect(StoredDate.text(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29 00:00:00.000")
        #expect(StoredDate.text(Date(timeIntervalSince1970: -0.001)) == "1969-12-31 23:59:59.999")
        #expect(StoredDate.text(Date(timeIntervalSince1970: 4_107_542_399.5)) == "2100-02-28 23:59:59.500")
    }

    @Test func matchesGRDBsOwnFormattingAndParsingOverCenturies() throws {
        // Steps of about 37 days plus odd seconds and milliseconds, 1900 to 2200.
        var seconds = -2_208_988_800.0
        while seconds < 7_258_118_400 {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(StoredDate(date).databaseValue == date.databaseValue, "\(seconds)")
            let text = StoredDate.text(date)
            let parsed = try #require(StoredDate.parse(text))
            let byGRDB = try #require(Date.fromDatabaseValue(text.databaseValue))
            #expect(abs(parsed.timeIntervalSince1970 - byGRDB.timeIntervalSince1970) < 1e-6, "\(text)")
            seconds += 3_200_017.389
        }
    }

    @Test func otherTextIsLeftToGRDB() {
        #expect(StoredDate.parse("2026-03-01") == nil)
        #expect(StoredDate.parse("2026-03-01T10:00:00") == nil)
        #expect(StoredDate.parse("2026-13-01 10:00:00") == nil)
        #expect(StoredDate.parse("2026-03-01 10:00:00.") == nil)
        #expect(StoredDate.parse("2026-03-01 10:00:00.5") == Date(timeIntervalSince1970: 1_772_359_200.5))
        #expect(StoredDate.fromDatabaseValue("2026-03-01".databaseValue)?.date == Date(timeIntervalSince1970: 1_772_323_200))
        #expect(StoredDate.fromDatabaseValue(1_772_323_200.databaseValue)?.date == Date(timeIntervalSince1970: 1_772_323_200))
    }

    @Test func boundDatesReadBackAsTheSameInstant() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000.25))
        try await withTemporaryStore(clock: clock) { store, _ in
            let info = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            try await store.commit(ChatMessage(role: .user, content: "hi"), sessionID: info.id)
            let stored = try await store.loadMessages(sessionID: info.id)
            #expect(info.createdAt == Date(timeIntervalSince1970: 1_800_000_000.25))
            #expect(stored.first?.createdAt == Date(timeIntervalSince1970: 1_800_000_001.25))
        }
    }
}
