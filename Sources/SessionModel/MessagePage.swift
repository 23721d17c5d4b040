import FoundationEssentials

/// A run of a session's messages, oldest first, with where the run starts (D73).
public struct MessagePage: Sendable, Hashable, Codable {
    public var messages: [StoredMessage]
    /// The stored position of the first message (pass it to load the page before); `nil`
    /// when the page holds no stored message.
    public var firstPosition: Int64?
    /// Whether older messages are left in the database.
    public var hasOlder: Bool

    public init(messages: [StoredMessage], firstPosition: Int64?, hasOlder: Bool) {
        self.messages = messages
        self.firstPosition = firstPosition
        self.hasOlder = hasOlder
    }
}
