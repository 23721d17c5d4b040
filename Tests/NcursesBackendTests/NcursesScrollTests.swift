import CNcursesw
import Glibc
import Testing
import TerminalUI
@testable import NcursesBackend

/// D194 against real curses: after `scroll` and the diff taken against the moved frame, the
/// screen curses holds is the new frame, cell by cell, inside the region and around it.
/// (In the serialized suite: curses is one global screen.)
extension NcursesClusterTests {
    @Test func cursesMovedByScrollHoldsTheNewFrameAfterTheDiff() throws {
        let output = try #require(fopen("/dev/null", "w"))
        let input = try #require(fopen("/dev/null", "r"))
        defer { fclose(output); fclose(input) }
        let terminal = try NcursesTerminal(term: "xterm-256color", output: output, input: input,
                                           outputDescriptor: fileno(output))
        defer { terminal.shutdown() }
        let size = terminal.size  // terminfo's 80x24 off a terminal
        let region = Rect(x: 1, y: 0, width: 60, height: size.rows - 2)
        func frame(_ first: Int, side: String) -> ScreenBuffer {
            var buffer = ScreenBuffer(width: size.columns, height: size.rows)
            for y in 0..<region.height {
                _ = buffer.put("line \(first + y): wide 界 and 👍🏽 \(String(repeating: "~", count: (first + y) % 9))",
                               x: region.x, y: y, style: .plain, maxX: region.maxX)
            }
            _ = buffer.put(side, x: 63, y: 2, style: Style(attributes: .bold), maxX: size.columns)
            return buffer
        }
        var differ = FrameDiffer()
        terminal.draw(differ.changes(to: frame(0, side: "sidebar")), cursor: nil)
        var first = 0
        for (moved, side) in [(1, "sidebar"), (3, "sidebar"), (2, "other"), (4, "other")] {
            first += moved
            let scroll = RegionScroll(rect: region, rows: moved)
            #expect(terminal.scroll(scroll))
            differ.scroll(scroll)
            let next = frame(first, side: side)
            let runs = differ.changes(to: next)
            terminal.draw(runs, cursor: nil)
            if side == "sidebar" {
                #expect(runs.allSatisfy { $0.y >= region.maxY - moved }, "only the new rows are sent")
            }
            var wrong: [String] = []
            for y in 0..<size.rows {
                for x in 0..<size.columns where !next[x, y].isContinuation {
                    let expected = next[x, y].glyph.scalars
                    if terminal.storedScalars(x: x, y: y) != expected { wrong.append("(\(x),\(y))") }
                }
            }
            #expect(wrong.isEmpty, "after moving \(moved): cells \(wrong.prefix(10))")
        }
    }
}
