/// The fast path for the chunk almost every streamed token arrives in:
/// `{"id":…,"choices":[{"index":0,"delta":{"content":"…"},"finish_reason":null}],…}`.
///
/// `content(of:)` reads such a chunk's text straight from the bytes. It answers only when
/// the chunk can mean nothing else: one choice (index 0), a delta of `content` (and
/// `role`), every other known field null, and at the top level only fields that never
/// carry meaning for the reply (`id`, `model`, …). Anything else (usage, an error, tool
/// calls, reasoning, a finish reason, an unknown key, a malformed escape, a duplicate key)
/// returns `nil`, and the chunk goes through `JSONDecoder` as before, so the two paths can
/// never disagree (D49).
enum PlainContentChunk {
    /// Top-level keys whose values are skipped.
    private static let ignoredTopLevel = [
        "id", "object", "created", "model", "system_fingerprint", "service_tier", "obfuscation", "provider",
    ]
    /// Top-level keys accepted only when `null` (OpenAI sends `"usage":null` on every chunk
    /// when usage was asked for).
    private static let nullOnlyTopLevel = ["usage", "error"]
    /// Delta and choice keys that are accepted only when their value is `null`.
    private static let nullOnlyDelta = [
        "reasoning", "reasoning_content", "refusal", "tool_calls", "function_call", "reasoning_details",
    ]
    private static let nullOnlyChoice = ["finish_reason", "native_finish_reason", "logprobs"]

    /// Every key each object may have, in a fixed order: a key's position is its bit in the
    /// `seen` mask that catches duplicates (no allocation per chunk).
    private static let topLevelKeys = ["choices"] + nullOnlyTopLevel + ignoredTopLevel
    private static let choiceKeys = ["index", "delta"] + nullOnlyChoice
    private static let deltaKeys = ["content", "role"] + nullOnlyDelta

    /// Marks `key` in `seen`; false when it is not one of `keys` or was seen before.
    private static func firstOccurrence(_ key: String, of keys: [String], _ seen: inout UInt32) -> Bool {
        guard let bit = keys.firstIndex(of: key) else { return false }
        defer { seen |= 1 << bit }
        return seen & (1 << bit) == 0
    }

    /// The chunk's `delta.content` ("" when absent or null), or `nil` when the chunk is not
    /// of the plain shape.
    static func content(of data: String) -> String? {
        var data = data
        return data.withUTF8 { bytes in
            var scanner = JSONScanner(bytes)
            return parseChunk(&scanner)
        }
    }

    private static func parseChunk(_ scanner: inout JSONScanner) -> String? {
        var content: String?
        var seen: UInt32 = 0
        let parsed = scanner.object { key, scanner in
            guard firstOccurrence(key, of: topLevelKeys, &seen) else { return false }
            if key == "choices" {
                content = parseChoices(&scanner)
                return content != nil
            }
            if nullOnlyTopLevel.contains(key) { return scanner.literal("null") }
            return scanner.skipValue()
        }
        guard parsed, scanner.atEnd, seen & 1 != 0 else { return nil }
        return content
    }

    private static func parseChoices(_ scanner: inout JSONScanner) -> String? {
        var content: String?
        var count = 0
        let parsed = scanner.array { scanner in
            count += 1
            guard count == 1 else { return false }
            content = parseChoice(&scanner)
            return content != nil
        }
        return parsed && count == 1 ? content : nil
    }

    private static func parseChoice(_ scanner: inout JSONScanner) -> String? {
        var content: String?
        var seen: UInt32 = 0
        let parsed = scanner.object { key, scanner in
            guard firstOccurrence(key, of: choiceKeys, &seen) else { return false }
            switch key {
            case "index": return scanner.literal("0")
            case "delta":
                content = parseDelta(&scanner)
                return content != nil
            default: return scanner.literal("null")
            }
        }
        guard parsed, seen & 0b10 != 0 else { return nil }
        return content
    }

    private static func parseDelta(_ scanner: inout JSONScanner) -> String? {
        var content = ""
        var seen: UInt32 = 0
        let parsed = scanner.object { key, scanner in
            guard firstOccurrence(key, of: deltaKeys, &seen) else { return false }
            switch key {
            case "content":
                if scanner.literal("null") { return true }
                guard let text = scanner.string() else { return false }
                content = text
                return true
            case "role": return scanner.literal("null") || scanner.string() != nil
            default: return scanner.literal("null")
            }
        }
        return parsed ? content : nil
    }
}

/// A strict reader over the bytes of one JSON document, for `PlainContentChunk`. Every
/// method returns false or `nil` on anything it does not fully understand.
struct JSONScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// True when only whitespace is left.
    var atEnd: Bool {
        mutating get {
            skipWhitespace()
            return position == bytes.count
        }
    }

    /// Reads an object, calling `member` for each key with the scanner at its value.
    mutating func object(_ member: (String, inout JSONScanner) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = string(), take(UInt8(ascii: ":")), member(key, &self) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// Reads an array, calling `element` with the scanner at each element.
    mutating func array(_ element: (inout JSONScanner) -> Bool) -> Bool {
        guard take(UInt8(ascii: "[")) else { return false }
        if take(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]"))
    }

    /// Consumes `word` (`null`, `0`, …) when it is the next token, whole.
    mutating func literal(_ word: StaticString) -> Bool {
        skipWhitespace()
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
        let end = position + count
        if end < bytes.count, !Self.endsToken(bytes[end]) { return false }
        position = end
        return true
    }

    /// Reads a string value, unescaping it; `nil` for a malformed one.
    mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = position
        var ascii = true
        // Plain run: no escapes, so the bytes are the text.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                defer { position += 1 }
                let run = UnsafeBufferPointer(rebasing: bytes[start..<position])
                // ASCII is valid UTF-8 as it is; `String(validating:)` runs its generic
                // transcoder (a fifth of the transfer thread's instructions per token, D188).
                return ascii ? String(decoding: run, as: UTF8.self) : String(validating: run, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            position += 1
        }
        var text = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard unescape(into: &text) else { return nil }
            case 0..<0x20:
                return nil
            default:
                text.append(byte)
            }
        }
        return nil
    }

    /// Nesting deeper than this inside a skipped value is left to `JSONDecoder` (which has
    /// its own limit), so a hostile chunk cannot exhaust the stack.
    static let maximumDepth = 64

    /// Skips any one value (used for fields whose content does not matter).
    mutating func skipValue(depth: Int = 0) -> Bool {
        skipWhitespace()
        guard position < bytes.count, depth < Self.maximumDepth else { return false }
        switch bytes[position] {
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "{"): return object { _, scanner in scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): return array { $0.skipValue(depth: depth + 1) }
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return skipNumber()
        }
    }

    /// A number by JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func skipNumber() -> Bool {
        _ = takeByte(UInt8(ascii: "-"))
        if !takeByte(UInt8(ascii: "0")) {
            guard let first = peek, first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9") else { return false }
            skipDigits()
        }
        if takeByte(UInt8(ascii: ".")) {
            guard skipDigits() else { return false }
        }
        if takeByte(UInt8(ascii: "e")) || takeByte(UInt8(ascii: "E")) {
            if !takeByte(UInt8(ascii: "+")) { _ = takeByte(UInt8(ascii: "-")) }
            guard skipDigits() else { return false }
        }
        return position == bytes.count || Self.endsToken(bytes[position])
    }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// Consumes `byte` when it is next (no whitespace skipped).
    private mutating func takeByte(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        position += 1
        return true
    }

    /// Consumes a run of digits; false when there was none.
    @discardableResult
    private mutating func skipDigits() -> Bool {
        let start = position
        while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
        return position > start
    }

    /// One escape after the backslash, appended as UTF-8.
    private mutating func unescape(into text: inout [UInt8]) -> Bool {
        guard position < bytes.count else { return false }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(byte)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
            guard let scalar = unicodeEscape() else { return false }
            text.append(contentsOf: String(Character(scalar)).utf8)
        default: return false
        }
        return true
    }

    /// The scalar of `XXXX` (after `\u`), joining a surrogate pair; `nil` for a lone surrogate.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let high = hex4() else { return nil }
        if (0xD800..<0xDC00).contains(high) {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                  bytes[position + 1] == UInt8(ascii: "u") else { return nil }
            position += 2
            guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        }
        return Unicode.Scalar(high)
    }

    private mutating func hex4() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Consumes `byte` after optional whitespace.
    private mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private static func endsToken(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"): true
        default: false
        }
    }
}
