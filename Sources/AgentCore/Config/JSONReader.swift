/// A JSON syntax error: what was expected, and where.
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var position: SourcePosition
    public init(_ message: String, at position: SourcePosition) {
        self.message = message
        self.position = position
    }
    public var description: String { "\(position): \(message)" }
}

/// A small strict JSON (RFC 8259) reader over UTF-8 bytes.
///
/// It exists because config errors must point at `FILE:LINE:COL` and providers must keep
/// file order: `FoundationEssentials` has no `JSONSerialization`, and neither it nor
/// `JSONDecoder` reports positions or preserves object key order. Messages never quote
/// the input's letters or digits, so a malformed secret cannot leak into an error.
public enum JSONReader {
    /// Objects and arrays nested deeper than this are rejected instead of exhausting the stack.
    public static let maximumDepth = 256

    /// Parses one JSON document (an optional UTF-8 byte-order mark is skipped).
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }

    /// Parses one JSON document from text.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// The recursive-descent parser behind `JSONReader`; tracks line and column as it goes.
struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        let root = try parseValue(depth: 0)
        skipWhitespace()
        if index < bytes.count {
            throw error("expected end of input after the top-level value, found \(found)")
        }
        return root
    }

    // MARK: - Cursor

    private var position: SourcePosition { SourcePosition(line: line, column: column) }
    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func advance() {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1  // UTF-8 continuation bytes do not start a new column.
        }
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { advance() }
    }

    /// Describes the current byte for a message without revealing letters or digits.
    private var found: String {
        guard let byte = current else { return "end of input" }
        if Array("{}[],:\"".utf8).contains(byte) { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "an unexpected character"
    }

    private func error(_ message: String, at position: SourcePosition? = nil) -> JSONSyntaxError {
        JSONSyntaxError(message, at: position ?? self.position)
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        let start = position
        guard let byte = current else { throw error("expected a value, found end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return JSONValue(.string(try parseString()), at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        default:
            throw error("expected a value (string, number, object, array, true, false or null), found \(found)")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        let start = position
        if depth > JSONReader.maximumDepth { throw error("nesting is deeper than \(JSONReader.maximumDepth) levels") }
        advance()  // {
        var members: [JSONMember] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            advance()
            return JSONValue(.object([]), at: start)
        }
        while true {
            skipWhitespace()
            let keyPosition = position
            guard current == UInt8(ascii: "\"") else {
                throw error("expected a string key in double quotes, found \(found)")
            }
            let key = try parseString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after object key, found \(found)") }
            advance()
            let value = try parseValue(depth: depth)
            members.append(JSONMember(key: key, keyPosition: keyPosition, value: value))
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                advance()
                return JSONValue(.object(members), at: start)
            }
            guard current == UInt8(ascii: ",") else {
                throw error("expected ',' or '}' after object member, found \(found)")
            }
            let comma = position
            advance()
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                throw error("trailing comma: expected another member after ',' (remove the ',' before '}')", at: comma)
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        let start = position
        if depth > JSONReader.maximumDepth { throw error("nesting is deeper than \(JSONReader.maximumDepth) levels") }
        advance()  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            advance()
            return JSONValue(.array([]), at: start)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                advance()
                return JSONValue(.array(elements), at: start)
            }
            guard current == UInt8(ascii: ",") else {
                throw error("expected ',' or ']' after array element, found \(found)")
            }
            let comma = position
            advance()
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                throw error("trailing comma: expected another element after ',' (remove the ',' before ']')", at: comma)
            }
        }
    }

    private mutating func parseLiteral(_ word: String, _ kind: JSONValue.Kind) throws(JSONSyntaxError) -> JSONValue {
        let start = position
        let expected = Array(word.utf8)
        guard bytes[index...].starts(with: expected) else {
            throw error("invalid literal: expected true, false or null")
        }
        for _ in expected { advance() }
        return JSONValue(kind, at: start)
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = position
        let first = index
        if current == UInt8(ascii: "-") { advance() }
        if current == UInt8(ascii: "0") {
            advance()
            if let byte = current, isDigit(byte) {
                throw error("invalid number: leading zeros are not allowed", at: start)
            }
        } else {
            try digits(after: "'-'")
        }
        if current == UInt8(ascii: ".") {
            advance()
            try digits(after: "'.'")
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            advance()
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { advance() }
            try digits(after: "the exponent")
        }
        let text = String(decoding: bytes[first..<index], as: UTF8.self)
        guard let double = Double(text) else { throw error("invalid number", at: start) }
        return JSONValue(.number(JSONNumber(double: double, text: text)), at: start)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Consumes one or more digits, or fails naming what they should follow.
    private mutating func digits(after what: String) throws(JSONSyntaxError) {
        guard let byte = current, isDigit(byte) else { throw error("invalid number: expected a digit after \(what)") }
        while let byte = current, isDigit(byte) { advance() }
    }

    // MARK: - Strings

    /// Parses a string starting at its opening quote; the result is validated UTF-8.
    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = position
        advance()  // opening quote
        var utf8: [UInt8] = []
        while true {
            guard let byte = current, byte != UInt8(ascii: "\n") else {
                throw error("unterminated string: expected a closing '\"' before the end of the line", at: start)
            }
            if byte == UInt8(ascii: "\"") {
                advance()
                break
            }
            if byte == UInt8(ascii: "\\") {
                try parseEscape(into: &utf8)
            } else if byte < 0x20 {
                throw error("control characters in strings must be escaped (for example \\t)")
            } else {
                utf8.append(byte)
                advance()
            }
        }
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw error("the string is not valid UTF-8", at: start)
        }
        return text
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONSyntaxError) {
        let start = position
        advance()  // backslash
        guard let byte = current else { throw error("unterminated string: expected a closing '\"'", at: start) }
        let simple: UInt8? = switch byte {
        case UInt8(ascii: "\""): UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): UInt8(ascii: "\\")
        case UInt8(ascii: "/"): UInt8(ascii: "/")
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let simple {
            advance()
            utf8.append(simple)
            return
        }
        guard byte == UInt8(ascii: "u") else {
            throw error("invalid escape sequence: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", at: start)
        }
        advance()
        let scalar = try parseUnicodeEscape(start: start)
        UTF8.encode(scalar) { utf8.append($0) }
    }

    /// Reads the hex digits after `\u`, joining a UTF-16 surrogate pair into one scalar.
    private mutating func parseUnicodeEscape(start: SourcePosition) throws(JSONSyntaxError) -> Unicode.Scalar {
        let unit = try hexQuad(start: start)
        if (0xDC00...0xDFFF).contains(unit) {
            throw error("invalid \\u escape: a low surrogate without a preceding high surrogate", at: start)
        }
        guard (0xD800...0xDBFF).contains(unit) else {
            return Unicode.Scalar(unit)!  // Not a surrogate, so always a valid scalar.
        }
        guard bytes[index...].starts(with: Array("\\u".utf8)) else {
            throw error("invalid \\u escape: a high surrogate must be followed by a \\u low surrogate", at: start)
        }
        advance()
        advance()
        let low = try hexQuad(start: start)
        guard (0xDC00...0xDFFF).contains(low) else {
            throw error("invalid \\u escape: a high surrogate must be followed by a \\u low surrogate", at: start)
        }
        return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
    }

    private mutating func hexQuad(start: SourcePosition) throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = hexValue(byte) else {
                throw error("invalid \\u escape: expected 4 hexadecimal digits", at: start)
            }
            value = value << 4 | digit
            advance()
        }
        return value
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
