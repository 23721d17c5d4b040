import AgentCore

/// Splits a byte stream into newline-delimited messages (MCP's stdio framing), bounded: a
/// line longer than `limit` is an error, and the bytes of an unfinished line never exceed it.
/// Linear in its input. Pure.
struct LineFramer: Sendable {
    let limit: Int
    private var partial: [UInt8] = []

    init(limit: Int = InputLimits.maxMCPMessageBytes) {
        self.limit = limit
    }

    /// The complete lines in `bytes` (without `\n` or a trailing `\r`, empty ones dropped), or
    /// nil when a line went over the limit (the framer is then useless: end the connection).
    mutating func feed(_ bytes: ArraySlice<UInt8>) -> [[UInt8]]? {
        var lines: [[UInt8]] = []
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            let piece = bytes[start..<newline]
            guard partial.count + piece.count <= limit else { return nil }
            var line = partial + piece
            partial = []
            if line.last == 0x0D { line.removeLast() }
            if !line.isEmpty { lines.append(line) }
            start = bytes.index(after: newline)
        }
        guard partial.count + (bytes.endIndex - start) <= limit else { return nil }
        partial += bytes[start...]
        return lines
    }
}
