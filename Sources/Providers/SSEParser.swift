import AgentCore

/// One dispatched Server-Sent Event.
public struct SSEEvent: Sendable, Hashable {
    /// The `event:` field, or `nil` for the default (`message`).
    public var event: String?
    /// All `data:` lines joined with `\n`.
    public var data: String
    /// The last event ID seen so far (persists across events, as the spec says).
    public var id: String?
    /// The non-standard `error:` field old llama.cpp builds sent instead of `data:`.
    public var error: String?

    public init(event: String? = nil, data: String, id: String? = nil, error: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.error = error
    }
}

/// Incremental, byte-level Server-Sent-Events parser (WHATWG field rules).
///
/// Feed bytes as they arrive in any split; a line (and so a UTF-8 sequence) is decoded
/// only once it is complete. Lines end with `\n`, `\r\n` or `\r`; `:` lines are comments.
/// Complete lines are parsed straight from the caller's buffer; only a line cut by a
/// feed boundary is copied.
///
/// Bounded: a line, or an event's `data` (or `error`) lines together, longer than
/// `maxEventBytes` makes the parser drop what it holds, set `overflowed` and ignore the rest
/// of the stream, so a line that never ends costs at most the cap in memory.
public struct SSEParser: Sendable {
    /// The longest line and the most one event may collect, in bytes.
    public let maxEventBytes: Int
    /// True once a line or an event went past `maxEventBytes` (the stream is then unusable).
    public private(set) var overflowed = false
    /// Bytes of an unfinished line carried over from the previous feed.
    private var partialLine: [UInt8] = []
    /// A feed ended in `\r`: a `\n` at the start of the next feed belongs to it.
    private var skipLeadingLineFeed = false
    private var atStreamStart = true
    private var dataBuffer: [UInt8] = []
    private var hasData = false
    private var eventType: String?
    private var errorField: String?
    private var lastEventID: String?
    private var pending: [SSEEvent] = []

    public init(maxEventBytes: Int = InputLimits.maxEventBytes) {
        self.maxEventBytes = max(1, maxEventBytes)
    }

    /// Parses `bytes` and returns the events they completed.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> [SSEEvent] {
        scan(bytes)
        return takePending()
    }

    /// Parses `bytes` and returns the events they completed.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [SSEEvent] {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            scan(UnsafeRawBufferPointer(buffer))
        }
        if handled == nil {
            Array(bytes).withUnsafeBytes { scan($0) }
        }
        return takePending()
    }

    /// Ends the stream: a last line without a line break and a last event without the
    /// closing blank line are dispatched.
    public mutating func finish() -> [SSEEvent] {
        if overflowed { return takePending() }
        if !partialLine.isEmpty {
            let line = partialLine
            partialLine = []
            line.withUnsafeBytes { processLine($0) }
        }
        dispatch()
        skipLeadingLineFeed = false
        return takePending()
    }

    private mutating func takePending() -> [SSEEvent] {
        guard !pending.isEmpty else { return [] }
        defer { pending = [] }
        return pending
    }

    /// Splits `bytes` into lines. The inner loop is a plain pointer scan (no allocation).
    private mutating func scan(_ bytes: UnsafeRawBufferPointer) {
        guard !overflowed, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), !bytes.isEmpty else {
            return
        }
        let count = bytes.count
        var start = 0
        if skipLeadingLineFeed {
            skipLeadingLineFeed = false
            if base[0] == 0x0A { start = 1 }
        }
        var index = start
        while index < count {
            let byte = base[index]
            if byte != 0x0A && byte != 0x0D {
                index += 1
                continue
            }
            let line = UnsafeRawBufferPointer(start: base + start, count: index - start)
            if partialLine.isEmpty {
                processLine(line)
            } else {
                guard partialLine.count + line.count <= maxEventBytes else { return overflow() }
                partialLine.append(contentsOf: line)
                // Swap out (no copy), parse, then hand the storage back for reuse.
                var joined: [UInt8] = []
                swap(&joined, &partialLine)
                joined.withUnsafeBytes { processLine($0) }
                if overflowed { return }
                joined.removeAll(keepingCapacity: true)
                partialLine = joined
            }
            if overflowed { return }
            index += 1
            if byte == 0x0D {
                if index < count {
                    if base[index] == 0x0A { index += 1 }
                } else {
                    skipLeadingLineFeed = true
                }
            }
            start = index
        }
        if start < count {
            guard partialLine.count + (count - start) <= maxEventBytes else { return overflow() }
            partialLine.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: count - start))
        }
    }

    /// Drops everything held: the stream went past `maxEventBytes`.
    private mutating func overflow() {
        overflowed = true
        partialLine = []
        dataBuffer = []
        errorField = nil
        eventType = nil
        hasData = false
    }

    /// Applies one complete line (without its line break).
    private mutating func processLine(_ rawLine: UnsafeRawBufferPointer) {
        if rawLine.count > maxEventBytes { return overflow() }
        var line = rawLine
        if atStreamStart {
            atStreamStart = false
            // A UTF-8 byte order mark at the very start is not part of the first field.
            if line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
                line = UnsafeRawBufferPointer(rebasing: line[3...])
            }
        }
        if line.isEmpty { return dispatch() }
        if line[0] == UInt8(ascii: ":") { return }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.count
        let field = UnsafeRawBufferPointer(rebasing: line[0..<colon])
        var valueStart = colon + 1
        if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[min(valueStart, line.count)...])
        switch field.count {
        case 4 where field.elementsEqual("data".utf8):
            if dataBuffer.count + value.count + 1 > maxEventBytes { return overflow() }
            if hasData { dataBuffer.append(0x0A) }
            dataBuffer.append(contentsOf: value)
            hasData = true
        case 5 where field.elementsEqual("event".utf8):
            eventType = String(decoding: value, as: UTF8.self)
        case 2 where field.elementsEqual("id".utf8):
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case 5 where field.elementsEqual("error".utf8):
            if (errorField?.utf8.count ?? 0) + value.count + 1 > maxEventBytes { return overflow() }
            let text = String(decoding: value, as: UTF8.self)
            errorField = errorField.map { $0 + "\n" + text } ?? text
        default:
            break // `retry` and unknown fields are ignored.
        }
    }

    /// A blank line: hands on the collected event (if it has data or an error field).
    private mutating func dispatch() {
        defer {
            dataBuffer.removeAll(keepingCapacity: true)
            hasData = false
            eventType = nil
            errorField = nil
        }
        guard hasData || errorField != nil else { return }
        let data = String(decoding: dataBuffer, as: UTF8.self)
        let type = (eventType?.isEmpty ?? true) ? nil : eventType
        pending.append(SSEEvent(event: type, data: data, id: lastEventID, error: errorField))
    }
}
