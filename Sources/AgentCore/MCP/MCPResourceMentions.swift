/// `@SERVER:URI` in a message (issue 13, item 6): the resource is read from the server and
/// attached below the message, so the model sees its text.
public struct MCPResourceMention: Sendable, Hashable {
    public var server: String
    public var uri: String
    public init(server: String, uri: String) {
        self.server = server
        self.uri = uri
    }

    /// `@server:uri`, as typed.
    public var token: String { "@\(server):\(uri)" }
}

/// Finding mentions in a message and attaching what they name.
public enum MCPResourceMentions {
    /// Resources attached to one message at most; further mentions stay plain text.
    public static let maxPerMessage = 10
    /// Bytes of one resource's text attached at most; the rest is named, not sent.
    public static let maxBytesPerResource = 100_000

    /// The mentions in `message`: a word starting with `@`, then the name of one of `servers`
    /// (the longest that fits), `:` and a URI up to the next whitespace. A trailing `.`, `,`,
    /// `;`, `!`, `?` or `)` closes the sentence rather than the URI unless `known` lists the
    /// URI with it. Repeats count once; at most `maxPerMessage`.
    public static func find(in message: String, servers: [String],
                            known: (String, String) -> Bool = { _, _ in false }) -> [MCPResourceMention] {
        guard message.contains("@"), !servers.isEmpty else { return [] }
        let byLength = servers.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
        var found: [MCPResourceMention] = []
        for word in message.split(whereSeparator: \.isWhitespace) where word.first == "@" {
            let body = word.dropFirst()
            guard let server = byLength.first(where: { body.hasPrefix($0 + ":") }) else { continue }
            var uri = String(body.dropFirst(server.count + 1))
            while let last = uri.last, ".,;!?)".contains(last), !known(server, uri) { uri.removeLast() }
            let mention = MCPResourceMention(server: server, uri: uri)
            guard !uri.isEmpty, !found.contains(mention) else { continue }
            found.append(mention)
            if found.count == maxPerMessage { break }
        }
        return found
    }

    /// `message` with each resource's text below it, in a block naming the server and URI;
    /// text past `maxBytesPerResource` is cut at a character boundary and the cut is said.
    public static func attach(_ contents: [(mention: MCPResourceMention, text: String)], to message: String) -> String {
        var result = message
        for (mention, text) in contents {
            var body = text
            let bytes = text.utf8.count
            if bytes > maxBytesPerResource {
                body = String(decoding: text.utf8.prefix(maxBytesPerResource), as: UTF8.self)
                if body.last == "\u{FFFD}" { body.removeLast() }
                body += "\n[… \(bytes - body.utf8.count) more bytes not attached]"
            }
            let uri = mention.uri.replacing("\"", with: "&quot;")
            result += "\n\n<resource server=\"\(mention.server)\" uri=\"\(uri)\">\n\(body)\n</resource>"
        }
        return result
    }
}
