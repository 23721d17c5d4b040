import AgentCore

/// Writes a parsed `JSONValue` back as compact, one-line JSON text (member order kept, numbers
/// as they were written). One line matters: stdio frames messages by newlines.
enum MCPJSONWriter {
    static func text(of value: JSONValue) -> String {
        var output = ""
        write(value, into: &output)
        return output
    }

    private static func write(_ value: JSONValue, into output: inout String) {
        switch value.kind {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let number): output += number.text
        case .string(let text): output += JSONText.quoted(text)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                write(element, into: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                output += JSONText.quoted(member.key) + ":"
                write(member.value, into: &output)
            }
            output += "}"
        }
    }

    /// A JSON object text from pairs whose values are already JSON text.
    static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { JSONText.quoted($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}

/// Builds the JSON-RPC 2.0 messages the client sends.
enum JSONRPCMessage {
    static func request(id: Int, method: String, params: String?) -> String {
        var pairs = [("jsonrpc", "\"2.0\""), ("id", String(id)), ("method", JSONText.quoted(method))]
        if let params { pairs.append(("params", params)) }
        return MCPJSONWriter.object(pairs)
    }

    static func notification(method: String, params: String?) -> String {
        var pairs = [("jsonrpc", "\"2.0\""), ("method", JSONText.quoted(method))]
        if let params { pairs.append(("params", params)) }
        return MCPJSONWriter.object(pairs)
    }

    /// An answer to a server's request; `id` is the request's own id, written back as it came.
    static func result(id: JSONValue, result: String) -> String {
        MCPJSONWriter.object([("jsonrpc", "\"2.0\""), ("id", MCPJSONWriter.text(of: id)), ("result", result)])
    }

    static func error(id: JSONValue, code: Int, message: String) -> String {
        let error = MCPJSONWriter.object([("code", String(code)), ("message", JSONText.quoted(message))])
        return MCPJSONWriter.object([("jsonrpc", "\"2.0\""), ("id", MCPJSONWriter.text(of: id)), ("error", error)])
    }

    /// `notifications/cancelled` for request `id`.
    static func cancelled(id: Int, reason: String) -> String {
        notification(method: "notifications/cancelled",
                     params: MCPJSONWriter.object([("requestId", String(id)), ("reason", JSONText.quoted(reason))]))
    }
}

/// An incoming message, classified.
enum JSONRPCIncoming: Sendable {
    case response(id: Int, result: Result<JSONValue, MCPError>)
    /// A response whose id this client never used (or not an integer): ignored.
    case strayResponse
    case request(id: JSONValue, method: String)
    case notification(method: String, params: JSONValue?)
    case invalid(String)

    /// Classifies one parsed message (`method` names a request or notification).
    static func classify(_ value: JSONValue, methodOf: (Int) -> String? = { _ in nil }) -> JSONRPCIncoming {
        guard value.members != nil else { return .invalid("a message that is not a JSON object") }
        if let method = value["method"]?.string {
            if let id = value["id"], !id.isNull { return .request(id: id, method: method) }
            return .notification(method: method, params: value["params"])
        }
        guard let idValue = value["id"] else { return .invalid("a message with neither a method nor an id") }
        guard let id = idValue.number?.int else { return .strayResponse }
        if let error = value["error"] {
            let code = error["code"]?.number?.int.map(String.init) ?? "?"
            let message = error["message"]?.string ?? "no message"
            let method = methodOf(id) ?? "request"
            return .response(id: id, result: .failure(MCPError("\(method) error \(code): \(String(message.prefix(2000)))")))
        }
        guard let result = value["result"] else { return .invalid("a response with neither a result nor an error") }
        return .response(id: id, result: .success(result))
    }
}
