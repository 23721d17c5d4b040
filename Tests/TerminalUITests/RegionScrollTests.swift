import Testing
import TerminalUI

/// D194: a region's cells moved up on the terminal and in the last frame alike, so the diff
/// sends only what the move did not bring, and the screen still ends up as the frame.
@Suite(.timeLimit(.minutes(1))) struct RegionScrollTests {
    static let region = Rect(x: 1, y: 0, width: 30, height: 12)

    static func line(_ random: inout SplitMix) -> String {
        let words = ["tok", "a", "wide 界", "emoji 👍🏽", "x", "longer word", ""]
        return (0..<4).map { _ in words.randomElement(using: &random)! }.joined(separator: " ")
    }

    /// A 40x14 screen: text rows in `region`, a sidebar column at x 32, a status row below.
    static func frame(rows: [String], side: String, status: String) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: 40, height: 14)
        for (y, text) in rows.enumerated() {
            _ = buffer.put(text, x: region.x, y: y, style: .plain, maxX: region.maxX)
        }
        _ = buffer.put(side, x: 32, y: 3, style: .plain, maxX: 40)
        _ = buffer.put(status, x: 0, y: 13, style: Style(attributes: .reverse), maxX: 40)
        return buffer
    }

    @Test func scrollUpMovesOnlyTheRegionsCellsAndFillsTheRowsItLeaves() {
        var buffer = Self.frame(rows: (0..<12).map { "row \($0)" }, side: "side", status: "status")
        buffer.scrollUp(Self.region, by: 3, fill: Cell("#"))
        #expect(buffer.textLines[0].hasPrefix(" row 3"))
        #expect(buffer.textLines[8].hasPrefix(" row 11"))
        #expect(buffer.textLines[9].hasPrefix(" " + String(repeating: "#", count: 30)))
        #expect(buffer.textLines[3].hasSuffix("side"))  // outside the region: in place
        #expect(buffer.textLines[13].hasPrefix("status"))
        #expect(buffer[0, 11].character == " ")  // the column left of the region is not moved
    }

    /// 300 frames: the region's rows move up 0-4 rows, new rows come in at the bottom and
    /// other cells change anywhere. The test terminal, moved and then sent the diff, always
    /// shows the new frame, and a frame that only moved sends only its new rows.
    @Test func aMovedTerminalSentTheDiffAgainstTheMovedFrameShowsTheNewFrame() {
        var random = SplitMix(state: 16)
        var rows = (0..<12).map { _ in Self.line(&random) }
        var backend = TestBackend(columns: 40, rows: 14)
        var differ = FrameDiffer()
        backend.draw(differ.changes(to: Self.frame(rows: rows, side: "s", status: "0")), cursor: nil)
        for step in 1...300 {
            let moved = Int.random(in: 0...4, using: &random)
            rows = Array(rows.dropFirst(moved)) + (0..<moved).map { _ in Self.line(&random) }
            // Now and then the new rows repeat the rows they replace: they must be sent anyway.
            if step % 10 == 0, moved > 0 { rows[12 - moved] = rows[11 - moved] }
            // Every third frame changes the sidebar and the status, the next one changes them back.
            let changesElsewhere = step % 3 == 0
            let frame = Self.frame(rows: rows, side: changesElsewhere ? "s\(step)" : "s",
                                   status: changesElsewhere ? "\(step)" : "0")
            let before = backend.cellsWritten
            if moved > 0 {
                let scroll = RegionScroll(rect: Self.region, rows: moved)
                let moves = backend.scroll(scroll)
                #expect(moves)
                differ.scroll(scroll)
            }
            backend.draw(differ.changes(to: frame), cursor: nil)
            let shown = backend.screen == frame
            #expect(shown, "step \(step): \(backend.screen.textLines)")
            if step % 3 == 2 && moved > 0 {
                #expect(backend.cellsWritten - before <= moved * Self.region.width, "step \(step)")
            }
        }
    }

    @Test func aScrollThatDoesNotFitMovesNothing() {
        var backend = TestBackend(columns: 40, rows: 14)
        var differ = FrameDiffer()
        backend.draw(differ.changes(to: Self.frame(rows: ["a"], side: "s", status: "0")), cursor: nil)
        let screen = backend.screen
        for scroll in [RegionScroll(rect: Self.region, rows: 0), RegionScroll(rect: Self.region, rows: 12),
                       RegionScroll(rect: Rect(x: 20, y: 0, width: 30, height: 12), rows: 1)] {
            let moves = backend.scroll(scroll)
            #expect(!moves)
        }
        #expect(backend.screen == screen)
    }
}
