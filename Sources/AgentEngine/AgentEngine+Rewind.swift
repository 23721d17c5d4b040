import AgentCore
import Synchronization

extension AgentEngine {
    /// `/rewind`'s conversation part (D133): the conversation goes back to just before the user
    /// message `text` (`laterDuplicates` later messages said the same), after the queued
    /// commands. The new view is a branch of the session, like a compaction's: nothing is
    /// deleted. Returns the conversation now, `nil` when the message is not in it.
    public func rewindConversation(toBefore text: String, laterDuplicates: Int) async -> [ChatMessage]? {
        let result = Mutex<[ChatMessage]?>(nil)
        await inOrder {
            let view = await self.cutConversation(toBefore: text, laterDuplicates: laterDuplicates)
            result.withLock { $0 = view }
        }
        return result.withLock { $0 }
    }

    private func cutConversation(toBefore text: String, laterDuplicates: Int) -> [ChatMessage]? {
        guard let cut = FileCheckpoint.conversationCut(messages, text: text, laterDuplicates: laterDuplicates) else {
            return nil
        }
        let view = Array(messages[..<cut])
        replaceMessages(view)
        beforeCompaction = nil
        ineffectiveCompactionSize = nil
        persist(turn: Self.manualTurn, failure: "could not save the rewound conversation") { try await $0.compacted(view) }
        return view
    }
}
