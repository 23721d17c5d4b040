import AgentCore
@testable import App
import Testing
import TerminalUI

/// The laid-out lines kept between frames do not grow with the session (issue 16).
@Suite(.timeLimit(.minutes(2))) struct LayoutCacheTests {
    /// `turns` turns, a frame drawn after each, as the app draws them.
    func session(turns: Int, renderer: inout FrameRenderer) -> AppState {
        var state = AppState(size: TerminalSize(columns: 100, rows: 30), provider: Scenes.activeProvider)
        for turn in 1...turns {
            Scenes.type("question \(turn)", into: &state)
            Scenes.apply([.key(.enter), .turn(.text(turn: turn, "Answer \(turn), **in markdown**.")),
                          .turn(.finished(turn: turn, .stop, elapsedSeconds: 0.1))], to: &state)
            _ = renderer.render(state)
        }
        return state
    }

    /// `turns` turns whose replies are `lines` lines long each.
    func longSession(turns: Int, lines: Int, renderer: inout FrameRenderer) -> AppState {
        var state = AppState(size: TerminalSize(columns: 100, rows: 30), provider: Scenes.activeProvider)
        for turn in 1...turns {
            Scenes.type("question \(turn)", into: &state)
            let reply = (1...lines).map { "Answer \(turn) line \($0)" }.joined(separator: "\n\n")
            Scenes.apply([.key(.enter), .turn(.text(turn: turn, reply)),
                          .turn(.finished(turn: turn, .stop, elapsedSeconds: 0.1))], to: &state)
            _ = renderer.render(state)
        }
        return state
    }

    @Test func theCacheIsBoundedByLinesNotByTheSessionsLength() {
        var renderer = FrameRenderer()
        let state = session(turns: 300, renderer: &renderer)
        #expect(state.entries.count == 600)
        // The screen's 30 rows and the entries around them, plus the scrollback allowance.
        #expect(renderer.cachedLineCount <= 40 + ChatLayoutCache.scrollbackLines)

        var long = FrameRenderer()
        _ = longSession(turns: 50, lines: 40, renderer: &long)
        // 50 replies of 79 lines (40 paragraphs) would be nearly 4,000 lines.
        #expect(long.cachedLineCount <= 2 * 80 + ChatLayoutCache.scrollbackLines)
    }

    @Test func scrollingBackLaysOutEvictedEntriesAgainWithTheSameLines() {
        var renderer = FrameRenderer()
        var state = longSession(turns: 30, lines: 20, renderer: &renderer)
        state.scrollOffset = 10_000
        let top = renderer.render(state).frame
        var blank = FrameRenderer()
        let fresh = blank.render(state).frame
        #expect(top == fresh)
        #expect(top.textLines.contains { $0.contains("Answer 1 line 1") })
        // Back at the tail, the top's entries are evicted; scrolling up again draws them as before.
        state.scrollOffset = 0
        _ = renderer.render(state)
        #expect(renderer.cachedLineCount <= 2 * 40 + ChatLayoutCache.scrollbackLines)
        state.scrollOffset = 10_000
        #expect(renderer.render(state).frame == fresh)
    }

    @Test func clearAndNewReleaseTheCache() {
        for command in ["/clear", "/new"] {
            var renderer = FrameRenderer()
            var state = session(turns: 20, renderer: &renderer)
            #expect(renderer.cachedEntryCount > 0)
            Scenes.type(command, into: &state)
            Scenes.apply([.key(.enter)], to: &state)
            _ = renderer.render(state)
            #expect(renderer.cachedEntryCount == state.entries.count, "\(command)")
            #expect(renderer.cachedEntryCount <= 1, "\(command)")
        }
    }

    @Test func aResizeReleasesTheLinesOfTheOldWidth() {
        var renderer = FrameRenderer()
        var state = session(turns: 40, renderer: &renderer)
        // Scrolled to the top once: every entry was laid out at 100 columns.
        state.scrollOffset = 10_000
        _ = renderer.render(state)
        #expect(renderer.cachedEntryCount == 80)
        state.scrollOffset = 0
        _ = Reducer.reduce(&state, .resize(TerminalSize(columns: 60, rows: 20)))
        _ = renderer.render(state)
        // Only what the new screen shows is laid out, at the new width.
        #expect(renderer.cachedEntryCount < 20)
    }
}
