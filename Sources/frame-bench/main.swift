import AgentCore
import App
import FoundationEssentials
import Glibc
import NcursesBackend
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
            _ = Reducer.reduce(&state, .turn(.toolCall(turn: turn, call: call, preview: ToolPreview(toolName: "read_file",
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

/// What a terminal writer emits for `runs`, the way the ncurses backend writes them: a cursor
/// move per run (`ESC[row;colH`), an SGR sequence when the style changes (about 12 bytes for
/// a 256-colour foreground and background), and each cell's UTF-8.
func estimatedBytes(_ runs: [CellRun]) -> Int {
    var bytes = 0
    var style: Style?
    for run in runs {
        bytes += 8
        for cell in run.cells where !cell.isContinuation {
            if cell.style != style {
                bytes += 12
                style = cell.style
            }
            bytes += String(cell.character).utf8.count
        }
    }
    return bytes
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

/// The real ncurses backend writing into a file instead of a terminal: what it writes for
/// a frame is exactly what a terminal would receive.
final class RecordedTerminal {
    private let file: Int32
    private let savedStdout: Int32
    let terminal: NcursesTerminal

    init(columns: Int, rows: Int) throws {
        setenv("LINES", String(rows), 1)
        setenv("COLUMNS", String(columns), 1)
        let path = "/tmp/swiftcoder-frame-bench-\(getpid()).out"
        file = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        unlink(path)
        fflush(nil)
        savedStdout = dup(1)
        dup2(file, 1)
        terminal = try NcursesTerminal(term: "xterm-256color")
    }

    /// Bytes written so far.
    var written: Int { Int(lseek(file, 0, SEEK_END)) }

    /// Ends curses and gives stdout back.
    func close() {
        terminal.shutdown()
        fflush(nil)
        dup2(savedStdout, 1)
    }
}

if CommandLine.arguments.contains("line") {
    try LongLineBench.run(curses: CommandLine.arguments.contains("curses"))
    exit(0)
}

if CommandLine.arguments.contains("pathological") {
    PathologicalBench.run(includeQuote: CommandLine.arguments.contains("quote"))
    exit(0)
}

let size = TerminalSize(columns: 120, rows: 40)
let clock = ContinuousClock()
print("frame cost while a reply streams, 120x40, release build (median of 400 frames)")
let recorded = try RecordedTerminal(columns: size.columns, rows: size.rows)
var rows: [String] = []
for count in [2, 200, 2_000, 20_000] {
    var state = conversation(messages: count, size: size)
    var renderer = FrameRenderer()
    var differ = FrameDiffer()
    let turn = state.turn?.id ?? 1
    recorded.terminal.invalidate()
    recorded.terminal.draw(differ.changes(to: renderer.render(state).frame), cursor: nil)
    let writtenBefore = recorded.written
    var samples: [Double] = []
    var cells = 0
    var bytes = 0
    for frame in 0..<400 {
        _ = Reducer.reduce(&state, .turn(.text(turn: turn, "word\(frame) ", streamedTokens: 2 * (frame + 1))))
        let start = clock.now
        let (buffer, _) = renderer.render(state)
        let runs = differ.changes(to: buffer)
        let elapsed = clock.now - start
        samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
        cells += runs.reduce(0) { $0 + $1.cells.count }
        bytes += estimatedBytes(runs)
        recorded.terminal.draw(runs, cursor: nil)
    }
    let measuredBytes = recorded.written - writtenBefore
    func column(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
    rows.append(column("\(count)", 8) + column("\(Int(median(samples))) µs", 12) + column("\(cells / 400)", 26)
          + column("\(bytes / 400)", 29) + column("\(measuredBytes / 400)", 22))
}
recorded.close()
print("messages   per frame   cells written per token   bytes per token (estimated)   bytes per token (ncurses)")
rows.forEach { print($0) }
