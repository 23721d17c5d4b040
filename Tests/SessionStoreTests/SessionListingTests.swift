import AgentCore
import FoundationEssentials
import Testing
@testable import SessionStore

@Suite(.timeLimit(.minutes(2))) struct SessionListingTests {
    private let sessions = [
        SessionInfo(id: 12, projectDirectory: "/home/u/project", provider: "openrouter", model: "gpt-5",
                    title: "Fix the build", createdAt: utc("2026-03-01 09:00"), updatedAt: utc("2026-03-02 14:05:59"),
                    messageCount: 14),
        SessionInfo(id: 3, projectDirectory: "/tmp/x", provider: "ollama", model: "qwen3", title: "",
                    createdAt: utc("2026-02-01 08:00"), updatedAt: utc("2026-02-01 08:07"), messageCount: 2),
    ]

    @Test func tableHasAlignedColumnsInTheGivenTimeZone() {
        let table = SessionListing.table(sessions, timeZone: TimeZone(identifier: "UTC")!)
        #expect(table == """
            ID  UPDATED           PROVIDER/MODEL    MSGS  TITLE
            12  2026-03-02 14:05  openrouter/gpt-5    14  Fix the build
             3  2026-02-01 08:07  ollama/qwen3         2  (untitled)

            """)
        #expect(SessionListing.table([]) == "No saved sessions.\n")
    }

    @Test func timestampUsesTheLocalTimeZone() {
        let date = utc("2026-12-31 23:30")
        #expect(SessionListing.timestamp(date, timeZone: TimeZone(identifier: "UTC")!) == "2026-12-31 23:30")
        #expect(SessionListing.timestamp(date, timeZone: TimeZone(secondsFromGMT: 3600)!) == "2027-01-01 00:30")
    }

    @Test func jsonLinesHaveOneObjectPerSession() throws {
        let output = try SessionListing.jsonLines(sessions)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        #expect(lines.last == "")
        #expect(lines[0] == #"{"createdAt":"2026-03-01T09:00:00Z","fromRun":false,"id":12,"messageCount":14,"model":"gpt-5","#
            + #""projectDirectory":"/home/u/project","provider":"openrouter","title":"Fix the build","#
            + #""updatedAt":"2026-03-02T14:05:59Z"}"#)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try lines.dropLast().map { try decoder.decode(SessionInfo.self, from: Data($0.utf8)) }
        #expect(decoded == sessions)
        #expect(try SessionListing.jsonLines([]) == "")
    }

    @Test func conversationRepairLeavesCompleteConversationsAlone() {
        let date = utc("2026-03-01 09:00")
        let complete = [
            StoredMessage(message: ChatMessage(role: .user, content: "q"), createdAt: date),
            StoredMessage(message: ChatMessage(role: .assistant, content: "", toolCalls: [
                ToolCall(id: "1", name: "read_file", arguments: "{}")]), createdAt: date),
            StoredMessage(message: ChatMessage(role: .tool, content: "r", toolCallID: "1"), createdAt: date),
            StoredMessage(message: ChatMessage(role: .assistant, content: "done"), createdAt: date),
        ]
        #expect(ConversationRepair.answerUnfinishedToolCalls(complete) == complete)

        // A missing result goes right after the call's other results, before later messages.
        var broken = complete
        broken.remove(at: 2)
        let repaired = ConversationRepair.answerUnfinishedToolCalls(broken)
        #expect(repaired.map(\.message.role) == [.user, .assistant, .tool, .assistant])
        #expect(repaired[2].message.toolCallID == "1")
        #expect(repaired[2].isInterrupted)
    }
}
