/// Small text helpers that work on bytes where Swift's grapheme-based `String` would hide
/// line endings (`"\r\n"` is one `Character`).
extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

/// Byte-level line handling shared by the file tools.
enum TextBytes {
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D

    /// The lines of `bytes`, each with its terminator (`\n` or `\r\n`) when it has one.
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        for index in bytes.indices where bytes[index] == newline {
            result.append(bytes[start...index])
            start = index + 1
        }
        if start < bytes.endIndex { result.append(bytes[start...]) }
        return result
    }

    /// A line without its `\n` or `\r\n` terminator.
    static func content(of line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var end = line.endIndex
        if end > line.startIndex, line[end - 1] == newline { end -= 1 }
        if end > line.startIndex, line[end - 1] == carriageReturn { end -= 1 }
        return line[line.startIndex..<end]
    }

    /// Decodes UTF-8, replacing invalid sequences.
    static func string<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// True when the first 8 KiB hold a NUL byte, the usual sign of a binary file.
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        bytes.prefix(8192).contains(0)
    }

    /// The start offsets of the non-overlapping occurrences of `needle` in `haystack`.
    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var result: [Int] = []
        let first = needle[0]
        var index = 0
        let lastStart = haystack.count - needle.count
        while index <= lastStart {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                result.append(index)
                index += needle.count
            } else {
                index += 1
            }
        }
        return result
    }

    /// `text` cut to `limit` characters with a note saying how much was dropped.
    static func clip(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + " … [line cut: \(text.count - limit) more characters]"
    }
}

/// "1 line", "2 lines", "0 lines".
func lineCountText(_ count: Int) -> String { count == 1 ? "1 line" : "\(count) lines" }
