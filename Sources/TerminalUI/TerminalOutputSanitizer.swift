/// Makes text from outside (model replies, server errors, model ids, session titles) safe
/// to print on a terminal, for the command-line printers (`run`, `models`, `providers`,
/// `sessions`, `usage`) when their output is a terminal (D60).
///
/// A terminal obeys what it is sent: ESC starts sequences that write the clipboard
/// (OSC 52), change the window title, move the cursor or redraw the screen; C1 controls
/// (U+0080–U+009F) can do the same; a lone carriage return lets later text overwrite
/// earlier text; bidi overrides reorder what is shown. Each of those is replaced by a
/// visible escape (`\x1b`, `\r`-as-`\x0d`, `\u{202e}`) so the user sees that it was
/// there and the terminal does nothing. Newlines, tabs and `\r\n` pass unchanged; every
/// other character is kept. Bytes that are not UTF-8 show as `\xNN`.
///
/// It works on bytes in one pass (linear time, a few bytes of state) and can be fed a
/// stream in chunks: a UTF-8 sequence or a `\r\n` split across two chunks is handled as
/// if it had come whole. Nothing it emits starts a sequence, so no split can bring one
/// back. `.json` writes the escapes as JSON `\uXXXX` so JSON output stays valid JSON
/// (the encoder already escapes C0 controls; C1 controls, DEL and bidi overrides it does not).
public struct TerminalOutputSanitizer: Sendable {
    /// How a neutralized character is written.
    public enum Notation: Sendable {
        /// `\x1b`, `\x7f`, `\u{9b}`, `\u{202e}`: for text a person reads.
        case visible
        /// `\u001b`, `\u009b`: for JSON output (the escapes are valid inside JSON strings,
        /// the only place such characters can be in an encoder's output).
        case json
    }

    public let notation: Notation
    /// The start of a UTF-8 sequence the last chunk ended inside (at most 3 bytes).
    private var carried: [UInt8] = []
    /// The last chunk ended with `\r`: whether it is half of `\r\n` depends on the next.
    private var carriageReturnPending = false

    public init(notation: Notation = .visible) {
        self.notation = notation
    }

    /// The whole of `text`, neutralized (for messages printed in one piece).
    public static func sanitize(_ text: String, notation: Notation = .visible) -> String {
        var sanitizer = TerminalOutputSanitizer(notation: notation)
        let body = sanitizer.feed(text)
        return body + sanitizer.finish()
    }

    /// The next chunk of a stream; what it cannot decide yet is kept for the next call.
    public mutating func feed(_ text: String) -> String {
        String(decoding: feed(bytes: Array(text.utf8)), as: UTF8.self)
    }

    /// The next chunk of a byte stream (may split UTF-8 sequences anywhere).
    public mutating func feed(bytes chunk: [UInt8]) -> [UInt8] {
        let input = carried.isEmpty ? chunk : carried + chunk
        carried.removeAll(keepingCapacity: true)
        var output: [UInt8] = []
        output.reserveCapacity(input.count + 8)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if carriageReturnPending {
                carriageReturnPending = false
                if byte == 0x0A {
                    output += [0x0D, 0x0A]
                    index += 1
                    continue
                }
                escapeByte(0x0D, into: &output)
            }
            if byte < 0x80 {
                appendASCII(byte, into: &output)
                index += 1
                continue
            }
            switch Self.decodeScalar(input, at: index) {
            case .scalar(let value, let length):
                if Self.isNeutralized(value) {
                    escapeScalar(value, into: &output)
                } else {
                    output.append(contentsOf: input[index..<(index + length)])
                }
                index += length
            case .incomplete:
                carried = Array(input[index...])
                index = input.count
            case .invalid:
                escapeByte(byte, into: &output)
                index += 1
            }
        }
        return output
    }

    /// The end of the stream: what was held back (a trailing `\r`, a cut-off UTF-8
    /// sequence) is written as escapes.
    public mutating func finish() -> String {
        var output: [UInt8] = []
        if carriageReturnPending { escapeByte(0x0D, into: &output) }
        for byte in carried { escapeByte(byte, into: &output) }
        carriageReturnPending = false
        carried.removeAll()
        return String(decoding: output, as: UTF8.self)
    }

    /// C1 controls and the bidi embeddings, overrides and isolates.
    static func isNeutralized(_ scalar: UInt32) -> Bool {
        (0x80...0x9F).contains(scalar) || (0x202A...0x202E).contains(scalar) || (0x2066...0x2069).contains(scalar)
    }

    private mutating func appendASCII(_ byte: UInt8, into output: inout [UInt8]) {
        switch byte {
        case 0x09, 0x0A: output.append(byte)
        case 0x0D: carriageReturnPending = true
        case 0x00..<0x20, 0x7F: escapeByte(byte, into: &output)
        default: output.append(byte)
        }
    }

    private func escapeByte(_ byte: UInt8, into output: inout [UInt8]) {
        switch notation {
        case .visible:
            output += Array("\\x".utf8) + Self.hex(UInt32(byte), digits: 2)
        case .json:
            // A byte that is not UTF-8 cannot be a JSON escape: it becomes U+FFFD.
            if byte >= 0x80 { output += [0xEF, 0xBF, 0xBD] } else { escapeScalar(UInt32(byte), into: &output) }
        }
    }

    private func escapeScalar(_ scalar: UInt32, into output: inout [UInt8]) {
        switch notation {
        case .visible: output += Array("\\u{".utf8) + Self.hex(scalar, digits: 2) + [UInt8(ascii: "}")]
        case .json: output += Array("\\u".utf8) + Self.hex(scalar, digits: 4)
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> [UInt8] {
        var text = Array(String(value, radix: 16).utf8)
        if text.count < digits { text = Array(repeating: UInt8(ascii: "0"), count: digits - text.count) + text }
        return text
    }

    private enum Decoded {
        case scalar(UInt32, length: Int)
        case incomplete
        case invalid
    }

    /// The UTF-8 sequence starting at `start` (whose first byte is 0x80 or more), checked
    /// as the standard requires: no overlong forms, no surrogates, nothing past U+10FFFF.
    private static func decodeScalar(_ bytes: [UInt8], at start: Int) -> Decoded {
        let lead = bytes[start]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        case 0xF1...0xF3: length = 4
        default: return .invalid
        }
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length {
            let position = start + offset
            guard position < bytes.count else { return .incomplete }
            let byte = bytes[position]
            guard (offset == 1 ? secondRange : 0x80...0xBF).contains(byte) else { return .invalid }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return .scalar(value, length: length)
    }
}
