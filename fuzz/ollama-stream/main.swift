import AgentCore
import FuzzSupport
@testable import Providers

/// An Ollama NDJSON body: NDJSONLineSplitter fed whole and in pieces gives the same lines
/// (none holding a newline), and OllamaChunkDecoder ends with exactly one `.finish` or
/// `.error`, last, with usage never negative.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = FuzzInput(start, count)
    var whole = NDJSONLineSplitter()
    let expected = whole.feed(input.bytes) + whole.finish()
    var splitter = NDJSONLineSplitter()
    var lines: [[UInt8]] = []
    for piece in input.pieces() { lines += splitter.feed(piece) }
    lines += splitter.finish()
    fuzzRequire(lines == expected, "split feed gave \(lines.count) lines, whole \(expected.count)")
    let cap = 1 + Int(input.hash % 200)
    var cappedWhole = NDJSONLineSplitter(maxLineBytes: cap)
    let cappedExpected = cappedWhole.feed(input.bytes) + cappedWhole.finish()
    var cappedSplit = NDJSONLineSplitter(maxLineBytes: cap)
    var cappedLines: [[UInt8]] = []
    for piece in input.pieces() { cappedLines += cappedSplit.feed(piece) }
    cappedLines += cappedSplit.finish()
    fuzzRequire(cappedLines == cappedExpected && cappedWhole.overflowed == cappedSplit.overflowed,
                "with a cap of \(cap) bytes the split feed differs")
    for line in cappedExpected { fuzzRequire(line.count <= cap, "a line of \(line.count) bytes past the cap \(cap)") }
    var decoder = OllamaChunkDecoder(provider: "fuzz", url: "http://127.0.0.1:11434/api/chat")
    var events: [ProviderEvent] = []
    for line in lines {
        fuzzRequire(!line.contains(0x0A), "a line holds a newline")
        events += decoder.consume(line: line)
    }
    events += decoder.finish()
    var terminals = 0
    for (index, event) in events.enumerated() {
        switch event {
        case .finish, .error:
            terminals += 1
            fuzzRequire(index == events.count - 1, "event after the terminal one")
        case .usage(let usage):
            fuzzRequire(usage.inputTokens >= 0 && usage.outputTokens >= 0, "negative usage \(usage)")
        default:
            break
        }
    }
    fuzzRequire(terminals == 1, "\(terminals) terminal events")
    return 0
}

runFuzzer(fuzzOne)
