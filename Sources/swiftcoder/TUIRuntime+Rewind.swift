import AgentCore
import AgentEngine
import AgentTools
import App
import FoundationEssentials
import SessionModel

extension TUIRuntime {
    /// `/undo`: reverts the last turn's file changes (after the engine's writes are saved).
    func undoFiles() {
        let rewinder = Rewinder(engine: engine, sessions: sessions, root: setup.currentDirectory)
        enqueue { [weak self] in
            let (report, failed) = await rewinder.restoreFiles { FileCheckpoint.lastTurn($0) }
            self?.send(.info(report, isError: failed))
        }
    }

    /// `/rewind`: the session's user messages, for the picker.
    func listRewindPoints() {
        let rewinder = Rewinder(engine: engine, sessions: sessions, root: setup.currentDirectory)
        enqueue { [weak self] in
            self?.send(.rewindPoints(await rewinder.points()))
        }
    }

    /// `/rewind`'s choice: the files first (they may refuse), then the conversation.
    func rewind(to point: RewindPoint, _ scope: RewindScope) {
        let rewinder = Rewinder(engine: engine, sessions: sessions, root: setup.currentDirectory)
        enqueue { [weak self] in
            var reports: [String] = []
            if scope != .conversation {
                let (report, failed) = await rewinder.restoreFiles { FileCheckpoint.since(point.checkpoint, $0) }
                guard !failed else {
                    self?.send(.info(report + (scope == .both ? "; the conversation was left as it is" : ""), isError: true))
                    return
                }
                reports.append(report)
            }
            if scope != .files {
                guard let view = await rewinder.engine.rewindConversation(toBefore: point.text,
                                                                          laterDuplicates: point.laterDuplicates) else {
                    let text = "the conversation no longer holds that message (compacted, or on an earlier branch); "
                        + "nothing done to the conversation"
                    self?.send(.info((reports + [text]).joined(separator: "; "), isError: true))
                    return
                }
                reports.append("conversation rewound to before that message (\(view.count) messages kept; "
                    + "the earlier view stays in the session)")
                self?.send(.conversationRewound(messages: view, prompt: point.text,
                                                report: reports.joined(separator: "; ")))
                return
            }
            self?.send(.info(reports.joined(separator: "; "), isError: false))
        }
    }
}

/// `/undo` and `/rewind` against the session's checkpoints and the project's files (D132).
struct Rewinder: Sendable {
    let engine: AgentEngine
    let sessions: SessionController
    let files: CheckpointFiles

    init(engine: AgentEngine, sessions: SessionController, root: String) {
        self.engine = engine
        self.sessions = sessions
        files = CheckpointFiles(projectRoot: root)
    }

    /// How many of the newest user messages the picker lists.
    static let pointLimit = 200

    /// The picker's rows, newest first (none before the first message is saved).
    func points() async -> [RewindPoint] {
        await engine.waitForIdle()
        guard let (service, id) = await sessions.checkpoints(),
              let messages = try? await service.userMessages(sessionID: id, limit: Self.pointLimit),
              let changes = try? await service.fileChanges(sessionID: id) else { return [] }
        return FileCheckpoint.points(messages: messages, changes: changes)
    }

    /// Reverts the changes `select` picks from the session's (not undone) ones, unless a file
    /// was changed since by someone else or was too large to keep: then nothing is touched.
    /// Returns what the chat says and whether it failed.
    func restoreFiles(_ select: @Sendable ([RecordedFileChange]) -> [RecordedFileChange]) async -> (String, Bool) {
        await engine.waitForIdle()  // the turn's file changes are saved before they are read
        guard let (service, id) = await sessions.checkpoints() else { return ("no file changes to undo", false) }
        do {
            let changes = select(try await service.fileChanges(sessionID: id))
            let steps = FileCheckpoint.steps(reverting: changes)
            guard !steps.isEmpty else {
                if !changes.isEmpty { try await service.markFileChangesUndone(ids: changes.map(\.id)) }
                return ("no file changes to undo", false)
            }
            let problems = FileCheckpoint.problems(steps, current: await files.current(steps.map(\.path)))
            guard problems.changedSince.isEmpty, problems.tooLarge.isEmpty else {
                return (FileCheckpoint.refusal(changedSince: problems.changedSince, tooLarge: problems.tooLarge), true)
            }
            var contents: [String: [UInt8]] = [:]
            for case .stored(let hash) in steps.map(\.target) where contents[hash] == nil {
                contents[hash] = try await service.fileContent(hash: hash)
            }
            let failures = await files.restore(steps, contents: contents)
            guard failures.isEmpty else { return ("could not restore every file: " + failures.joined(separator: "; "), true) }
            try await service.markFileChangesUndone(ids: changes.map(\.id))
            return (steps.map(\.verb).joined(separator: ", "), false)
        } catch {
            return ("could not read the checkpoints: \(error)", true)
        }
    }
}
