import AgentCore

/// Incremental splitter for newline-delimited JSON (one document per line).
///
/// Feed bytes as they arrive, split anywhere: a line is handed out only once complete, so
/// a UTF-8 sequence cut by a read boundary is rejoined before anyone decodes it. Lines end
/// with `\n` (a trailing `\r` is dropped); blank lines are skipped. `finish()` returns a
/// last line that had no line break.
///
/// Bounded: a line longer than `maxLineBytes` makes the splitter drop what it holds, set
/// `overflowed` and ignore the rest, so a line that never ends costs at most the cap.
public struct NDJSONLineSplitter: Sendable {
    /// The longest line, in bytes.
    public let maxLineBytes: Int
    /// True once a line went past `maxLineBytes` (the stream is then unusable).
    public private(set) var overflowed = false
    /// Bytes of an unfinished line carried over from earlier feeds.
    private var partial: [UInt8] = []

    public init(maxLineBytes: Int = InputLimits.maxLineBytes) {
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// The complete lines `bytes` finished, without their line breaks.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [[UInt8]] {
        guard !overflowed else { return [] }
        var lines: [[UInt8]] = []
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            let length = bytes.distance(from: start, to: newline)
            guard partial.count + length <= maxLineBytes else {
                overflow()
                return lines
            }
            if partial.isEmpty {
                append(Array(bytes[start..<newline]), to: &lines)
            } else {
                partial.append(contentsOf: bytes[start..<newline])
                append(partial, to: &lines)
                partial.removeAll(keepingCapacity: true)
            }
            start = bytes.index(after: newline)
        }
        guard partial.count + bytes.distance(from: start, to: bytes.endIndex) <= maxLineBytes else {
            overflow()
            return lines
        }
        partial.append(contentsOf: bytes[start...])
        return lines
    }

    /// Ends the input: the last line, when it had no line break.
    public mutating func finish() -> [[UInt8]] {
        var lines: [[UInt8]] = []
        append(partial, to: &lines)
        partial = []
        return lines
    }

    /// True when bytes of an unfinished line are waiting.
    public var hasPartialLine: Bool { !partial.isEmpty }

    private mutating func overflow() {
        overflowed = true
        partial = []
    }

    private func append(_ line: [UInt8], to lines: inout [[UInt8]]) {
        var line = line
        if line.last == 0x0D { line.removeLast() }
        if line.contains(where: { $0 != 0x20 && $0 != 0x09 }) { lines.append(line) }
    }
}
