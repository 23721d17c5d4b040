import Testing
@testable import TerminalUI

@Suite(.timeLimit(.minutes(2))) struct BufferDiffTests {
    @Test func firstFrameIsWrittenWhole() {
        let frame = ScreenBuffer(width: 4, height: 2)
        let runs = frame.diff(from: nil)
        #expect(runs.count == 2)
        #expect(runs.map(\.cells.count) == [4, 4])
    }

    @Test func identicalFramesProduceNoRuns() {
        var frame = ScreenBuffer(width: 10, height: 3)
        frame.put("same", x: 0, y: 1, style: .plain)
        #expect(frame.diff(from: frame).isEmpty)
    }

    @Test func onlyChangedCellsAreEmitted() {
        var before = ScreenBuffer(width: 20, height: 3)
        before.put("hello world", x: 0, y: 1, style: .plain)
        var after = before
        after.put("W", x: 6, y: 1, style: .plain)
        after.put("!", x: 19, y: 2, style: .plain)
        let runs = after.diff(from: before)
        #expect(runs == [
            CellRun(x: 6, y: 1, cells: [Cell("W")]),
            CellRun(x: 19, y: 2, cells: [Cell("!")]),
        ])
    }

    @Test func styleChangeAloneIsAChange() {
        var before = ScreenBuffer(width: 5, height: 1)
        before.put("abc", x: 0, y: 0, style: .plain)
        var after = before
        after.put("b", x: 1, y: 0, style: Style(attributes: .bold))
        let runs = after.diff(from: before)
        #expect(runs.count == 1)
        #expect(runs[0].x == 1)
        #expect(runs[0].cells.count == 1)
        #expect(runs[0].cells[0].style.attributes == .bold)
    }

    @Test func changedWideCharacterIsSentWhole() {
        var before = ScreenBuffer(width: 6, height: 1)
        before.put("你好", x: 0, y: 0, style: .plain)
        var after = before
        after.put("世", x: 2, y: 0, style: .plain)
        let runs = after.diff(from: before)
        #expect(runs.count == 1)
        #expect(runs[0].x == 2)
        #expect(runs[0].cells.map(\.character) == ["世", " "])
        #expect(runs[0].cells[1].isContinuation)
    }

    @Test func resizedFrameIsWrittenWhole() {
        let small = ScreenBuffer(width: 4, height: 2)
        let large = ScreenBuffer(width: 5, height: 2)
        #expect(large.diff(from: small).reduce(0) { $0 + $1.cells.count } == 10)
    }

    @Test func applyingTheDiffReproducesTheFrame() {
        var backend = TestBackend(columns: 30, rows: 4)
        var differ = FrameDiffer()
        var frame = ScreenBuffer(width: 30, height: 4)
        frame.put("first 你好 🙂", x: 0, y: 0, style: .plain)
        backend.draw(differ.changes(to: frame), cursor: nil)
        let written = backend.cellsWritten
        frame.put("second line", x: 2, y: 2, style: Style(foreground: .green))
        frame.put("好你", x: 6, y: 0, style: .plain)
        backend.draw(differ.changes(to: frame), cursor: nil)
        #expect(backend.screen == frame)
        #expect(backend.cellsWritten - written < 20)
    }

    /// D195: the diff skips a row whose bytes equal the last frame's. A cell has no padding
    /// (its bytes are all fields), so equal cells have equal bytes however they were built.
    @Test func aCellIsAllFieldsSoEqualCellsHaveEqualBytes() {
        #expect(MemoryLayout<Cell>.size == MemoryLayout<Cell>.stride)
        var garbage = [UInt8](repeating: 0xA5, count: MemoryLayout<Cell>.stride * 4)
        let built: [Cell] = garbage.withUnsafeMutableBytes { raw in
            let cells = raw.bindMemory(to: Cell.self)
            for index in cells.indices {
                (cells.baseAddress! + index).initialize(to: Cell("x", style: Style(foreground: index % 2 == 0 ? .default : .ansi(3))))
            }
            return Array(cells)
        }
        let again = [Cell("x", style: Style(foreground: .default)), Cell("x", style: Style(foreground: .ansi(3)))]
        for (index, cell) in built.enumerated() {
            var (left, right) = (cell, again[index % 2])
            let same = withUnsafeBytes(of: &left) { a in withUnsafeBytes(of: &right) { b in a.elementsEqual(b) } }
            #expect(same, "cell \(index)")
        }
    }
}
