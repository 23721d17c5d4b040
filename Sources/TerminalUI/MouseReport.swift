/// Decodes xterm SGR mouse reports (`ESC [ < button ; column ; row M`, `m` on release),
/// which arrive as plain scalars when curses' terminfo expects another encoding (the
/// backend turns SGR mode 1006 on itself so wheel steps work beyond column 223).
///
/// Only the wheel becomes a key; clicks and releases are consumed without an event.
enum MouseReport {
    /// What the scalars at an `ESC` hold.
    enum Match: Equatable {
        /// A whole report of `length` scalars; `event` is the wheel step, if it is one.
        case complete(event: KeyEvent?, length: Int)
        /// A valid start that the next read will finish.
        case incomplete
        /// Not a mouse report.
        case none
    }

    /// Longer than any real report: a start that never ends is not one.
    static let maximumLength = 32

    private static let escape: UInt32 = 0x1B, bracket: UInt32 = 0x5B, less: UInt32 = 0x3C
    private static let semicolon: UInt32 = 0x3B, press: UInt32 = 0x4D, release: UInt32 = 0x6D

    /// Matches `scalars` (starting at an `ESC`) against an SGR mouse report.
    static func match(_ scalars: [UInt32]) -> Match {
        let prefix = [escape, bracket, less]
        guard scalars.count >= prefix.count else {
            return scalars.count > 1 && Array(prefix.prefix(scalars.count)) == scalars ? .incomplete : .none
        }
        guard Array(scalars.prefix(3)) == prefix else { return .none }
        var numbers: [Int] = [0]
        for (offset, value) in scalars.enumerated().dropFirst(3) {
            switch value {
            case 0x30...0x39:
                numbers[numbers.count - 1] = min(numbers[numbers.count - 1] * 10 + Int(value - 0x30), 1_000_000)
            case semicolon:
                guard numbers.count < 3 else { return .none }
                numbers.append(0)
            case press, release:
                guard numbers.count == 3 else { return .none }
                return .complete(event: value == press ? wheelEvent(button: numbers[0]) : nil, length: offset + 1)
            default:
                return .none
            }
        }
        return scalars.count < maximumLength ? .incomplete : .none
    }

    /// The wheel step for an SGR button code (Shift, Alt and Ctrl add 4, 8 and 16).
    static func wheelEvent(button: Int) -> KeyEvent? {
        switch button & ~(4 | 8 | 16) {
        case 64: .mouseWheelUp
        case 65: .mouseWheelDown
        default: nil
        }
    }
}
