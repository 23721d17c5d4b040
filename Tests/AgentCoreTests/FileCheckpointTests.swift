import AgentCore
import Testing

/// The pure planning of `/undo` and `/rewind`'s file part (issue 12 item 7, D132).
@Suite(.timeLimit(.minutes(2))) struct FileCheckpointTests {
    private func change(_ id: Int64, turn: Int64, _ path: String, _ before: RecordedSnapshot,
                        _ after: RecordedSnapshot) -> RecordedFileChange {
        RecordedFileChange(id: id, checkpoint: turn, path: path, before: before, after: after)
    }

    @Test func aSnapshotKeepsContentUpToTheCapAndOnlyTheHashAbove() {
        #expect(FileSnapshot.of([1, 2, 3]) == .content([1, 2, 3]))
        let large = [UInt8](repeating: 7, count: FileCheckpoint.maxStoredBytes + 1)
        #expect(FileSnapshot.of(large) == .tooLarge(hash: SHA256.hex(large), size: large.count))
        #expect(FileSnapshot.content(Array("a".utf8)).recorded == .stored(hash: SHA256.hex(Array("a".utf8))))
    }

    @Test func undoTakesTheNewestTurnOnly() {
        let changes = [change(1, turn: 10, "a", .absent, .stored(hash: "a1")),
                       change(2, turn: 12, "b", .stored(hash: "b0"), .stored(hash: "b1")),
                       change(3, turn: 12, "c", .absent, .stored(hash: "c1"))]
        #expect(FileCheckpoint.lastTurn(changes).map(\.id) == [2, 3])
        #expect(FileCheckpoint.since(11, changes).map(\.id) == [2, 3])
        #expect(FileCheckpoint.since(10, changes).map(\.id) == [1, 2, 3])
        #expect(FileCheckpoint.lastTurn([]).isEmpty)
    }

    @Test func stepsGoBackToTheFirstBeforeExpectingTheLastAfter() {
        let changes = [change(5, turn: 1, "x.swift", .stored(hash: "h0"), .stored(hash: "h1")),
                       change(6, turn: 1, "new.txt", .absent, .stored(hash: "n1")),
                       change(7, turn: 2, "x.swift", .stored(hash: "h1"), .stored(hash: "h2")),
                       change(8, turn: 2, "same", .stored(hash: "s"), .stored(hash: "s"))]
        let steps = FileCheckpoint.steps(reverting: changes.reversed())
        #expect(steps == [FileRestoreStep(path: "new.txt", expected: .stored(hash: "n1"), target: .absent),
                          FileRestoreStep(path: "x.swift", expected: .stored(hash: "h2"), target: .stored(hash: "h0"))])
        #expect(steps.map(\.verb) == ["deleted new.txt (the turn created it)", "restored x.swift"])
        let recreate = FileRestoreStep(path: "gone", expected: .absent, target: .stored(hash: "g"))
        #expect(recreate.verb == "recreated gone")
    }

    @Test func aFileChangedSinceByAnotherOrTooLargeToKeepIsAProblem() {
        let steps = [FileRestoreStep(path: "a", expected: .stored(hash: "a1"), target: .stored(hash: "a0")),
                     FileRestoreStep(path: "b", expected: .absent, target: .stored(hash: "b0")),
                     FileRestoreStep(path: "c", expected: .stored(hash: "c1"), target: .absent),
                     FileRestoreStep(path: "d", expected: .stored(hash: "d1"), target: .tooLarge(hash: nil, size: 9))]
        let fine: [String: CurrentFile] = ["a": .hash("a1"), "b": .absent, "c": .hash("c1"), "d": .hash("d1")]
        let clean = FileCheckpoint.problems(Array(steps.prefix(3)), current: fine)
        #expect(clean.changedSince.isEmpty && clean.tooLarge.isEmpty)
        let edited: [String: CurrentFile] = ["a": .hash("someone"), "b": .hash("b9"), "c": .absent, "d": .hash("d1")]
        let found = FileCheckpoint.problems(steps, current: edited)
        #expect(found.changedSince == ["a", "b", "c"])
        #expect(found.tooLarge == ["d"])
        #expect(FileCheckpoint.problems(steps, current: [:]).changedSince == ["a", "b", "c", "d"])
        let text = FileCheckpoint.refusal(changedSince: ["a", "b"], tooLarge: ["d"])
        #expect(text == "nothing restored; changed since by someone else: a, b; too large to have been kept (over 2 MiB): d")
    }

    @Test func theConversationCutFindsTheRightOccurrence() {
        let messages = [ChatMessage(role: .user, content: "go"), ChatMessage(role: .assistant, content: "ok"),
                        ChatMessage(role: .user, content: "second"), ChatMessage(role: .assistant, content: "ok"),
                        ChatMessage(role: .user, content: "go")]
        #expect(FileCheckpoint.conversationCut(messages, text: "second", laterDuplicates: 0) == 2)
        #expect(FileCheckpoint.conversationCut(messages, text: "go", laterDuplicates: 0) == 4)
        #expect(FileCheckpoint.conversationCut(messages, text: "go", laterDuplicates: 1) == 0)
        #expect(FileCheckpoint.conversationCut(messages, text: "go", laterDuplicates: 2) == nil)
        #expect(FileCheckpoint.conversationCut(messages, text: "compacted away", laterDuplicates: 0) == nil)
    }

    @Test func pointsAreNewestFirstWithTheFilesChangedSince() {
        let changes = [change(1, turn: 10, "a", .absent, .stored(hash: "1")),
                       change(2, turn: 30, "a", .stored(hash: "1"), .stored(hash: "2")),
                       change(3, turn: 30, "b", .absent, .stored(hash: "3"))]
        let points = FileCheckpoint.points(messages: [(10, "go"), (20, "look"), (30, "go")], changes: changes)
        #expect(points == [RewindPoint(checkpoint: 30, text: "go", laterDuplicates: 0, changedFiles: 2),
                           RewindPoint(checkpoint: 20, text: "look", laterDuplicates: 0, changedFiles: 2),
                           RewindPoint(checkpoint: 10, text: "go", laterDuplicates: 1, changedFiles: 2)])
    }
}
