import AgentCore
import Glibc
import App
import TerminalUI

/// Hostile replies (issue 10): the time to render them, whole and streamed. Prints figures;
/// asserts nothing. `frame-bench pathological` runs only this part; `quote` in the
/// arguments adds the 20,000-`>` line (a stack overflow before D54).
enum PathologicalBench {
    static let bracketFlood = String(repeating: "[", count: 50_000) + String(repeating: "*_`", count: 10_000)
    static let deepQuote = String(repeating: ">", count: 20_000)
    /// A long paragraph of many short lines (no blank line), as a model dumping a log would.
    static let longParagraph = (0..<5_000).map { "line \($0) with *some* `code` and [a](b)" }.joined(separator: "\n")

    static func run(includeQuote: Bool) {
        let clock = ContinuousClock()
        var inputs: [(String, String)] = [("bracket flood (50,000 [ + 10,000 *_`)", bracketFlood),
                                          ("5,000-line paragraph", longParagraph)]
        if includeQuote { inputs.insert(("20,000 > on one line", deepQuote), at: 0) }
        print("pathological replies, 120x40, one frame = layout + draw + diff")
        print("input                                     whole reply in one chunk   streamed in 64 chunks: median / max frame")
        for (name, text) in inputs {
            let once = frameTimes(text, chunks: 1, clock: clock, budget: .seconds(600))
            var row = name.rightPadded(42) + format(once[0]).leftPadded(20) + "      "
            let streamed = frameTimes(text, chunks: 64, clock: clock, budget: .seconds(60))
            if streamed.count < 64 {
                row += ("more than 60 s in all, stopped after \(streamed.count) frames").leftPadded(30)
            } else {
                let sorted = streamed.sorted()
                row += (format(sorted[sorted.count / 2]) + " / " + format(sorted[sorted.count - 1])).leftPadded(30)
            }
            print(row)
            fflush(nil)
        }
    }

    /// The time of each frame while `text` arrives in `chunks` pieces, one frame per piece.
    /// Stops early once the frames took `budget` in all.
    static func frameTimes(_ text: String, chunks: Int, clock: ContinuousClock, budget: Duration) -> [Duration] {
        var state = AppState(size: TerminalSize(columns: 120, rows: 40),
                             provider: ActiveProvider(name: "bench", kind: "openai-compatible",
                                                      baseURL: "http://127.0.0.1:1/v1", model: "m"))
        "go".forEach { _ = Reducer.reduce(&state, .key(.character($0))) }
        _ = Reducer.reduce(&state, .key(.enter))
        let turn = state.turn?.id ?? 1
        var renderer = FrameRenderer()
        var differ = FrameDiffer()
        _ = differ.changes(to: renderer.render(state).frame)
        let characters = Array(text)
        let size = (characters.count + chunks - 1) / chunks
        var times: [Duration] = []
        var start = 0
        while start < characters.count && times.reduce(.zero, +) < budget {
            let piece = String(characters[start..<min(characters.count, start + size)])
            start += size
            _ = Reducer.reduce(&state, .turn(.text(turn: turn, piece)))
            let began = clock.now
            _ = differ.changes(to: renderer.render(state).frame)
            times.append(clock.now - began)
        }
        return times
    }

    static func format(_ duration: Duration) -> String {
        let micros = Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
        return micros >= 10_000 ? "\(Int(micros / 1000)) ms" : "\(Int(micros)) µs"
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
    func rightPadded(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
