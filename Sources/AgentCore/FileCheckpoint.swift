/// A file's content as a tool found or left it, for rewinding (D131).
public enum FileSnapshot: Sendable, Hashable, Codable {
    /// There was no file.
    case absent
    /// The whole content (at most `FileCheckpoint.maxStoredBytes`).
    case content([UInt8])
    /// Over the cap: only the size, and the hash when the bytes were in memory anyway.
    case tooLarge(hash: String?, size: Int)

    /// What `bytes` are worth keeping: the content, or its hash and size when over the cap.
    public static func of(_ bytes: [UInt8]) -> FileSnapshot {
        bytes.count <= FileCheckpoint.maxStoredBytes ? .content(bytes) : .tooLarge(hash: SHA256.hex(bytes), size: bytes.count)
    }

    /// The snapshot as the database keeps it (content by its SHA-256).
    public var recorded: RecordedSnapshot {
        switch self {
        case .absent: .absent
        case .content(let bytes): .stored(hash: SHA256.hex(bytes))
        case .tooLarge(let hash, let size): .tooLarge(hash: hash, size: size)
        }
    }
}

/// One file a tool call changed: its path relative to the project root, before and after.
public struct FileChange: Sendable, Hashable, Codable {
    public var path: String
    public var before: FileSnapshot
    public var after: FileSnapshot

    public init(path: String, before: FileSnapshot, after: FileSnapshot) {
        self.path = path
        self.before = before
        self.after = after
    }
}

/// A snapshot as stored: content by hash (the bytes are a blob of their own, kept once).
public enum RecordedSnapshot: Sendable, Hashable {
    case absent
    case stored(hash: String)
    case tooLarge(hash: String?, size: Int)

    /// The content's SHA-256, `nil` for no file or an unhashed large one.
    public var hash: String? {
        switch self {
        case .absent: nil
        case .stored(let hash): hash
        case .tooLarge(let hash, _): hash
        }
    }
}

/// A file change as the session database holds it, under the user message whose turn made it.
public struct RecordedFileChange: Sendable, Hashable {
    /// Its row (changes are numbered in the order they happened).
    public var id: Int64
    /// The user message (its row id) whose turn made the change: the checkpoint.
    public var checkpoint: Int64
    public var path: String
    public var before: RecordedSnapshot
    public var after: RecordedSnapshot

    public init(id: Int64, checkpoint: Int64, path: String, before: RecordedSnapshot, after: RecordedSnapshot) {
        self.id = id
        self.checkpoint = checkpoint
        self.path = path
        self.before = before
        self.after = after
    }
}

/// What a file is now, as the restorer read it.
public enum CurrentFile: Sendable, Hashable {
    case absent
    case hash(String)
    /// Not a regular file, unreadable, or too large to compare.
    case unknown
}

/// One file to put back: what it must be now (the last change's after) and what it becomes
/// (the first change's before).
public struct FileRestoreStep: Sendable, Hashable {
    public var path: String
    public var expected: RecordedSnapshot
    public var target: RecordedSnapshot

    public init(path: String, expected: RecordedSnapshot, target: RecordedSnapshot) {
        self.path = path
        self.expected = expected
        self.target = target
    }

    /// How the chat says what was done.
    public var verb: String {
        switch (expected, target) {
        case (_, .absent): "deleted \(path) (the turn created it)"
        case (.absent, _): "recreated \(path)"
        default: "restored \(path)"
        }
    }
}

/// Pure planning of `/undo` and `/rewind`'s file part (D132).
public enum FileCheckpoint {
    /// Files larger than this are recorded by size (and hash), not kept: 2 MiB (D131).
    public static let maxStoredBytes = 2 * 1024 * 1024

    /// The changes `/undo` reverts: those of the newest checkpoint among `changes` (not undone).
    public static func lastTurn(_ changes: [RecordedFileChange]) -> [RecordedFileChange] {
        guard let last = changes.map(\.checkpoint).max() else { return [] }
        return changes.filter { $0.checkpoint == last }
    }

    /// The changes made from `checkpoint`'s turn on (to restore the files as they were before it).
    public static func since(_ checkpoint: Int64, _ changes: [RecordedFileChange]) -> [RecordedFileChange] {
        changes.filter { $0.checkpoint >= checkpoint }
    }

    /// One step per path, by path: back to the before of its first change, expecting the
    /// after of its last. Paths whose changes cancel out are left alone.
    public static func steps(reverting changes: [RecordedFileChange]) -> [FileRestoreStep] {
        var byPath: [String: (first: RecordedFileChange, last: RecordedFileChange)] = [:]
        for change in changes {
            guard let known = byPath[change.path] else {
                byPath[change.path] = (change, change)
                continue
            }
            byPath[change.path] = (change.id < known.first.id ? change : known.first,
                                   change.id > known.last.id ? change : known.last)
        }
        return byPath.keys.sorted().compactMap { path in
            guard let pair = byPath[path] else { return nil }
            let step = FileRestoreStep(path: path, expected: pair.last.after, target: pair.first.before)
            return step.expected == step.target ? nil : step
        }
    }

    /// Why the steps cannot run: files changed since by someone else (now not what the last
    /// change left), and files whose earlier content was too large to keep.
    public static func problems(_ steps: [FileRestoreStep], current: [String: CurrentFile])
        -> (changedSince: [String], tooLarge: [String]) {
        var changed: [String] = []
        var large: [String] = []
        for step in steps {
            if case .tooLarge = step.target { large.append(step.path) }
            if !matches(current[step.path] ?? .unknown, step.expected) { changed.append(step.path) }
        }
        return (changed, large)
    }

    /// Whether the file now is what `snapshot` recorded.
    static func matches(_ current: CurrentFile, _ snapshot: RecordedSnapshot) -> Bool {
        switch (current, snapshot) {
        case (.absent, .absent): true
        case (.hash(let now), _): snapshot.hash == now
        default: false
        }
    }

    /// The chat's answer when `problems` refuse the restore.
    public static func refusal(changedSince: [String], tooLarge: [String]) -> String {
        var parts: [String] = []
        if !changedSince.isEmpty {
            parts.append("changed since by someone else: " + changedSince.joined(separator: ", "))
        }
        if !tooLarge.isEmpty {
            parts.append("too large to have been kept (over \(maxStoredBytes / 1_048_576) MiB): "
                + tooLarge.joined(separator: ", "))
        }
        return "nothing restored; " + parts.joined(separator: "; ")
    }

    /// Where the conversation goes back to for a rewind to the user message `text`: the index
    /// of its occurrence in `messages` (`laterDuplicates` later checkpoints say the same, so it
    /// is that many occurrences from the end), `nil` when it is not in the conversation
    /// (compacted into a summary, or on an abandoned branch).
    public static func conversationCut(_ messages: [ChatMessage], text: String, laterDuplicates: Int) -> Int? {
        let occurrences = messages.indices.filter { messages[$0].role == .user && messages[$0].content == text }
        let wanted = occurrences.count - 1 - laterDuplicates
        return occurrences.indices.contains(wanted) ? occurrences[wanted] : nil
    }
}

/// An earlier user message the session can go back to (a row of `/rewind`'s picker).
public struct RewindPoint: Sendable, Hashable {
    /// The user message's row id (the checkpoint its turn's changes are kept under).
    public var checkpoint: Int64
    /// What the user said.
    public var text: String
    /// Later user messages with the same text (to find the right one in the conversation).
    public var laterDuplicates: Int
    /// Files changed from this message's turn on (not yet undone): what "files" would restore.
    public var changedFiles: Int

    public init(checkpoint: Int64, text: String, laterDuplicates: Int = 0, changedFiles: Int = 0) {
        self.checkpoint = checkpoint
        self.text = text
        self.laterDuplicates = laterDuplicates
        self.changedFiles = changedFiles
    }
}

extension FileCheckpoint {
    /// The picker's rows, newest first, from the session's user messages (row id and text,
    /// oldest first) and its file changes not undone.
    public static func points(messages: [(id: Int64, text: String)], changes: [RecordedFileChange]) -> [RewindPoint] {
        var seen: [String: Int] = [:]
        return messages.reversed().map { message in
            let duplicates = seen[message.text, default: 0]
            seen[message.text] = duplicates + 1
            let files = Set(since(message.id, changes).map(\.path)).count
            return RewindPoint(checkpoint: message.id, text: message.text, laterDuplicates: duplicates, changedFiles: files)
        }
    }
}
