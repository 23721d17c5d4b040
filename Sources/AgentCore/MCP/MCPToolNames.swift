/// The names MCP tools are offered under (D160): `mcp__SERVER__TOOL`, which the APIs accept
/// (`^[a-zA-Z0-9_-]{1,64}$`). Characters outside that set become `_`; a name longer than 64
/// is cut and ends in `_` and 8 hex digits of the SHA-256 of the server and tool names, so it
/// is deterministic; a name two pairs would share gets the same suffix. `map` maps back exactly.
public struct MCPToolNames: Sendable, Hashable {
    /// Offered name → (server, tool as the server names it).
    public private(set) var map: [String: MCPToolKey] = [:]

    public init() {}

    /// The name for a server's tool, recorded for mapping back.
    public mutating func name(server: String, tool: String) -> String {
        if let existing = map.first(where: { $0.value == MCPToolKey(server: server, tool: tool) }) { return existing.key }
        var name = Self.candidate(server: server, tool: tool)
        if map[name] != nil || name.count > 64 {
            let suffix = "_" + String(SHA256.hex(Array((server + "\u{0}" + tool).utf8)).prefix(8))
            name = String(name.prefix(64 - suffix.count)) + suffix
        }
        map[name] = MCPToolKey(server: server, tool: tool)
        return name
    }

    /// `mcp__SERVER__TOOL` with invalid characters replaced, before any shortening.
    static func candidate(server: String, tool: String) -> String {
        "mcp__" + sanitized(server) + "__" + sanitized(tool)
    }

    static func sanitized(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-")
                ? scalar : "_"
        }))
    }
}

/// A tool as its server names it.
public struct MCPToolKey: Sendable, Hashable {
    public var server: String
    public var tool: String
    public init(server: String, tool: String) {
        self.server = server
        self.tool = tool
    }
}
