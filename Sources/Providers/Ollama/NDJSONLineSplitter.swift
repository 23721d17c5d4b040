/// Incremental splitter for newline-delimited JSON (one document per line).
///
/// Feed bytes as they arrive, split anywhere: a line is handed out only once complete, so
/// a UTF-8 sequence cut by a read boundary is rejoined before anyone decodes it. Lines end
/// with `\n` (a trailing `\r` is dropped); blank lines are skipped. `finish()` returns a
/// last line that had no line break.
public struct NDJSONLineSplitter: Sendable {
    /// Bytes of an unfinished line carried over from earlier feeds.
    private var partial: [UInt8] = []

    public init() {}

    /// The complete lines `bytes` finished, without their line breaks.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            if partial.isEmpty {
                append(Array(bytes[start..<newline]), to: &lines)
            } else {
                partial.append(contentsOf: bytes[start..<newline])
                append(partial, to: &lines)
                partial.removeAll(keepingCapacity: true)
            }
            start = bytes.index(after: newline)
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

    private func append(_ line: [UInt8], to lines: inout [[UInt8]]) {
        var line = line
        if line.last == 0x0D { line.removeLast() }
        if line.contains(where: { $0 != 0x20 && $0 != 0x09 }) { lines.append(line) }
    }
}
