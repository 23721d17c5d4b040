/// Text with every invisible character made visible, for screens that must show exactly
/// what will run or change (the approval box, tool previews and output; D56).
///
/// - a tab is `→`;
/// - C0 controls, DEL and C1 controls are `\x1b`-style escapes (a newline only when it is
///   inside one line; `lines` splits at newlines);
/// - format, bidi, zero-width and other default-ignorable characters (U+200B, U+202E,
///   U+2066-U+2069, U+FEFF, U+00AD, U+3164 …), line and paragraph separators and every space
///   other than U+0020 (U+00A0, U+2007, U+3000 …) are `\u{202E}`-style escapes;
/// - spaces at the end of a line are `·` (so trailing whitespace shows in a diff).
///
/// Emoji sequences keep their joiners and variation selectors. Each marker is a separate
/// piece flagged `isMarker`, so a view can draw it in its own style and it cannot be taken for
/// the same characters typed literally. Every piece is at least one column wide per source
/// character (`DisplayWidth` counts `→`, `·` and ASCII as one column).
public enum VisibleText {
    /// A run of text: shown as is, or a marker standing for invisible characters.
    public struct Piece: Sendable, Hashable {
        public var text: String
        public var isMarker: Bool
        public init(_ text: String, isMarker: Bool) {
            self.text = text
            self.isMarker = isMarker
        }
    }

    public static let tab = "→"
    public static let trailingSpace = "·"

    /// `text` split at newlines (`\n`, also inside `\r\n`), each line made visible.
    public static func lines(_ text: some StringProtocol, marksTrailingSpaces: Bool = true) -> [[Piece]] {
        sourceLines(text).map { pieces($0, marksTrailingSpaces: marksTrailingSpaces) }
    }

    /// `text` split at every `\n` scalar (a `\r\n` pair is one `Character`, so splitting by
    /// characters would keep it inside a line); the `\r` stays, to be shown.
    public static func sourceLines(_ text: some StringProtocol) -> [String] {
        String(text).unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
            String(String.UnicodeScalarView($0))
        }
    }

    /// One line made visible (a newline in it is escaped too).
    public static func pieces(_ line: some StringProtocol, marksTrailingSpaces: Bool = true) -> [Piece] {
        var result: [Piece] = []
        func add(_ text: String, marker: Bool) {
            if let last = result.last, last.isMarker == marker {
                result[result.count - 1].text += text
            } else {
                result.append(Piece(text, isMarker: marker))
            }
        }
        for character in line {
            if character == " " || (character.isASCII && character != "\t" && !character.isASCIIControl) {
                add(String(character), marker: false)
            } else if isEmojiSequence(character) {
                add(String(character), marker: false)
            } else if DisplayWidth.of(character) == 0 {
                // Nothing would be drawn (a lone combining mark, say): show every scalar.
                add(character.unicodeScalars.map { escape($0) ?? "\\u{" + hex($0.value, digits: 4) + "}" }.joined(), marker: true)
            } else {
                // A mark left after an escaped scalar would have nothing to sit on: escape it too.
                var afterMarker = true
                for scalar in character.unicodeScalars {
                    if let escaped = escape(scalar) {
                        add(escaped, marker: true)
                        afterMarker = true
                    } else if afterMarker && DisplayWidth.of(Character(scalar)) == 0 {
                        add("\\u{" + hex(scalar.value, digits: 4) + "}", marker: true)
                    } else {
                        add(String(scalar), marker: false)
                        afterMarker = false
                    }
                }
            }
        }
        if marksTrailingSpaces { markTrailingSpaces(&result) }
        return result
    }

    /// The whole of `text` on one line, every invisible character (newlines too) escaped.
    public static func string(_ text: some StringProtocol, marksTrailingSpaces: Bool = false) -> String {
        pieces(text, marksTrailingSpaces: marksTrailingSpaces).map(\.text).joined()
    }

    /// How `scalar` is shown when it would be invisible; `nil` when it shows as itself.
    public static func escape(_ scalar: Unicode.Scalar) -> String? {
        let value = scalar.value
        if value == 0x09 { return tab }
        if value < 0x20 || (0x7F...0x9F).contains(value) { return "\\x" + hex(value, digits: 2) }
        if value == 0x20 { return nil }
        if (0xFE00...0xFE0F).contains(value) || (0xE0100...0xE01EF).contains(value) { return nil }  // variation selectors
        let properties = scalar.properties
        switch properties.generalCategory {
        case .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .control, .surrogate, .unassigned:
            return "\\u{" + hex(value, digits: 4) + "}"
        default:
            return properties.isDefaultIgnorableCodePoint ? "\\u{" + hex(value, digits: 4) + "}" : nil
        }
    }

    /// A cluster drawn as one emoji: its joiners, tags and selectors are part of the picture.
    private static func isEmojiSequence(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        guard scalars.count > 1, let first = scalars.first, first.properties.isEmoji, first.value > 0x7F else {
            return false
        }
        return !scalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    /// Spaces before the end of the line (and before any tabs there) become `·` markers.
    private static func markTrailingSpaces(_ pieces: inout [Piece]) {
        var index = pieces.count - 1
        while index >= 0 {
            let piece = pieces[index]
            if piece.isMarker {
                guard piece.text.allSatisfy({ String($0) == tab || String($0) == trailingSpace }) else { return }
                index -= 1
                continue
            }
            let kept = piece.text.reversed().drop { $0 == " " }.count
            let trailing = piece.text.count - kept
            var replacement: [Piece] = []
            if kept > 0 { replacement.append(Piece(String(piece.text.prefix(kept)), isMarker: false)) }
            if trailing > 0 { replacement.append(Piece(String(repeating: trailingSpace, count: trailing), isMarker: true)) }
            pieces.replaceSubrange(index...index, with: replacement)
            if kept > 0 { break }
            index -= 1
        }
        var merged: [Piece] = []
        for piece in pieces {
            if let last = merged.last, last.isMarker == piece.isMarker {
                merged[merged.count - 1].text += piece.text
            } else {
                merged.append(piece)
            }
        }
        pieces = merged
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: digits > 2)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}

private extension Character {
    var isASCIIControl: Bool { asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false }
}
