import AgentCore
import FoundationEssentials

/// Turns MCP result objects into the contract's values. Pure: unit-tested on JSON text.
enum MCPResults {
    /// The protocol versions this client speaks, newest first; it asks for the first.
    static let supportedVersions = ["2025-06-18", "2025-03-26", "2024-11-05"]

    /// What `initialize` told us.
    struct ServerSummary: Sendable, Hashable {
        var name: String
        var version: String
        var protocolVersion: String
        var hasTools: Bool
        var hasPrompts: Bool
        var hasResources: Bool
    }

    static func initializeParams(clientVersion: String) -> String {
        MCPJSONWriter.object([
            ("protocolVersion", JSONText.quoted(supportedVersions[0])),
            ("capabilities", "{}"),
            ("clientInfo", MCPJSONWriter.object([("name", "\"swiftcoder\""), ("version", JSONText.quoted(clientVersion))])),
        ])
    }

    static func serverSummary(_ result: JSONValue) throws(MCPError) -> ServerSummary {
        guard let version = result["protocolVersion"]?.string else {
            throw MCPError("the server's initialize answer has no protocolVersion")
        }
        guard supportedVersions.contains(version) else {
            throw MCPError("the server speaks MCP protocol version \(JSONText.quoted(String(version.prefix(40)))), "
                + "which swiftcoder does not support (it speaks \(supportedVersions.joined(separator: ", ")))")
        }
        let capabilities = result["capabilities"]
        return ServerSummary(
            name: String((result["serverInfo"]?["name"]?.string ?? "unnamed server").prefix(200)),
            version: String((result["serverInfo"]?["version"]?.string ?? "").prefix(100)),
            protocolVersion: version,
            hasTools: capabilities?["tools"] != nil,
            hasPrompts: capabilities?["prompts"] != nil,
            hasResources: capabilities?["resources"] != nil)
    }

    /// The cursor for the next page, if any.
    static func nextCursor(_ result: JSONValue) -> String? {
        guard let cursor = result["nextCursor"]?.string, !cursor.isEmpty else { return nil }
        return cursor
    }

    static func listParams(cursor: String?) -> String? {
        cursor.map { MCPJSONWriter.object([("cursor", JSONText.quoted($0))]) }
    }

    static func tools(_ result: JSONValue) -> [MCPToolInfo] {
        (result["tools"]?.elements ?? []).compactMap { tool in
            guard let name = tool["name"]?.string else { return nil }
            let schema = tool["inputSchema"].map(MCPJSONWriter.text(of:)) ?? #"{"type":"object"}"#
            return MCPToolInfo(name: name, description: tool["description"]?.string ?? "", inputSchema: schema,
                               readOnlyHint: tool["annotations"]?["readOnlyHint"]?.bool ?? false)
        }
    }

    static func prompts(_ result: JSONValue) -> [MCPPromptInfo] {
        (result["prompts"]?.elements ?? []).compactMap { prompt in
            guard let name = prompt["name"]?.string else { return nil }
            let arguments = (prompt["arguments"]?.elements ?? []).compactMap { argument -> MCPPromptArgument? in
                guard let name = argument["name"]?.string else { return nil }
                return MCPPromptArgument(name: name, description: argument["description"]?.string ?? "",
                                         required: argument["required"]?.bool ?? false)
            }
            return MCPPromptInfo(name: name, description: prompt["description"]?.string ?? "", arguments: arguments)
        }
    }

    static func resources(_ result: JSONValue) -> [MCPResourceInfo] {
        (result["resources"]?.elements ?? []).compactMap { resource in
            guard let uri = resource["uri"]?.string else { return nil }
            return MCPResourceInfo(uri: uri, name: resource["name"]?.string ?? uri,
                                   description: resource["description"]?.string ?? "",
                                   mimeType: resource["mimeType"]?.string)
        }
    }

    static func toolResult(_ result: JSONValue) -> MCPToolResult {
        var content = (result["content"]?.elements ?? []).map(self.content)
        if content.isEmpty, let structured = result["structuredContent"] {
            content = [.text(MCPJSONWriter.text(of: structured))]
        }
        return MCPToolResult(content: content, isError: result["isError"]?.bool ?? false)
    }

    static func content(_ item: JSONValue) -> MCPContent {
        let type = item["type"]?.string ?? ""
        switch type {
        case "text":
            return .text(item["text"]?.string ?? "")
        case "image":
            let data = item["data"]?.string ?? ""
            let mimeType = item["mimeType"]?.string ?? "image"
            let size = mimeType == "image/png" ? pngSize(base64: data) : nil
            return .image(mimeType: mimeType, byteCount: decodedByteCount(base64: data),
                          width: size?.width, height: size?.height)
        case "audio":
            return .audio(mimeType: item["mimeType"]?.string ?? "audio",
                          byteCount: decodedByteCount(base64: item["data"]?.string ?? ""))
        case "resource":
            let resource = item["resource"]
            return .resource(uri: resource?["uri"]?.string ?? "", mimeType: resource?["mimeType"]?.string,
                             text: resource?["text"]?.string)
        case "resource_link":
            return .resourceLink(uri: item["uri"]?.string ?? "", name: item["name"]?.string)
        default:
            return .other(type: String(type.prefix(100)))
        }
    }

    /// The size of the bytes a base64 text decodes to (without decoding it).
    static func decodedByteCount(base64: String) -> Int {
        var count = 0
        for byte in base64.utf8 where byte > 0x20 && byte != UInt8(ascii: "=") { count += 1 }
        let remainder = count % 4
        return count / 4 * 3 + (remainder == 2 ? 1 : remainder == 3 ? 2 : 0)
    }

    /// A PNG's width and height from its IHDR chunk (the first 24 bytes: 32 base64 characters).
    static func pngSize(base64: String) -> (width: Int, height: Int)? {
        let prefix = String(base64.prefix(32))
        guard prefix.utf8.count == 32, let data = Data(base64Encoded: prefix) else { return nil }
        let bytes = [UInt8](data)
        guard bytes.count == 24, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
              Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        let number = { (offset: Int) in bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (number(16), number(20))
    }

    /// A prompt's messages as one text: each message's text content, blank-line separated.
    static func promptText(_ result: JSONValue) -> String {
        (result["messages"]?.elements ?? []).map { message -> String in
            let content = message["content"].map(self.content) ?? .other(type: "")
            return describe(content)
        }.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    /// A resource's contents as text; binary parts summarized.
    static func resourceText(_ result: JSONValue) -> String {
        (result["contents"]?.elements ?? []).map { part -> String in
            if let text = part["text"]?.string { return text }
            let blob = part["blob"]?.string ?? ""
            return "[binary \(part["mimeType"]?.string ?? "data"), \(decodedByteCount(base64: blob)) bytes]"
        }.joined(separator: "\n")
    }

    /// One content item as text for prompts and summaries.
    static func describe(_ content: MCPContent) -> String {
        switch content {
        case .text(let text): return text
        case .image(let mimeType, let byteCount, let width, let height):
            let size = width.flatMap { w in height.map { "\(w)x\($0) " } } ?? ""
            return "[image \(size)\(mimeType), \(byteCount) bytes]"
        case .audio(let mimeType, let byteCount): return "[audio \(mimeType), \(byteCount) bytes]"
        case .resource(let uri, _, let text): return text ?? "[resource \(uri)]"
        case .resourceLink(let uri, let name): return "[resource link \(name ?? uri)]"
        case .other(let type): return type.isEmpty ? "" : "[\(type) content]"
        }
    }
}
