import AgentCore

/// A call's JSON arguments, checked against the names a tool accepts, with typed accessors
/// whose errors quote the problem ("\"path\" must be a string, got a number").
struct ToolArguments: Sendable {
    let toolName: String
    private let members: [String: JSONValue]

    /// Parses `text` (empty means `{}`); rejects non-objects and names not in `allowed`.
    init(_ text: String, tool: String, allowed: [String]) throws(ToolError) {
        toolName = tool
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else { members = [:]; return }
        let value: JSONValue
        do {
            value = try JSONReader.parse(trimmed)
        } catch {
            throw ToolError("invalid arguments for \(tool): not valid JSON (\(error.description))")
        }
        guard let object = value.members else {
            throw ToolError("invalid arguments for \(tool): expected a JSON object, got \(value.typeDescription)")
        }
        var members: [String: JSONValue] = [:]
        for member in object {
            guard allowed.contains(member.key) else {
                let expected = allowed.joined(separator: ", ")
                throw ToolError("invalid arguments for \(tool): unknown argument \"\(member.key)\" (expected: \(expected))")
            }
            members[member.key] = member.value
        }
        self.members = members
    }

    private func problem(_ text: String) -> ToolError {
        ToolError("invalid arguments for \(toolName): \(text)")
    }

    /// A required string.
    func string(_ key: String) throws(ToolError) -> String {
        guard let value = try optionalString(key) else { throw problem("\"\(key)\" is required") }
        return value
    }

    /// A string, or nil when absent or null.
    func optionalString(_ key: String) throws(ToolError) -> String? {
        guard let value = members[key], !value.isNull else { return nil }
        guard let text = value.string else {
            throw problem("\"\(key)\" must be a string, got \(value.typeDescription)")
        }
        return text
    }

    /// An integer (a whole JSON number, or a string holding one), nil when absent or null.
    func optionalInt(_ key: String) throws(ToolError) -> Int? {
        guard let value = members[key], !value.isNull else { return nil }
        if let number = value.number?.int { return number }
        if let text = value.string, let number = Int(text.trimmingWhitespace) { return number }
        throw problem("\"\(key)\" must be an integer, got \(value.typeDescription)")
    }

    /// A boolean (or the string "true"/"false"), nil when absent or null.
    func optionalBool(_ key: String) throws(ToolError) -> Bool? {
        guard let value = members[key], !value.isNull else { return nil }
        if let flag = value.bool { return flag }
        if let text = value.string?.lowercased(), text == "true" || text == "false" { return text == "true" }
        throw problem("\"\(key)\" must be a boolean, got \(value.typeDescription)")
    }
}
