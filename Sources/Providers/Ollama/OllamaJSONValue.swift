import FoundationEssentials

/// Any JSON value, for the parts of Ollama's wire format whose shape is free: tool-call
/// `arguments` (a JSON object, not a string as in OpenAI's API). Object keys re-encode
/// sorted, so the same object always gives the same text.
enum OllamaJSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([OllamaJSONValue])
    case object([String: OllamaJSONValue])

    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let value = try? single.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? single.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? single.decode(Double.self) {
            self = .number(value)
        } else if let value = try? single.decode(String.self) {
            self = .string(value)
        } else if let value = try? single.decode([OllamaJSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try single.decode([String: OllamaJSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        switch self {
        case .null: try single.encodeNil()
        case .bool(let value): try single.encode(value)
        case .integer(let value): try single.encode(value)
        case .number(let value): try single.encode(value)
        case .string(let value): try single.encode(value)
        case .array(let value): try single.encode(value)
        case .object(let value): try single.encode(value)
        }
    }

    /// Compact JSON text (sorted keys, `/` unescaped).
    func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses JSON text; `nil` when it is not valid JSON.
    static func parse(_ text: String) -> OllamaJSONValue? {
        try? JSONDecoder().decode(OllamaJSONValue.self, from: Data(text.utf8))
    }
}
