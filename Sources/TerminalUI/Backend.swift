/// What the app needs from a terminal. The ncurses backend implements it; tests use
/// `TestBackend`, which keeps the cells in memory.
public protocol TerminalBackend {
    /// The current size in cells.
    var size: TerminalSize { get }
    /// Writes runs of cells (only what changed) and places the cursor.
    mutating func draw(_ runs: [CellRun], cursor: (x: Int, y: Int)?)
}

/// An in-memory terminal for tests: applies runs to a buffer and counts what was written.
public struct TestBackend: TerminalBackend {
    public var size: TerminalSize
    public private(set) var screen: ScreenBuffer
    public private(set) var cellsWritten = 0
    public private(set) var cursor: (x: Int, y: Int)?

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

    /// Forgets the last frame so the next one is written whole (after a resize or redraw).
    public mutating func invalidate() { previous = nil }
}
