/// Keeps the start and the end of a command's output within a byte limit and counts what it
/// dropped. Pure.
struct OutputBuffer: Sendable, Hashable {
    let limit: Int
    private var head: [UInt8] = []
    private var tail: [UInt8] = []
    /// All bytes seen.
    private(set) var total = 0
    private var newlines = 0
    private var lastByte: UInt8?

    init(limit: Int) {
        self.limit = max(limit, 2)
    }

    private var headLimit: Int { limit / 2 }
    private var tailLimit: Int { limit - headLimit }

    mutating func append<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) {
        guard !bytes.isEmpty else { return }
        total += bytes.count
        newlines += bytes.count(where: { $0 == TextBytes.newline })
        lastByte = bytes.last
        var rest = bytes[...]
        let room = headLimit - head.count
        if room > 0 {
            head.append(contentsOf: rest.prefix(room))
            rest = rest.dropFirst(room)
        }
        tail.append(contentsOf: rest)
        if tail.count > 2 * tailLimit { tail.removeFirst(tail.count - tailLimit) }
    }

    /// Lines seen (a last line without a newline counts).
    var lineCount: Int { newlines + (lastByte != nil && lastByte != TextBytes.newline ? 1 : 0) }

    /// Bytes left out of `text`.
    var omitted: Int { max(0, total - head.count - min(tail.count, tailLimit)) }

    /// The kept output, with a note where the middle was dropped.
    var text: String {
        let kept = tail.suffix(tailLimit)
        guard omitted > 0 else { return TextBytes.string(head + kept) }
        return TextBytes.string(head) + "\n[… \(omitted) bytes of output omitted …]\n" + TextBytes.string(kept)
    }
}
