/// A styled tmux capture (`capture-pane -e`) read back into cells, so two captures of the
/// same picture compare equal however tmux encoded them (it writes trailing blanks and
/// resets differently for cells that were drawn and cells that were cleared).
struct StyledGrid: Equatable {
    struct Style: Hashable {
        /// SGR colour parameters (`"38;5;247"`, `"31"`), empty for the default colour.
        var foreground = ""
        var background = ""
        /// SGR attribute codes: 1 bold, 2 dim, 3 italic, 4 underline, 7 reverse, …
        var attributes: Set<Int> = []
    }

    struct Cell: Equatable {
        var character: Character
        var style: Style
    }

    var rows: [[Cell]]

    init(capture: String) {
        var style = Style()
        rows = capture.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var cells: [Cell] = []
            var rest = Substring(line)
            while let character = rest.first {
                if character == "\u{1B}", rest.dropFirst().first == "[",
                   let end = rest.firstIndex(where: { $0.isLetter && $0 != "[" }) {
                    if rest[end] == "m" { Self.apply(rest[rest.index(rest.startIndex, offsetBy: 2)..<end], to: &style) }
                    rest = rest[rest.index(after: end)...]
                    continue
                }
                cells.append(Cell(character: character, style: style))
                rest = rest.dropFirst()
            }
            while let last = cells.last, last.character == " ", last.style.background.isEmpty,
                  last.style.attributes.isDisjoint(with: [4, 7]) {
                cells.removeLast()
            }
            return cells
        }
        while rows.last?.isEmpty == true { rows.removeLast() }
    }

    /// Applies one SGR sequence's parameters to `style`.
    static func apply(_ parameters: Substring, to style: inout Style) {
        var codes = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
        if codes.isEmpty { codes = [0] }
        var index = 0
        while index < codes.count {
            let code = codes[index]
            index += 1
            switch code {
            case 0: style = Style()
            case 38, 48:
                let length = codes.dropFirst(index).first == 5 ? 2 : 4
                let colour = ([code] + codes.dropFirst(index).prefix(length)).map(String.init).joined(separator: ";")
                if code == 38 { style.foreground = colour } else { style.background = colour }
                index += length
            case 30...37, 90...97: style.foreground = String(code)
            case 39: style.foreground = ""
            case 40...47, 100...107: style.background = String(code)
            case 49: style.background = ""
            case 22: style.attributes.subtract([1, 2])
            case 23...29: style.attributes.remove(code - 20)
            default: style.attributes.insert(code)
            }
        }
    }

    /// The rows that differ, as `row N` lines for a failure message.
    func differences(from other: StyledGrid) -> [String] {
        (0..<max(rows.count, other.rows.count)).compactMap { index in
            let mine = index < rows.count ? rows[index] : []
            let theirs = index < other.rows.count ? other.rows[index] : []
            guard mine != theirs else { return nil }
            return "row \(index): \(String(mine.map(\.character))) | \(String(theirs.map(\.character)))"
        }
    }
}
