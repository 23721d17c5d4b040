import AgentCore
import FoundationEssentials

/// JSON-RPC 2.0 as MCP uses it: the messages this client writes and what it reads back. Pure.
enum MCPMessages {
    /// The protocol versions this client speaks, newest first (it asks for the first).
    static let protocolVersions = ["2025-06-18", "2025-03-26", "2024-11-05"]

    /// One incoming message.
    enum Incoming: Sendable {
        case response(id: Int, Result<JSONValue, MCPError>)
        /// A request from the server (`ping`), to be answered.
        case request(id: JSONValue, method: String)
        case notification(method: String, params: JSONValue?)
    }

    static func request(id: Int, method: String, params: String? = nil) -> String {
        "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"method\":\(JSONText.quoted(method))"
            + (params.map { ",\"params\":" + $0 } ?? "") + "}"
    }

    static func notification(method: String, params: String? = nil) -> String {
        "{\"jsonrpc\":\"2.0\",\"method\":\(JSONText.quoted(method))" + (params.map { ",\"params\":" + $0 } ?? "") + "}"
    }

    static func initializeParams(version: String) -> String {
        "{\"protocolVersion\":\(JSONText.quoted(protocolVersions[0])),\"capabilities\":{},"
            + "\"clientInfo\":{\"name\":\"swiftcoder\",\"version\":\(JSONText.quoted(version))}}"
    }

    /// Reads one line; nil when it is not a JSON-RPC message this client understands.
    static func parse(_ line: [UInt8]) -> Incoming? {
        guard let root = try? JSONReader.parse(line), root.members != nil else { return nil }
        if let method = root["method"]?.string {
            if let id = root["id"], !id.isNull { return .request(id: id, method: method) }
            return .notification(method: method, params: root["params"])
        }
        guard let id = root["id"]?.number?.int else { return nil }
        if let error = root["error"] {
            let code = error["code"]?.number?.int.map { " \($0)" } ?? ""
            let message = error["message"]?.string ?? "no message"
            return .response(id: id, .failure(MCPError("error\(code): \(clean(message))")))
        }
        return .response(id: id, .success(root["result"] ?? JSONValue(.null, at: root.position)))
    }

    /// Text from a server, for a message: its first line, control characters dropped, at most
    /// 300 characters (a hostile server cannot paint the screen through an error).
    static func clean(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let visible = String(String.UnicodeScalarView(line.unicodeScalars.filter {
            $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value)
                && !$0.properties.isBidiControl && $0.properties.generalCategory != .format
        }))
        return visible.count > 300 ? String(visible.prefix(300)) + "…" : visible
    }

    /// The answer to a server's request: `{}` for `ping`, else "method not found".
    static func answer(id: JSONValue, method: String) -> String {
        if method == "ping" { return "{\"jsonrpc\":\"2.0\",\"id\":\(id.serialized),\"result\":{}}" }
        return "{\"jsonrpc\":\"2.0\",\"id\":\(id.serialized),\"error\":{\"code\":-32601,\"message\":\"method not found\"}}"
    }

    /// A `tools/list` page: its tools and the cursor of the next page.
    static func tools(in result: JSONValue) -> (items: [MCPToolInfo], next: String?) {
        let tools = (result["tools"]?.elements ?? []).compactMap { tool -> MCPToolInfo? in
            guard let name = tool["name"]?.string, !name.isEmpty else { return nil }
            let schema = tool["inputSchema"].flatMap { $0.members != nil ? $0.serialized : nil }
                ?? #"{"type":"object","properties":{}}"#
            return MCPToolInfo(name: name, description: tool["description"]?.string ?? "", inputSchema: schema,
                               readOnlyHint: tool["annotations"]?["readOnlyHint"]?.bool ?? false)
        }
        return (tools, result["nextCursor"]?.string)
    }

    /// A `tools/call` result.
    static func toolResult(_ result: JSONValue) -> MCPToolResult {
        let content = (result["content"]?.elements ?? []).map(content(of:))
        return MCPToolResult(content: content, isError: result["isError"]?.bool ?? false)
    }

    static func content(of item: JSONValue) -> MCPContent {
        let type = item["type"]?.string ?? ""
        switch type {
        case "text": return .text(item["text"]?.string ?? "")
        case "image":
            let data = item["data"]?.string ?? ""
            let size = PNGSize.of(base64: data)
            return .image(mimeType: item["mimeType"]?.string ?? "image", byteCount: data.utf8.count * 3 / 4,
                          width: size?.width, height: size?.height)
        case "audio":
            return .audio(mimeType: item["mimeType"]?.string ?? "audio", byteCount: (item["data"]?.string ?? "").utf8.count * 3 / 4)
        case "resource":
            let resource = item["resource"]
            return .resource(uri: resource?["uri"]?.string ?? "", mimeType: resource?["mimeType"]?.string,
                             text: resource?["text"]?.string)
        case "resource_link": return .resourceLink(uri: item["uri"]?.string ?? "", name: item["name"]?.string)
        default: return .other(type: type.isEmpty ? "unknown" : type)
        }
    }

    static func prompts(in result: JSONValue) -> (items: [MCPPromptInfo], next: String?) {
        let prompts = (result["prompts"]?.elements ?? []).compactMap { prompt -> MCPPromptInfo? in
            guard let name = prompt["name"]?.string else { return nil }
            let arguments = (prompt["arguments"]?.elements ?? []).compactMap { argument -> MCPPromptArgument? in
                guard let name = argument["name"]?.string else { return nil }
                return MCPPromptArgument(name: name, description: argument["description"]?.string ?? "",
                                         required: argument["required"]?.bool ?? false)
            }
            // The description is drawn in the popup and /help: one visible line, bounded.
            return MCPPromptInfo(name: name, description: clean(prompt["description"]?.string ?? ""), arguments: arguments)
        }
        return (prompts, result["nextCursor"]?.string)
    }

    static func promptText(_ result: JSONValue) -> String {
        (result["messages"]?.elements ?? []).map { message in
            message["content"].map { content(of: $0) }.map(MCPContentText.describe) ?? ""
        }.joined(separator: "\n\n")
    }

    static func resources(in result: JSONValue) -> (items: [MCPResourceInfo], next: String?) {
        let resources = (result["resources"]?.elements ?? []).compactMap { resource -> MCPResourceInfo? in
            // The URI is typed and sent back as it is: one that `clean` would change (over 300
            // characters, or anything invisible) or with a space is left out, never altered.
            // Name and description are drawn, so they are cleaned.
            guard let uri = resource["uri"]?.string, !uri.isEmpty, !uri.contains(where: \.isWhitespace),
                  clean(uri) == uri else { return nil }
            return MCPResourceInfo(uri: uri, name: clean(resource["name"]?.string ?? uri),
                                   description: clean(resource["description"]?.string ?? ""),
                                   mimeType: resource["mimeType"]?.string)
        }
        return (resources, result["nextCursor"]?.string)
    }

    static func resourceText(_ result: JSONValue) -> String {
        (result["contents"]?.elements ?? []).map { item in
            if let text = item["text"]?.string { return text }
            return "[binary \(item["mimeType"]?.string ?? "data") \(item["uri"]?.string ?? "")]"
        }.joined(separator: "\n")
    }
}

/// The width and height of a base64 PNG, from its IHDR chunk (the first 24 bytes).
enum PNGSize {
    static func of(base64: String) -> (width: Int, height: Int)? {
        guard base64.utf8.count >= 32, let head = Data(base64Encoded: String(base64.prefix(32))) else { return nil }
        let bytes = [UInt8](head)
        guard bytes.count >= 24, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) else { return nil }
        func be32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }
}

/// How tool output that is not text reaches the model: summarized in brackets.
public enum MCPContentText {
    /// `text` as it is; `[image 640x480 png, 12 KB]` and the like for the rest.
    public static func describe(_ content: MCPContent) -> String {
        switch content {
        case .text(let text): return text
        case .image(let mime, let bytes, let width, let height):
            let size = width.flatMap { w in height.map { "\(w)x\($0) " } } ?? ""
            return "[image \(size)\(short(mime)), \(kilobytes(bytes))]"
        case .audio(let mime, let bytes): return "[audio \(short(mime)), \(kilobytes(bytes))]"
        case .resource(let uri, _, let text): return text ?? "[resource \(uri)]"
        case .resourceLink(let uri, let name): return "[resource \(name.map { $0 + " " } ?? "")\(uri)]"
        case .other(let type): return "[\(type) content]"
        }
    }

    private static func short(_ mime: String) -> String { mime.split(separator: "/").last.map(String.init) ?? mime }
    private static func kilobytes(_ bytes: Int) -> String { bytes < 1024 ? "\(bytes) B" : "\(bytes / 1024) KB" }
}
