import AgentCore

/// Splits a byte stream into newline-terminated lines, holding at most `limit` bytes of an
/// unfinished line (linear: each byte is looked at once). A `\r` before the `\n` is dropped;
/// empty lines are skipped.
struct LineFramer: Sendable {
    let limit: Int
    private var partial: [UInt8] = []

    init(limit: Int = InputLimits.maxMCPMessageBytes) {
        self.limit = limit
    }

    /// The lines completed by `bytes`; throws once an unfinished line exceeds the limit.
    mutating func append(_ bytes: some Collection<UInt8>) throws(MCPError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if partial.last == UInt8(ascii: "\r") { partial.removeLast() }
                if !partial.isEmpty { lines.append(partial) }
                partial.removeAll(keepingCapacity: true)
                continue
            }
            guard partial.count < limit else {
                partial = []
                throw MCPError("the server sent a message longer than \(InputLimits.describeBytes(limit))",
                               connectionLost: true)
            }
            partial.append(byte)
        }
        return lines
    }

    /// Bytes of an unfinished line held.
    var pendingByteCount: Int { partial.count }
}
