import AgentCore
import FoundationEssentials

/// Where the messages on screen start, when older ones of a resumed session are left in the
/// database (D73).
public struct OlderHistory: Sendable, Hashable {
    /// The stored position of the oldest message on screen: older ones are before it.
    public var before: Int64
    /// A page has been asked for and has not arrived yet.
    public var loading = false

    public init(before: Int64, loading: Bool = false) {
        self.before = before
        self.loading = loading
    }
}

/// A page of older messages, oldest first.
public struct OlderMessages: Sendable, Hashable {
    public var messages: [ChatMessage]
    /// What is still older (`nil`: the page reached the session's first message).
    public var older: OlderHistory?

    public init(messages: [ChatMessage], older: OlderHistory?) {
        self.messages = messages
        self.older = older
    }
}

extension Reducer {
    /// Scrolls up and, at the top of what is loaded, asks for the page before it.
    static func scrollUp(_ state: inout AppState, by lines: Int) -> [Effect] {
        scroll(&state, by: lines)
        guard let limit = state.scrollLimit, state.scrollOffset >= limit,
              let older = state.olderHistory, !older.loading else { return [] }
        state.olderHistory?.loading = true
        return [.loadOlder(before: older.before)]
    }

    /// Puts a page of older messages in front of the conversation; the view keeps its place
    /// (the scroll offset counts from the newest line).
    static func prependOlder(_ page: OlderMessages, into state: inout AppState) {
        var scratch = AppState(size: state.size)
        scratch.nextEntryID = state.nextEntryID
        for message in page.messages { replay(message, into: &scratch) }
        state.nextEntryID = scratch.nextEntryID
        state.entries = scratch.entries + state.entries
        state.olderHistory = page.older
        state.scrollLimit = nil  // the top moved; the next frame measures it again
    }
}
