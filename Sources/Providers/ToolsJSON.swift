import AgentCore
import FoundationEssentials

/// The `tools` array of a chat request body, in the shape OpenAI's API and Ollama's
/// `/api/chat` both take: `[{"type":"function","function":{"name","description","parameters"}}]`.
///
/// `parameters` is the tool's JSON Schema text embedded as JSON (not as a string), byte for
/// byte after validation: numbers, key order and escapes stay as the tool wrote them.
/// `JSONEncoder` cannot embed raw JSON, so the array is spliced into the encoded body.
enum ToolsJSON {
    /// The JSON text of the `tools` array for `tools`.
    ///
    /// - Throws: a message naming the tool when its `parameters` is not a JSON object.
    static func array(for tools: [ToolDefinition]) throws(ToolSchemaError) -> [UInt8] {
        var json: [UInt8] = Array("[".utf8)
        for (position, tool) in tools.enumerated() {
            let schema = try validatedSchema(tool)
            if position > 0 { json.append(UInt8(ascii: ",")) }
            json += Array(#"{"type":"function","function":{"name":"#.utf8) + quoted(tool.name)
            json += Array(#","description":"#.utf8) + quoted(tool.description)
            json += Array(#","parameters":"#.utf8) + schema + Array("}}".utf8)
        }
        json.append(UInt8(ascii: "]"))
        return json
    }

    /// `object` (an encoded JSON object, `{...}`) with `"key": rawValue` added as its last member.
    static func appending(key: String, rawValue: [UInt8], to object: [UInt8]) -> [UInt8] {
        var result = object
        while let last = result.last, last != UInt8(ascii: "}") { result.removeLast() }
        guard !result.isEmpty else { return object }
        result.removeLast()
        let isEmptyObject = result.last(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "{")
        if !isEmptyObject { result.append(UInt8(ascii: ",")) }
        result += quoted(key) + Array(":".utf8) + rawValue + Array("}".utf8)
        return result
    }

    /// The schema text, trimmed, once it parsed as a JSON object (strict RFC 8259).
    private static func validatedSchema(_ tool: ToolDefinition) throws(ToolSchemaError) -> [UInt8] {
        let text = tool.parameters.trimmingWhitespace()
        let value: JSONValue
        do {
            value = try JSONReader.parse(text.isEmpty ? "{}" : text)
        } catch {
            throw ToolSchemaError(tool: tool.name, problem: "its parameters are not valid JSON (\(error))")
        }
        guard value.members != nil else {
            throw ToolSchemaError(tool: tool.name,
                                  problem: "its parameters must be a JSON object schema, not \(value.typeDescription)")
        }
        return Array((text.isEmpty ? "{}" : text).utf8)
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> [UInt8] {
        var json: [UInt8] = [UInt8(ascii: "\"")]
        json.reserveCapacity(text.utf8.count + 2)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): json += Array(#"\""#.utf8)
            case UInt8(ascii: "\\"): json += Array(#"\\"#.utf8)
            case 0x0A: json += Array(#"\n"#.utf8)
            case 0x0D: json += Array(#"\r"#.utf8)
            case 0x09: json += Array(#"\t"#.utf8)
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                json += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
        return json
    }
}

/// A tool whose definition cannot be sent (its schema is not a JSON object).
struct ToolSchemaError: Error, Sendable, CustomStringConvertible {
    var tool: String
    var problem: String
    var description: String { "tool \"\(tool)\": \(problem)" }
}
