/// One item read from the terminal before decoding: a Unicode scalar, or a key the
/// terminal library already recognised.
public enum RawInput: Sendable, Hashable {
    case scalar(UInt32)
    case key(NamedKey)
    case resize
}

/// Keys the terminal library names itself (arrows, function keys, …).
public enum NamedKey: Sendable, Hashable {
    case up, down, left, right, home, end, pageUp, pageDown, delete, backspace, enter, backTab, insert
    case function(Int)
    case mouseWheelUp, mouseWheelDown
}

/// Turns raw terminal input into `KeyEvent`s: control characters, Alt (ESC-prefixed)
/// characters, SGR mouse wheel reports (see `MouseReport`), and bracketed paste
/// (`ESC [200~ … ESC [201~`), which arrives as one `.paste` so a pasted newline never
/// sends the message.
///
/// Pure and incremental: a paste or mouse report split across reads is completed by the
/// next `feed`.
public struct KeyDecoder: Sendable {
    private static let pasteStart: [UInt32] = [0x1B, 0x5B, 0x32, 0x30, 0x30, 0x7E]  // ESC[200~
    private static let pasteEnd: [UInt32] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]  // ESC[201~

    private var pasteBuffer: [UInt32]?
    /// Scalars after an ESC that may still become a paste marker.
    private var pendingEscape: [UInt32] = []

    public init() {}

    /// Decodes one batch of input (everything readable right now).
    public mutating func feed(_ items: [RawInput]) -> [KeyEvent] {
        var events: [KeyEvent] = []
        var index = 0
        let all = pendingEscape.map(RawInput.scalar) + items
        pendingEscape = []
        while index < all.count {
            if pasteBuffer != nil {
                index = consumePaste(all, from: index, into: &events)
                continue
            }
            switch all[index] {
            case .resize: index += 1
            case .key(let key): events.append(Self.event(for: key)); index += 1
            case .scalar(0x1B): index = consumeEscape(all, from: index, into: &events)
            case .scalar(let value): events.append(Self.event(forScalar: value)); index += 1
            }
        }
        return events
    }

    /// True while a bracketed paste has started but not ended.
    public var isInPaste: Bool { pasteBuffer != nil }

    private mutating func consumeEscape(_ all: [RawInput], from index: Int, into events: inout [KeyEvent]) -> Int {
        let report = Self.scalars(all, from: index, limit: MouseReport.maximumLength)
        switch MouseReport.match(report) {
        case .complete(let event, let length):
            if let event { events.append(event) }
            return index + length
        case .incomplete where index + report.count == all.count:
            pendingEscape = report  // an unfinished mouse report: wait for the rest
            return all.count
        case .incomplete, .none:
            break
        }
        let scalars = Self.scalars(all, from: index, limit: Self.pasteStart.count)
        if scalars == Self.pasteStart {
            pasteBuffer = []
            return index + Self.pasteStart.count
        }
        if scalars.count < Self.pasteStart.count && Array(Self.pasteStart.prefix(scalars.count)) == scalars
            && index + scalars.count == all.count && scalars.count > 1 {
            pendingEscape = scalars  // an unfinished marker: wait for the rest
            return all.count
        }
        if let (event, length) = Self.controlSequence(Self.scalars(all, from: index, limit: 16)) {
            if let event { events.append(event) }
            return index + length
        }
        guard index + 1 < all.count, case .scalar(let next) = all[index + 1] else {
            events.append(.escape)
            return index + 1
        }
        switch next {
        case 0x0D, 0x0A: events.append(.altEnter)
        case 0x1B: events.append(.escape); return index + 1
        default:
            if let scalar = Unicode.Scalar(next) { events.append(.alt(Character(scalar))) }
        }
        return index + 2
    }

    /// A whole `ESC [ … final` or `ESC O x` sequence at the start of `scalars` (the key the
    /// terminal library did not translate because TERM does not match the terminal): the key
    /// it names, or `nil` for one we do not use, which is dropped rather than typed as text.
    /// An unfinished sequence is left to the Alt-key path.
    static func controlSequence(_ scalars: [UInt32]) -> (event: KeyEvent?, length: Int)? {
        guard scalars.count >= 3, scalars[0] == 0x1B else { return nil }
        if scalars[1] == 0x4F {  // SS3: ESC O x
            let keys: [UInt32: KeyEvent] = [0x41: .up, 0x42: .down, 0x43: .right, 0x44: .left, 0x48: .home,
                                            0x46: .end, 0x50: .function(1), 0x51: .function(2),
                                            0x52: .function(3), 0x53: .function(4)]
            return (keys[scalars[2]], 3)
        }
        guard scalars[1] == 0x5B else { return nil }
        var end = 2
        // Key sequences carry only digits and `;`; private ones (`<`, `?`, …) are not keys.
        while end < scalars.count, (0x30...0x3B).contains(scalars[end]) { end += 1 }
        guard end < scalars.count, (0x40...0x7E).contains(scalars[end]) else { return nil }
        let parameters = String(decoding: scalars[2..<end].map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
        let first = Int(parameters.split(separator: ";").first ?? "") ?? 0
        let event: KeyEvent?
        switch scalars[end] {
        case 0x41: event = .up
        case 0x42: event = .down
        case 0x43: event = .right
        case 0x44: event = .left
        case 0x48: event = .home
        case 0x46: event = .end
        case 0x5A: event = .backTab
        case 0x7E:
            let tilde: [Int: KeyEvent] = [1: .home, 7: .home, 4: .end, 8: .end, 3: .delete, 5: .pageUp, 6: .pageDown,
                                          11: .function(1), 12: .function(2), 13: .function(3), 14: .function(4),
                                          15: .function(5), 17: .function(6), 18: .function(7), 19: .function(8),
                                          20: .function(9), 21: .function(10), 23: .function(11), 24: .function(12)]
            event = tilde[first]
        default: event = nil
        }
        return (event, end + 1)
    }

    private mutating func consumePaste(_ all: [RawInput], from index: Int, into events: inout [KeyEvent]) -> Int {
        var index = index
        while index < all.count {
            if case .scalar(let value) = all[index] {
                if value == 0x1B {
                    let scalars = Self.scalars(all, from: index, limit: Self.pasteEnd.count)
                    if scalars == Self.pasteEnd {
                        events.append(.paste(Self.string(pasteBuffer ?? [])))
                        pasteBuffer = nil
                        return index + Self.pasteEnd.count
                    }
                    if index + scalars.count == all.count && Array(Self.pasteEnd.prefix(scalars.count)) == scalars {
                        pendingEscape = scalars
                        return all.count
                    }
                }
                pasteBuffer?.append(value)
            } else if case .key(.enter) = all[index] {
                pasteBuffer?.append(0x0A)
            }
            index += 1
        }
        return index
    }

    private static func scalars(_ all: [RawInput], from index: Int, limit: Int) -> [UInt32] {
        var result: [UInt32] = []
        var i = index
        while i < all.count && result.count < limit, case .scalar(let value) = all[i] {
            result.append(value)
            i += 1
        }
        return result
    }

    private static func string(_ scalars: [UInt32]) -> String {
        var text = ""
        text.unicodeScalars.reserveCapacity(scalars.count)
        for value in scalars {
            if value == 0x0D { text.unicodeScalars.append("\n"); continue }
            if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) }
        }
        return text
    }

    static func event(forScalar value: UInt32) -> KeyEvent {
        switch value {
        case 0x0D: return .enter
        case 0x0A: return .control("j")
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x01...0x1A:
            return .control(Character(Unicode.Scalar(value + 0x60)!))
        default:
            guard let scalar = Unicode.Scalar(value) else { return .unknown(Int32(bitPattern: value)) }
            return .character(Character(scalar))
        }
    }

    static func event(for key: NamedKey) -> KeyEvent {
        switch key {
        case .up: .up
        case .down: .down
        case .left: .left
        case .right: .right
        case .home: .home
        case .end: .end
        case .pageUp: .pageUp
        case .pageDown: .pageDown
        case .delete: .delete
        case .backspace: .backspace
        case .enter: .enter
        case .backTab: .backTab
        case .insert: .unknown(0)
        case .function(let n): .function(n)
        case .mouseWheelUp: .mouseWheelUp
        case .mouseWheelDown: .mouseWheelDown
        }
    }
}
