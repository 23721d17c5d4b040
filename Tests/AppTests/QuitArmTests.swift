import AgentCore
import Testing
import TerminalUI
@testable import App

/// Ctrl-C when idle asks for a second press within 2 s before quitting (issue 14, bug 12).
@Suite(.timeLimit(.minutes(2))) struct QuitArmTests {
    @Test func aFirstCtrlCWhenIdleArmsAndTheInputLineSaysSoTheSecondQuits() {
        var state = Scenes.withProviders(columns: 60, rows: 12)
        #expect(Reducer.reduce(&state, .key(.control("c"))) == [.disarmQuit(arm: 1)])
        #expect(!state.shouldQuit)
        var renderer = FrameRenderer()
        #expect(renderer.render(state).frame.textLines[11] == "› Press Ctrl-C again to quit")
        #expect(Reducer.reduce(&state, .key(.control("c"))) == [.quit])
        #expect(state.shouldQuit)
    }

    @Test func anyOtherKeyDisarms() {
        var state = Scenes.withProviders(columns: 60, rows: 12)
        _ = Reducer.reduce(&state, .key(.control("c")))
        Scenes.type("a", into: &state)
        #expect(state.quitArmed == nil)
        var renderer = FrameRenderer()
        #expect(renderer.render(state).frame.textLines[11] == "› a")
        #expect(Reducer.reduce(&state, .key(.control("c"))) == [.disarmQuit(arm: 2)])
        #expect(!state.shouldQuit)
        // With text typed, the request shows at the end of the input row, the text stays.
        let line = renderer.render(state).frame.textLines[11]
        #expect(line.hasPrefix("› a") && line.hasSuffix("Press Ctrl-C again to quit"))
    }

    @Test func theWindowPassingDisarmsAndAStaleDisarmIsIgnored() {
        var state = Scenes.withProviders(columns: 60, rows: 12)
        _ = Reducer.reduce(&state, .key(.control("c")))
        _ = Reducer.reduce(&state, .quitDisarmed(arm: 1))
        #expect(state.quitArmed == nil)
        var renderer = FrameRenderer()
        #expect(renderer.render(state).frame.textLines[11] == "› Type a prompt · Enter sends · / commands · ? help")
        #expect(Reducer.reduce(&state, .key(.control("c"))) == [.disarmQuit(arm: 2)])
        // The first arm's timer firing late does not disarm the second arm.
        _ = Reducer.reduce(&state, .quitDisarmed(arm: 1))
        #expect(Reducer.reduce(&state, .key(.control("c"))) == [.quit])
    }

    @Test func ctrlDStillQuitsAtOnceOnAnEmptyInput() {
        var state = Scenes.withProviders(columns: 60, rows: 12)
        #expect(Reducer.reduce(&state, .key(.control("d"))) == [.quit])
    }
}
