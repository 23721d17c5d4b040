import AgentCore
import FoundationEssentials
import GRDB
import Testing
@testable import SessionStore

@Suite(.timeLimit(.minutes(2))) struct SessionStoreTests {
    @Test func migratesAnEmptyFileToTheExpectedSchemaWithNoKeyColumn() async throws {
        try await withTemporaryStore { store, _ in
            let (migrations, columns) = try await store.pool.read { db in
                let applied = try SessionSchema.migrator.appliedIdentifiers(db)
                var columns: [String: Set<String>] = [:]
                for table in ["session", "message", "draft", "usage"] {
                    columns[table] = Set(try db.columns(in: table).map(\.name))
                }
                return (applied, columns)
            }
            #expect(migrations == ["v1", "v2", "v3-run-sessions", "v4-branches", "v5-checkpoints"])
            #expect(columns["session"] == ["id", "projectDirectory", "provider", "model", "title", "createdAt",
                                           "updatedAt", "fromRun", "branch"])
            #expect(columns["message"] == ["id", "sessionId", "position", "role", "content", "toolCalls",
                                           "toolCallId", "isInterrupted", "createdAt", "branch", "isCopy"])
            #expect(columns["draft"] == ["sessionId", "writer", "content", "updatedAt"])
            #expect(columns["usage"] == ["id", "sessionId", "provider", "model", "inputTokens", "outputTokens",
                                         "cachedInputTokens", "cacheWriteTokens", "reasoningTokens", "isEstimate",
                                         "cost", "costSource", "createdAt", "costPico"])
            let names = columns.values.flatMap { $0 }.map { $0.lowercased() }
            #expect(!names.contains { $0.contains("key") || $0.contains("secret") || $0.contains("auth") })
        }
    }

    @Test func walModeWithNormalSynchronousIsOn() async throws {
        try await withTemporaryStore { store, _ in
            let journal = try await store.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
            let synchronous = try await store.pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
            #expect(journal == "wal")
            #expect(synchronous == 1)
        }
    }

    @Test func createsTheDatabaseDirectoryPrivately() async throws {
        try await withTemporaryDirectory { root in
            let path = root + "/data/swiftcoder/sessions.sqlite"
            _ = try SessionStore(path: path)
            let attributes = try FileManager.default.attributesOfItem(atPath: root + "/data/swiftcoder")
            let permissions = try #require(attributes[.posixPermissions] as? Int)
            #expect(permissions & 0o777 == 0o700)
            #expect(FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func openFailureNamesThePath() async throws {
        try await withTemporaryDirectory { root in
            let blocker = root + "/file"
            #expect(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
            let path = blocker + "/sessions.sqlite"
            let error = #expect(throws: SessionStoreError.self) { try SessionStore(path: path) }
            #expect(error.map { "\($0)".contains(path) } == true)

            let notADatabase = root + "/garbage.sqlite"
            #expect(FileManager.default.createFile(atPath: notADatabase,
                                                   contents: Data(String(repeating: "garbage ", count: 200).utf8)))
            let garbageError = #expect(throws: SessionStoreError.self) { try SessionStore(path: notADatabase) }
            #expect(garbageError.map { "\($0)".contains(notADatabase) } == true)
        }
    }

    @Test func defaultPathFollowsXDG() {
        #expect(SessionStore.defaultPath(environment: ["XDG_DATA_HOME": "/x/data", "HOME": "/home/u"])
            == "/x/data/swiftcoder/sessions.sqlite")
        #expect(SessionStore.defaultPath(environment: ["XDG_DATA_HOME": "relative", "HOME": "/home/u"])
            == "/home/u/.local/share/swiftcoder/sessions.sqlite")
        #expect(SessionStore.defaultPath(environment: ["HOME": "/home/u"])
            == "/home/u/.local/share/swiftcoder/sessions.sqlite")
    }

    @Test func committedMessagesReloadInOrderWithToolCallsAndResults() async throws {
        try await withTemporaryStore { store, path in
            let session = try await store.createSession(projectDirectory: "/p", provider: "openai", model: "gpt")
            let conversation = [
                ChatMessage(role: .system, content: "be brief"),
                ChatMessage(role: .user, content: "list files"),
                ChatMessage(role: .assistant, content: "", toolCalls: [
                    ToolCall(id: "c1", name: "list_directory", arguments: #"{"path":"."}"#),
                    ToolCall(id: "c2", name: "read_file", arguments: #"{"path":"a \"b\".txt"}"#),
                ]),
                ChatMessage(role: .tool, content: "a.txt\nb.txt", toolCallID: "c1"),
                ChatMessage(role: .tool, content: "error: not found", toolCallID: "c2"),
                ChatMessage(role: .assistant, content: "Two files. ✓"),
            ]
            let recorder = store.recorder(for: session.id)
            for message in conversation { try await recorder.commit(message) }

            let reopened = try SessionStore(path: path)
            let loaded = try await reopened.loadMessages(sessionID: session.id)
            #expect(loaded.map(\.message) == conversation)
            #expect(loaded.allSatisfy { !$0.isInterrupted })
            #expect(try await reopened.session(id: session.id)?.messageCount == conversation.count)
        }
    }

    @Test func commitBumpsUpdatedAtAndTitlesFromTheFirstUserMessage() async throws {
        let clock = TestClock()
        try await withTemporaryStore(clock: clock) { store, _ in
            let created = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            #expect(created.title == "")
            clock.set(created.createdAt + 100)
            let recorder = store.recorder(for: created.id)
            try await recorder.commit(ChatMessage(role: .system, content: "system prompt"))
            try await recorder.commit(ChatMessage(role: .user, content: "\n  Fix the\tbuild please  \nsecond line"))
            try await recorder.commit(ChatMessage(role: .user, content: "another question"))
            let info = try #require(try await store.session(id: created.id))
            #expect(info.title == "Fix the build please")
            #expect(info.updatedAt == created.createdAt + 102)
            #expect(info.createdAt == created.createdAt)
        }
    }

    @Test func titlesAreTrimmedToSixtyCharacters() throws {
        let title = try #require(SessionTitle.make(from: String(repeating: "word ", count: 30)))
        #expect(title.count <= SessionTitle.maxLength)
        #expect(title.hasSuffix("word…"))
        #expect(SessionTitle.make(from: " \n\t\n") == nil)
        #expect(SessionTitle.make(from: "short") == "short")
    }

    @Test func draftIsReplacedByCommitAndRemovedByDiscard() async throws {
        try await withTemporaryStore { store, _ in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let recorder = store.recorder(for: session.id)
            try await recorder.commit(ChatMessage(role: .user, content: "hi"))
            try await recorder.saveDraft("Hel")
            try await recorder.saveDraft("Hello th")
            var loaded = try await store.loadMessages(sessionID: session.id)
            #expect(loaded.map(\.message.content) == ["hi", "Hello th"])
            try await recorder.commit(ChatMessage(role: .assistant, content: "Hello there"))
            loaded = try await store.loadMessages(sessionID: session.id)
            #expect(loaded.map(\.message.content) == ["hi", "Hello there"])
            #expect(loaded.allSatisfy { !$0.isInterrupted })

            try await recorder.saveDraft("partial")
            try await recorder.discardDraft()
            loaded = try await store.loadMessages(sessionID: session.id)
            #expect(loaded.map(\.message.content) == ["hi", "Hello there"])
        }
    }

    @Test func draftLeftByACrashComesBackInterruptedAndIsKept() async throws {
        try await withTemporaryStore { first, path in
            let session = try await first.createSession(projectDirectory: "/p", provider: "x", model: "m")
            try await first.recorder(for: session.id).commit(ChatMessage(role: .user, content: "explain"))
            try await first.recorder(for: session.id).saveDraft("The answer is")
            // The process dies here: no commit, no discard. A new process opens the file.
            let second = try SessionStore(path: path)
            let loaded = try await second.loadMessages(sessionID: session.id)
            #expect(loaded.map(\.message) == [ChatMessage(role: .user, content: "explain"),
                                              ChatMessage(role: .assistant, content: "The answer is")])
            #expect(loaded.map(\.isInterrupted) == [false, true])

            try await second.recorder(for: session.id).commit(ChatMessage(role: .user, content: "go on"))
            let resumed = try await second.loadMessages(sessionID: session.id)
            #expect(resumed.map(\.message.content) == ["explain", "The answer is", "go on"])
            #expect(resumed.map(\.isInterrupted) == [false, true, false])
            #expect(try await second.session(id: session.id)?.messageCount == 3)
        }
    }

    @Test func toolCallsWithoutResultsGetAnInterruptedErrorResult() async throws {
        try await withTemporaryStore { store, _ in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let recorder = store.recorder(for: session.id)
            try await recorder.commit(ChatMessage(role: .user, content: "run it"))
            try await recorder.commit(ChatMessage(role: .assistant, content: "", toolCalls: [
                ToolCall(id: "a", name: "run_command", arguments: "{}"),
                ToolCall(id: "b", name: "run_command", arguments: "{}"),
            ]))
            try await recorder.commit(ChatMessage(role: .tool, content: "ok", toolCallID: "a"))
            let loaded = try await store.loadMessages(sessionID: session.id)
            #expect(loaded.count == 4)
            #expect(loaded.last?.message == ChatMessage(role: .tool, content: ConversationRepair.unfinishedToolOutput,
                                                        toolCallID: "b"))
            #expect(loaded.map(\.isInterrupted) == [false, false, false, true])
        }
    }

    @Test func latestSessionIsPerProjectDirectoryAndListIsNewestFirst() async throws {
        try await withTemporaryStore { store, _ in
            let a1 = try await store.createSession(projectDirectory: "/a", provider: "x", model: "m")
            let b1 = try await store.createSession(projectDirectory: "/b", provider: "x", model: "m")
            let a2 = try await store.createSession(projectDirectory: "/a", provider: "x", model: "m")
            #expect(try await store.latestSession(projectDirectory: "/a") == nil, "sessions without messages are skipped")
            try await store.recorder(for: a2.id).commit(ChatMessage(role: .user, content: "first"))
            try await store.recorder(for: b1.id).commit(ChatMessage(role: .user, content: "elsewhere"))
            #expect(try await store.latestSession(projectDirectory: "/a")?.id == a2.id)
            #expect(try await store.latestSession(projectDirectory: "/c") == nil)
            // A message in the older session makes it the latest.
            try await store.recorder(for: a1.id).commit(ChatMessage(role: .user, content: "again"))
            #expect(try await store.latestSession(projectDirectory: "/a")?.id == a1.id)
            #expect(try await store.listSessions().map(\.id) == [a1.id, b1.id, a2.id])
            #expect(try await store.listSessions(limit: 2).map(\.id) == [a1.id, b1.id])
            let empty = try await store.createSession(projectDirectory: "/a", provider: "x", model: "m")
            #expect(try await store.listSessions(limit: 1).map(\.id) == [empty.id])
            #expect(try await store.latestSession(projectDirectory: "/a")?.id == a1.id)
        }
    }

    @Test func updateSessionChangesProviderAndModelAndUnknownIDsAreNamed() async throws {
        try await withTemporaryStore { store, _ in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            try await store.updateSession(id: session.id, provider: "ollama", model: "qwen3")
            let info = try #require(try await store.session(id: session.id))
            #expect(info.provider == "ollama")
            #expect(info.model == "qwen3")
            await #expect(throws: SessionStoreError.noSuchSession(999)) {
                try await store.updateSession(id: 999, provider: "a", model: "b")
            }
            await #expect(throws: SessionStoreError.noSuchSession(999)) {
                try await store.recorder(for: 999).commit(ChatMessage(role: .user, content: "x"))
            }
            await #expect(throws: SessionStoreError.noSuchSession(999)) {
                try await store.loadMessages(sessionID: 999)
            }
            #expect(try await store.session(id: 999) == nil)
        }
    }

    @Test func manyConcurrentCommitsAllLand() async throws {
        try await withTemporaryStore { store, _ in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let recorder = store.recorder(for: session.id)
            let count = 64
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask { try await recorder.commit(ChatMessage(role: .user, content: "m\(index)")) }
                }
                try await group.waitForAll()
            }
            let loaded = try await store.loadMessages(sessionID: session.id)
            #expect(loaded.count == count)
            #expect(Set(loaded.map(\.message.content)) == Set((0..<count).map { "m\($0)" }))
        }
    }

    @Test func aCancelledCallerStillCommits() async throws {
        try await withTemporaryStore { store, _ in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let recorder = store.recorder(for: session.id)
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                #expect(Task.isCancelled)
                try await recorder.commit(ChatMessage(role: .assistant, content: "stopped here"))
            }
            try await task.value
            #expect(try await store.loadMessages(sessionID: session.id).map(\.message.content) == ["stopped here"])
        }
    }
}
