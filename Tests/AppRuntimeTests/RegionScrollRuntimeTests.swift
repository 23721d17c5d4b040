import AgentCore
import App
import AppRuntime
import Testing
import TerminalUI

/// D194: while a reply streams, the chat's rows move up on the terminal instead of being
/// written again. Every frame the terminal shows must still be exactly the frame rendered.
extension FrameRateTests {
    /// Streams prose that wraps onto new rows, one word per 5 ms for 3 s; after every frame
    /// compares the terminal's cells with a fresh drawing of the state. Returns the cells the
    /// terminal was sent and how many frames differed.
    func streamProse(movingRegions: Bool) async -> (cellsWritten: Int, scrolls: Int, mismatches: Int) {
        let app = await start()
        app.terminal.movesRegions = movingRegions
        let turn = await submit(app)
        await settle(app)
        let written = app.terminal.backend.cellsWritten
        var mismatches = 0
        let runtime = app.runtime, terminal = app.terminal
        terminal.onDraw = {
            var fresh = FrameRenderer()
            if terminal.backend.screen != fresh.render(runtime.state).frame { mismatches += 1 }
        }
        let words = ["streaming", "a", "reply", "moves", "the", "chat", "up", "by", "one", "row", "whenever",
                     "its", "last", "line", "wraps;", "these", "words", "have", "different", "lengths"]
        for index in 0..<600 {
            app.engine.channel.send(.text(turn: turn, words[(index * 7) % words.count] + "\(index % 13) "))
            let expected = "\(index % 13) "
            #expect(await soon { streamedText(app).hasSuffix(expected) })
            app.clock.advance(by: .milliseconds(5))
            await Task.yield()
        }
        await settle(app)
        app.terminal.onDraw = nil
        let result = (app.terminal.backend.cellsWritten - written, app.terminal.backend.scrolls, mismatches)
        await finish(app)
        return result
    }

    @Test func aStreamingReplyMovesTheChatsRowsAndEveryFrameStaysExact() async {
        let moved = await streamProse(movingRegions: true)
        let rewritten = await streamProse(movingRegions: false)
        #expect(moved.mismatches == 0 && rewritten.mismatches == 0)
        #expect(moved.scrolls >= 20, "the reply wrapped onto new rows \(moved.scrolls) times")
        #expect(rewritten.scrolls == 0)
        // Rows moved on the terminal are not sent again: a fraction of the cells.
        #expect(moved.cellsWritten * 3 < rewritten.cellsWritten, "\(moved.cellsWritten) against \(rewritten.cellsWritten)")
    }
}
