import CShims

/// Display width of text in terminal columns, by grapheme cluster.
///
/// Uses glibc's `wcwidth` (the same table ncurses and most terminals use), which needs a
/// UTF-8 `LC_CTYPE`; the first call makes sure one is set (falling back to `C.UTF-8`).
public enum DisplayWidth {
    private static let utf8LocaleReady: Bool = sc_setup_utf8_locale() == 1

    /// True when the process locale is UTF-8 (wide characters render correctly).
    public static var localeIsUTF8: Bool { utf8LocaleReady }

    /// Columns one grapheme cluster occupies: 0, 1 or 2.
    @inline(__always)
    public static func of(_ character: Character) -> Int {
        if let ascii = character.asciiValue {
            return ascii >= 0x20 && ascii != 0x7F ? 1 : 0
        }
        return ofCluster(character.unicodeScalars)
    }

    private static func ofCluster(_ scalars: Character.UnicodeScalarView) -> Int {
        _ = utf8LocaleReady
        var width = -1
        var hasEmojiPresentation = false
        var baseIsEmoji = false
        for scalar in scalars {
            if scalar.value == 0xFE0F { hasEmojiPresentation = true; continue }
            if width < 0 {
                let w = Int(sc_wcwidth(scalar.value))
                if w == 0 { continue }  // leading combining mark: look at the next scalar
                width = w < 0 ? (scalar.properties.generalCategory == .control ? 0 : 1) : w
                baseIsEmoji = scalar.properties.isEmoji
            }
        }
        if width < 0 { return 0 }
        // VS16 widens only a character that has an emoji form: `a` + U+FE0F stays one column
        // (a dropped `\r` between them made a wrapped line one column too wide; docs/FUZZING.md).
        if hasEmojiPresentation && width == 1 && baseIsEmoji { return 2 }
        return width
    }

    /// Columns a whole string occupies.
    ///
    /// A scalar that is printable ASCII or in `isLoneBase`'s ranges, followed by another such
    /// scalar (or by nothing), is a grapheme cluster of its own: neither extends, joins or
    /// precedes another (`\r\n`, the one ASCII pair, is 0 columns either way). Those are
    /// measured a scalar at a time; only the clusters around other scalars (marks, joiners,
    /// emoji sequences, Hangul, flags) are broken out as `Character`s (D196).
    public static func of(_ text: String) -> Int { width(of: text) }

    /// Columns a substring occupies (`of(_:)` for `String`).
    public static func of(_ text: Substring) -> Int { width(of: text) }

    /// Columns any other string type occupies.
    public static func of(_ text: some StringProtocol) -> Int { width(of: text) }

    /// The body of the `of` overloads, specialized here for `String` and `Substring`: a
    /// generic call from another module goes through witness tables for every index step.
    private static func width<Text: StringProtocol>(of text: Text) -> Int {
        let scalars = text.unicodeScalars
        var total = 0
        var index = scalars.startIndex
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let next = scalars.index(after: index)
            if isLoneBase(scalar), next == scalars.endIndex || isLoneBase(scalars[next]) {
                if scalar.value < 0x80 {
                    total += scalar.value >= 0x20 && scalar.value != 0x7F ? 1 : 0
                } else {
                    _ = utf8LocaleReady
                    let width = Int(sc_wcwidth(scalar.value))
                    total += width < 0 ? 1 : width  // as `ofCluster`: none of them is a control
                }
                index = next
            } else {
                // `index` starts a cluster: it is the text's start or follows a cluster.
                let character = text[index]
                total += of(character)
                index = scalars.index(index, offsetBy: character.unicodeScalars.count)
            }
        }
        return total
    }

    /// Whether `scalar` is ASCII or in a range whose scalars have the grapheme break property
    /// Other and are no controls (Latin-1 and Latin letters but the soft hyphen, general
    /// punctuation, arrows and technical symbols, box drawing, blocks and shapes: what the
    /// app's own lines use). Their `wcwidth` is 1 or 2.
    @inline(__always)
    private static func isLoneBase(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x80: true
        case 0xA0...0x2FF: scalar.value != 0xAD
        case 0x2010...0x2027, 0x2030...0x205E, 0x2190...0x23FF, 0x2500...0x25FF: true
        default: false
        }
    }

    /// `of(_:)` a `Character` at a time, as it was before D196 (the tests' oracle).
    static func ofCharacterwise(_ text: some StringProtocol) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// `text` when it fits in `columns`, else its longest prefix that fits with a trailing
    /// `…` (so a cut is never silent).
    public static func truncated(_ text: some StringProtocol, toFit columns: Int) -> String {
        guard of(text) > columns else { return String(text) }
        guard columns > 0 else { return "" }
        return prefix(of: text, fitting: columns - 1).0 + "…"
    }

    /// The longest prefix of `text` that fits in `columns`, and its width.
    public static func prefix(of text: some StringProtocol, fitting columns: Int) -> (String, Int) {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let w = of(text[index])
            if used + w > columns { break }
            used += w
            end = text.index(after: index)
        }
        return (String(text[text.startIndex..<end]), used)
    }
}
