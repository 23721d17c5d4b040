/// What the app needs from a terminal. The ncurses backend implements it; tests use
/// `TestBackend`, which keeps the cells in memory.
public protocol TerminalBackend {
    /// The current size in cells.
    var size: TerminalSize { get }
    /// Writes runs of cells (only what changed) and places the cursor.
    mutating func draw(_ runs: [CellRun], cursor: (x: Int, y: Int)?)
    /// Moves the cells of `scroll.rect` up by `scroll.rows` (what the next `draw` leaves in
    /// the vacated rows is up to it), or returns false and moves nothing (D194).
    mutating func scroll(_ scroll: RegionScroll) -> Bool
}

/// A rectangle of the screen whose content moved up by `rows` since the last frame (the
/// chat following a streaming reply): the terminal moves those cells instead of being sent
/// every one of them again (D194).
public struct RegionScroll: Sendable, Equatable {
    public var rect: Rect
    public var rows: Int

    public init(rect: Rect, rows: Int) {
        self.rect = rect
        self.rows = rows
    }

    /// Whether it moves something and lies inside a `width` x `height` screen.
    public func fits(width: Int, height: Int) -> Bool {
        rows > 0 && rows < rect.height && rect.width > 0 && rect.x >= 0 && rect.y >= 0
            && rect.maxX <= width && rect.maxY <= height
    }
}

/// An in-memory terminal for tests: applies runs to a buffer and counts what was written.
public struct TestBackend: TerminalBackend {
    public var size: TerminalSize
    public private(set) var screen: ScreenBuffer
    public private(set) var cellsWritten = 0
    public private(set) var cursor: (x: Int, y: Int)?
    /// Region scrolls done (D194).
    public private(set) var scrolls = 0

    public init(columns: Int, rows: Int) {
        size = TerminalSize(columns: columns, rows: rows)
        screen = ScreenBuffer(width: columns, height: rows)
    }

    public mutating func draw(_ runs: [CellRun], cursor: (x: Int, y: Int)?) {
        if screen.width != size.columns || screen.height != size.rows {
            screen = ScreenBuffer(width: size.columns, height: size.rows)
        }
        for run in runs {
            for (offset, cell) in run.cells.enumerated() { screen.set(x: run.x + offset, y: run.y, cell) }
            cellsWritten += run.cells.count
        }
        self.cursor = cursor
    }

    /// Moves the cells as a terminal would; the vacated rows show `¤` until they are drawn,
    /// so a frame that leaves them unwritten shows on the test's screen.
    public mutating func scroll(_ scroll: RegionScroll) -> Bool {
        guard scroll.fits(width: screen.width, height: screen.height) else { return false }
        screen.scrollUp(scroll.rect, by: scroll.rows, fill: Cell("¤"))
        scrolls += 1
        return true
    }
}

/// Keeps the last frame and turns each new one into the minimal runs to write.
public struct FrameDiffer: Sendable {
    private var previous: ScreenBuffer?

    public init() {}

    /// The runs that turn the previous frame into `frame`; remembers `frame`.
    public mutating func changes(to frame: ScreenBuffer) -> [CellRun] {
        let runs = frame.diff(from: previous)
        previous = frame
        return runs
    }

    /// Moves the last frame's cells as the terminal just moved its own (`TerminalBackend.scroll`),
    /// the vacated rows unknown, so the next `changes` holds only what the move did not bring.
    public mutating func scroll(_ scroll: RegionScroll) {
        guard var moved = previous, scroll.fits(width: moved.width, height: moved.height) else { return }
        previous = nil // the buffer is moved in place, not copied
        moved.scrollUp(scroll.rect, by: scroll.rows, fill: Cell(glyph: .unknown))
        previous = moved
    }

    /// Forgets the last frame so the next one is written whole (after a resize or redraw).
    public mutating func invalidate() { previous = nil }
}
