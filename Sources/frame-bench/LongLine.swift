import AgentCore
import Glibc
import App
import TerminalUI

/// The reply of `bench/tui_bench.py --stream` replayed without timing noise (issue 16): 2,000
/// tokens (`tokN `, one line) arriving 3 or 4 per frame, 600 frames as at 200 tokens/s and
/// 60 frames/s, each frame rendered and diffed at 120x40. Deterministic, so
/// `valgrind --tool=callgrind` counts the same instructions on every run. Prints figures;
/// asserts nothing. `frame-bench line`; `frame-bench line curses` also hands each frame's
/// changes to the real ncurses backend (writing into a file), as the app does.
enum LongLineBench {
    static func run(curses: Bool) throws {
        let recorded = curses ? try RecordedTerminal(columns: 120, rows: 40) : nil
        let clock = ContinuousClock()
        var state = AppState(size: TerminalSize(columns: 120, rows: 40),
                             provider: ActiveProvider(name: "bench", kind: "openai-compatible",
                                                      baseURL: "http://127.0.0.1:1/v1", model: "m"))
        "go".forEach { _ = Reducer.reduce(&state, .key(.character($0))) }
        _ = Reducer.reduce(&state, .key(.enter))
        let turn = state.turn?.id ?? 1
        var renderer = FrameRenderer()
        var differ = FrameDiffer()
        _ = differ.changes(to: renderer.render(state).frame)
        var times: [Duration] = []
        var sent = 0
        var cellsSent = 0
        for frame in 0..<600 {
            let tokens = (frame + 1) * 2_000 / 600 - frame * 2_000 / 600
            for _ in 0..<tokens {
                _ = Reducer.reduce(&state, .turn(.text(turn: turn, "tok\(sent) ", streamedTokens: 2 * (sent + 1))))
                sent += 1
            }
            let began = clock.now
            let frame = renderer.render(state).frame
            if let scroll = renderer.chatScroll, recorded?.terminal.scroll(scroll) ?? true { differ.scroll(scroll) }
            let changes = differ.changes(to: frame)
            cellsSent += changes.reduce(0) { $0 + $1.cells.count }
            recorded?.terminal.draw(changes, cursor: (x: 2, y: 39))
            times.append(clock.now - began)
        }
        let written = recorded?.written
        recorded?.close()
        let total = times.reduce(.zero, +)
        let last = times.suffix(60).sorted()
        print("2,000 tokens on one line in 600 frames, 120x40: \(format(total)) in all; "
              + "first 60 frames median \(format(times.prefix(60).sorted()[30])), last 60 median \(format(last[30]))"
              + "; \(cellsSent) cells changed" + (written.map { ", \($0) bytes to the terminal" } ?? ""))
    }

    static func format(_ duration: Duration) -> String {
        let micros = Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
        return micros >= 10_000 ? "\(Int(micros / 1000)) ms" : "\(Int(micros)) µs"
    }
}
