@testable import App
import FuzzSupport
import TerminalUI

/// A model reply through the markdown renderer at a width the first byte chooses: no line
/// is wider than the width, and streaming the reply in pieces (IncrementalMarkdown, as the
/// chat pane does) renders exactly what rendering it whole does.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = FuzzInput(start, count)
    let width = 1 + Int(input.bytes.first ?? 39) % 100
    let text = String(decoding: input.bytes.dropFirst(), as: UTF8.self)
    let renderer = MarkdownRenderer(width: width, theme: .fallback)
    let whole = renderer.render(text)
    for (number, line) in whole.enumerated() {
        let columns = line.segments.reduce(0) { $0 + DisplayWidth.of($1.text) }
        fuzzRequire(columns <= width, "line \(number) is \(columns) columns wide, width \(width)")
    }
    let scalars = Array(text.unicodeScalars)
    var incremental = IncrementalMarkdown()
    for cut in input.cuts(in: scalars.count, maximum: 6) {
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: scalars[..<cut])
        _ = incremental.render(String(prefix), renderer: renderer)
    }
    let streamed = incremental.render(text, renderer: renderer)
    fuzzRequire(streamed == whole, "streamed rendering differs from the whole rendering")
    return 0
}

runFuzzer(fuzzOne)
