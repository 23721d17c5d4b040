/// One terminal cell: a grapheme cluster and its style, as plain data (`Glyph`, D186).
///
/// A wide (2-column) character occupies its cell and marks the next one as a continuation.
public struct Cell: Sendable, Hashable {
    public var glyph: Glyph
    public var style: Style
    /// True for the right half of a wide character (drawn by the cell to its left).
    public var isContinuation: Bool
    /// Fills what would be the two padding bytes at the end of the cell, always 0: a cell's
    /// 24 bytes then say everything about it, so the diff compares rows with `memcmp` (D186)
    /// whatever was left in the padding by the code that built the cell (D195).
    private var zero: UInt16 = 0

    public init(_ character: Character = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.init(glyph: Glyph(character), style: style, isContinuation: isContinuation)
    }

    public init(glyph: Glyph, style: Style = .plain, isContinuation: Bool = false) {
        self.glyph = glyph
        self.style = style
        self.isContinuation = isContinuation
    }

    /// The cell's grapheme cluster (as its glyph keeps it).
    public var character: Character {
        get { glyph.character }
        set { glyph = Glyph(newValue) }
    }

    public static let blank = Cell(glyph: .space)
}

/// An in-memory grid of cells that views draw into; the backend writes only what changed.
public struct ScreenBuffer: Sendable, Equatable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
    }

    /// The whole buffer as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
    }

    /// Resets every cell to `cell`.
    public mutating func clear(to cell: Cell = .blank) {
        for index in cells.indices { cells[index] = cell }
    }

    /// Fills a rectangle (clipped to the buffer) with spaces in `style`.
    public mutating func fill(_ rect: Rect, style: Style) {
        let area = clip(rect)
        let (x0, x1, y0, y1) = (area.x, area.maxX, area.y, area.maxY)
        guard x0 < x1, y0 < y1 else { return }
        if x0 > 0 { repairWideCharacter(before: x0, y: y0..<y1) }
        if x1 < width { repairContinuation(at: x1, y: y0..<y1) }
        let blank = Cell(glyph: .space, style: style)
        for y in y0..<y1 {
            let row = y * width
            for x in x0..<x1 { cells[row + x] = blank }
        }
    }

    /// Writes `text` at (x, y) on one line, clipped to `maxX` (default: buffer edge).
    /// Control characters are skipped; a wide character that does not fit becomes a space.
    /// Returns the column after the last written cell.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style, maxX: Int? = nil) -> Int {
        putCharacters(text, x: x, y: y, style: style, maxX: maxX)
    }

    /// The same for a `String`: every frame draws the whole screen through here, and the
    /// generic form, unspecialized across modules, iterated characters through witness
    /// tables (D149).
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style, maxX: Int? = nil) -> Int {
        var contiguous = text
        return contiguous.withUTF8 { putMixed($0, of: text, x: x, y: y, style: style, maxX: maxX) }
    }

    /// The same for a `Substring`.
    @discardableResult
    public mutating func put(_ text: Substring, x: Int, y: Int, style: Style, maxX: Int? = nil) -> Int {
        var contiguous = text
        return contiguous.withUTF8 { putMixed($0, of: text, x: x, y: y, style: style, maxX: maxX) }
    }

    /// `putCharacters` with a fast path for printable ASCII (most of a screen: code, English,
    /// the sidebar and the meter, D181): a printable ASCII byte followed by another ASCII byte
    /// (or by nothing) is a whole character of one column, so its `Glyph` is made from the
    /// byte without grapheme breaking or a width lookup; anything else is taken as the
    /// `Character` that starts there, exactly as `putCharacters` does. `bytes` is `text`'s UTF-8. A text
    /// starting left of the buffer takes the general path.
    private mutating func putMixed<S: StringProtocol>(_ bytes: UnsafeBufferPointer<UInt8>, of text: S, x: Int, y: Int,
                                                      style: Style, maxX: Int?) -> Int {
        guard y >= 0, y < height else { return x }
        guard x >= 0 else { return putCharacters(text, x: x, y: y, style: style, maxX: maxX) }
        let limit = min(maxX ?? width, width)
        let width = self.width
        let row = y * width
        // On the storage itself: `set` through the array checked its uniqueness and bounds
        // for every cell (a quarter of a frame's instructions, D187). `limit <= width` and
        // `y < height` keep every index inside the row.
        return cells.withUnsafeMutableBufferPointer { grid in
            var offset = 0
            var column = x
            while offset < bytes.count, column < limit {
                let byte = bytes[offset]
                if byte >= 0x20, byte <= 0x7E, offset + 1 == bytes.count || bytes[offset + 1] < 0x80 {
                    Self.store(Cell(glyph: Glyph(ascii: byte), style: style), x: column, row: row, width: width, in: grid)
                    column += 1
                    offset += 1
                    continue
                }
                let index = text.utf8.index(text.startIndex, offsetBy: offset)
                let after = text.index(after: index)
                let character = text[index]
                offset += text.utf8.distance(from: index, to: after)
                let w = DisplayWidth.of(character)
                if w == 0 { continue }
                if w == 2 && column + 1 >= limit {
                    Self.store(Cell(glyph: .space, style: style), x: column, row: row, width: width, in: grid)
                    return column + 1
                }
                Self.store(Cell(character, style: style), x: column, row: row, width: width, in: grid)
                if w == 2 {
                    Self.store(Cell(glyph: .space, style: style, isContinuation: true), x: column + 1, row: row,
                               width: width, in: grid)
                }
                column += w
            }
            return column
        }
    }

    /// The one implementation, specialized in this module for each form above.
    private mutating func putCharacters(_ text: some StringProtocol, x: Int, y: Int, style: Style, maxX: Int?) -> Int {
        guard y >= 0, y < height else { return x }
        let limit = min(maxX ?? width, width)
        var column = x
        for character in text {
            if column >= limit { break }
            let w = DisplayWidth.of(character)
            if w == 0 { continue }
            if column < 0 { column += w; continue }
            if w == 2 && column + 1 >= limit {
                set(x: column, y: y, Cell(" ", style: style))
                column += 1
                break
            }
            set(x: column, y: y, Cell(character, style: style))
            if w == 2 { set(x: column + 1, y: y, Cell(glyph: .space, style: style, isContinuation: true)) }
            column += w
        }
        return column
    }

    /// The cells of `rect` (clipped to the buffer), row by row.
    public func cells(in rect: Rect) -> [Cell] {
        let clipped = clip(rect)
        var result: [Cell] = []
        result.reserveCapacity(clipped.width * clipped.height)
        for y in clipped.y..<clipped.maxY {
            result.append(contentsOf: cells[(y * width + clipped.x)..<(y * width + clipped.maxX)])
        }
        return result
    }

    /// Writes back cells taken with `cells(in:)` from the same rectangle of a buffer of the
    /// same size; anything else is ignored. The rectangle's edges must not cut a wide
    /// character (a pane's do not: its border column is narrow).
    public mutating func paste(_ saved: [Cell], in rect: Rect) {
        let clipped = clip(rect)
        guard saved.count == clipped.width * clipped.height, clipped.width > 0 else { return }
        var source = 0
        for y in clipped.y..<clipped.maxY {
            let start = y * width + clipped.x
            cells.replaceSubrange(start..<(start + clipped.width), with: saved[source..<(source + clipped.width)])
            source += clipped.width
        }
    }

    /// Moves the cells of `rect` up by `rows` and fills the rows it vacates with `fill`, as a
    /// terminal scrolls a region (D194). The rectangle's edges must not cut a wide character.
    public mutating func scrollUp(_ rect: Rect, by rows: Int, fill: Cell) {
        let area = clip(rect)
        guard rows > 0, area.width > 0 else { return }
        let width = self.width
        cells.withUnsafeMutableBufferPointer { grid in
            guard let base = grid.baseAddress else { return }
            for y in area.y..<area.maxY {
                let target = base + y * width + area.x
                if y + rows < area.maxY {
                    target.update(from: base + (y + rows) * width + area.x, count: area.width)
                } else {
                    target.update(repeating: fill, count: area.width)
                }
            }
        }
    }

    /// `rect` clipped to the buffer (empty when outside it).
    private func clip(_ rect: Rect) -> Rect {
        let x0 = max(0, rect.x), x1 = min(width, rect.maxX)
        let y0 = max(0, rect.y), y1 = min(height, rect.maxY)
        return Rect(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }

    /// Changes the style of existing cells in a rectangle, keeping their characters.
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        let area = clip(rect)
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { cells[y * width + x].style = transform(cells[y * width + x].style) }
        }
    }

    /// Sets one cell, keeping wide characters whole: overwriting either half of a wide
    /// character turns its other half into a space.
    public mutating func set(x: Int, y: Int, _ cell: Cell) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let (row, width) = (y * self.width, self.width)
        cells.withUnsafeMutableBufferPointer { Self.store(cell, x: x, row: row, width: width, in: $0) }
    }

    /// `set` on the storage, for an `x` inside a row starting at `row`.
    @inline(__always)
    private static func store(_ cell: Cell, x: Int, row: Int, width: Int, in grid: UnsafeMutableBufferPointer<Cell>) {
        let index = row + x
        if grid[index].isContinuation && !cell.isContinuation && x > 0 {
            grid[index - 1] = Cell(glyph: .space, style: grid[index - 1].style)
        }
        if !cell.isContinuation && x + 1 < width && grid[index + 1].isContinuation
            && DisplayWidth.of(grid[index].character) == 2 {
            grid[index + 1] = Cell(glyph: .space, style: grid[index + 1].style)
        }
        grid[index] = cell
    }

    private mutating func repairWideCharacter(before x: Int, y rows: Range<Int>) {
        for y in rows where cells[y * width + x].isContinuation {
            cells[y * width + x - 1] = Cell(glyph: .space, style: cells[y * width + x - 1].style)
        }
    }

    private mutating func repairContinuation(at x: Int, y rows: Range<Int>) {
        for y in rows where cells[y * width + x].isContinuation {
            cells[y * width + x] = Cell(glyph: .space, style: cells[y * width + x].style)
        }
    }

    /// The text of row `y`, continuation cells skipped, trailing spaces kept.
    public func line(_ y: Int) -> String {
        var text = ""
        text.reserveCapacity(width)
        for x in 0..<width where !cells[y * width + x].isContinuation {
            text.append(cells[y * width + x].character)
        }
        return text
    }

    /// Every row as text with trailing spaces trimmed (for snapshots and assertions).
    public var textLines: [String] {
        (0..<height).map { y in
            var text = line(y)
            while text.last == " " { text.removeLast() }
            return text
        }
    }
}
