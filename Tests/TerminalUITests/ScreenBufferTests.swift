import Testing
@testable import TerminalUI

@Suite(.timeLimit(.minutes(2))) struct ScreenBufferTests {
    @Test func putClipsAtTheEdge() {
        var buffer = ScreenBuffer(width: 5, height: 1)
        buffer.put("hello world", x: 2, y: 0, style: .plain)
        #expect(buffer.textLines == ["  hel"])
    }

    @Test func wideCharacterOccupiesTwoCells() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        let end = buffer.put("a你b", x: 0, y: 0, style: .plain)
        #expect(end == 4)
        #expect(buffer[1, 0].character == "你")
        #expect(buffer[2, 0].isContinuation)
        #expect(buffer.line(0) == "a你b  ")
    }

    @Test func wideCharacterThatDoesNotFitBecomesASpace() {
        var buffer = ScreenBuffer(width: 3, height: 1)
        buffer.put("ab你", x: 0, y: 0, style: .plain)
        #expect(buffer.line(0) == "ab ")
        #expect(!buffer[2, 0].isContinuation)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var buffer = ScreenBuffer(width: 4, height: 1)
        buffer.put("你好", x: 0, y: 0, style: .plain)
        buffer.put("x", x: 1, y: 0, style: .plain)  // right half of 你
        #expect(buffer.line(0) == " x好")
        buffer.put("y", x: 2, y: 0, style: .plain)  // left half of 好
        #expect(buffer.line(0) == " xy ")
        #expect(!buffer[3, 0].isContinuation)
    }

    @Test func fillRepairsWideCharactersCutAtItsEdges() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("你好世", x: 0, y: 0, style: .plain)
        buffer.fill(Rect(x: 1, y: 0, width: 2, height: 1), style: .plain)
        #expect(buffer.line(0) == "      ".replacingFirst(4, with: "世"))
    }
}

private extension String {
    /// Helper: a string of spaces with `text` placed at column `column`.
    func replacingFirst(_ column: Int, with text: String) -> String {
        String(repeating: " ", count: column) + text
    }
}
