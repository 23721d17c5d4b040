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
}
