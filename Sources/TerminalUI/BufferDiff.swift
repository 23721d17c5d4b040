import Glibc

/// A run of changed cells on one row, in column order, to write at (x, y).
public struct CellRun: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var cells: [Cell]

    public init(x: Int, y: Int, cells: [Cell]) {
        self.x = x
        self.y = y
        self.cells = cells
    }
}

extension ScreenBuffer {
    /// The runs of cells that differ from `previous`. With a different size everything
    /// differs (the terminal was resized and must be repainted).
    ///
    /// A wide character whose continuation changed is re-sent whole, and a run never
    /// starts on a continuation cell, so the terminal never sees half a character.
    public func diff(from previous: ScreenBuffer?) -> [CellRun] {
        guard let previous, previous.width == width, previous.height == height else {
            return (0..<height).map { y in CellRun(x: 0, y: y, cells: Array(cells[(y * width)..<((y + 1) * width)])) }
        }
        var runs: [CellRun] = []
        let (columns, rows) = (width, height)
        // On the storage: the cells are plain data (D186) and both buffers have this size.
        cells.withUnsafeBufferPointer { now in
            previous.cells.withUnsafeBufferPointer { before in
                for y in 0..<rows {
                    let row = y * columns
                    var x = Self.firstDifference(in: row..<(row + columns), now, before) - row
                    while x < columns {
                        if now[row + x] == before[row + x] { x += 1; continue }
                        var start = x
                        if now[row + start].isContinuation && start > 0 { start -= 1 }
                        var end = x + 1
                        while end < columns && (now[row + end] != before[row + end] || now[row + end].isContinuation) {
                            end += 1
                        }
                        if let last = runs.last, last.y == y, last.x + last.cells.count >= start {
                            let overlap = last.x + last.cells.count - start
                            runs[runs.count - 1].cells.append(contentsOf: now[(row + start + overlap)..<(row + end)])
                        } else {
                            runs.append(CellRun(x: start, y: y, cells: Array(now[(row + start)..<(row + end)])))
                        }
                        x = end
                    }
                }
            }
        }
        return runs
    }

    private static func firstDifference(in range: Range<Int>, _ now: UnsafeBufferPointer<Cell>,
                                        _ before: UnsafeBufferPointer<Cell>) -> Int {
        // Cells are plain data (D186): a row whose bytes are equal is unchanged. Bytes that
        // differ only in padding fall through to the comparison below.
        if let nowBase = now.baseAddress, let beforeBase = before.baseAddress,
           memcmp(nowBase + range.lowerBound, beforeBase + range.lowerBound,
                  range.count * MemoryLayout<Cell>.stride) == 0 {
            return range.upperBound
        }
        for index in range where now[index] != before[index] { return index }
        return range.upperBound
    }
}
