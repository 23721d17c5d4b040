import AgentCore
import App
import FoundationEssentials
import TerminalUI

// Frame cost against conversation length: the time to render one frame (layout + draw into
// the cell buffer + diff against the previous frame) while a reply streams into a
// conversation of N earlier messages. Prints figures for docs/BENCHMARKS.md; asserts nothing.

/// A conversation of `count` messages (user and assistant alternating, with markdown,
/// code and a tool call every tenth reply), then a streaming reply.
func conversation(messages count: Int, size: TerminalSize) -> AppState {
    var state = AppState(size: size, provider: ActiveProvider(name: "bench", kind: "openai-compatible",
                                                             baseURL: "http://127.0.0.1:1/v1", model: "m"))
    var turn = 0
    for index in 0..<(count / 2) {
        "question \(index): how does this work?".forEach { _ = Reducer.reduce(&state, .key(.character($0))) }
        _ = Reducer.reduce(&state, .key(.enter))
        turn += 1
        if index % 10 == 0 {
            let call = ToolCall(id: "c\(index)", name: "read_file", arguments: #"{"path": "a.swift"}"#)
            _ = Reducer.reduce(&state, .turn(.toolCall(turn: turn, call, preview: ToolPreview(toolName: "read_file",
                                                                                           keyArgument: "a.swift"))))
            _ = Reducer.reduce(&state, .turn(.toolResult(turn: turn, callID: call.id,
                                                         output: ToolOutput(content: "x", summary: "1 line"))))
        }
        let reply = "Answer **\(index)**: it works like this.\n\n```swift\nlet x = \(index)\nprint(x)\n```\n\n"
            + "- first point\n- second point with `code`\n"
        _ = Reducer.reduce(&state, .turn(.text(turn: turn, reply)))
        _ = Reducer.reduce(&state, .turn(.finished(turn: turn, .stop, elapsedSeconds: 1)))
    }
    "and now?".forEach { _ = Reducer.reduce(&state, .key(.character($0))) }
    _ = Reducer.reduce(&state, .key(.enter))
    return state
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

let size = TerminalSize(columns: 120, rows: 40)
let clock = ContinuousClock()
print("frame cost while a reply streams, 120x40, release build (median of 400 frames)")
print("messages   per frame")
for count in [2, 200, 2_000, 20_000] {
    var state = conversation(messages: count, size: size)
    var renderer = FrameRenderer()
    var differ = FrameDiffer()
    let turn = state.turn?.id ?? 1
    _ = differ.changes(to: renderer.render(state).frame)
    var samples: [Double] = []
    for frame in 0..<400 {
        _ = Reducer.reduce(&state, .turn(.text(turn: turn, "word\(frame) ")))
        let start = clock.now
        let (buffer, _) = renderer.render(state)
        _ = differ.changes(to: buffer)
        let elapsed = clock.now - start
        samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
    }
    let micros = median(samples)
    print(String(repeating: " ", count: max(0, 8 - "\(count)".count)) + "\(count)   "
          + String(repeating: " ", count: max(0, 7 - "\(Int(micros))".count)) + "\(Int(micros)) µs")
}
