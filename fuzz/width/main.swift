import FuzzSupport
import TerminalUI

/// DisplayWidth and TextWrapper on any text: a character is 0, 1 or 2 columns, a string the
/// sum of its characters, a truncation or prefix fits its columns, a wrapped line fits the
/// width (unless it is one character wider than a line) and wrapping loses no visible
/// character.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = FuzzInput(start, count)
    let choice = Int(input.bytes.first ?? 40)
    let text = String(decoding: input.bytes.dropFirst(), as: UTF8.self)
    var sum = 0
    for character in text {
        let width = DisplayWidth.of(character)
        fuzzRequire((0...2).contains(width), "width \(width) for \(character.unicodeScalars.map(\.value))")
        sum += width
    }
    fuzzRequire(DisplayWidth.of(text) == sum, "string width \(DisplayWidth.of(text)) != sum \(sum)")
    let columns = choice % 90 - 5
    let truncated = DisplayWidth.truncated(text, toFit: columns)
    fuzzRequire(DisplayWidth.of(truncated) <= max(0, columns), "truncation is wider than \(columns)")
    let (prefix, used) = DisplayWidth.prefix(of: text, fitting: columns)
    fuzzRequire(used == DisplayWidth.of(prefix) && used <= max(0, columns), "prefix width \(used)")
    fuzzRequire(text.hasPrefix(prefix), "prefix is not a prefix")
    let wrapWidth = 1 + choice % 80
    let lines = TextWrapper.wrap(text, width: wrapWidth)
    for line in lines {
        // A character wider than the whole line (a CJK character at width 1) stands alone.
        let shown = line.filter { DisplayWidth.of($0) > 0 }
        fuzzRequire(DisplayWidth.of(line) <= wrapWidth || shown.count == 1,
                    "wrapped line \(DisplayWidth.of(line)) columns at width \(wrapWidth): "
                        + "\(line.map { "\($0.unicodeScalars.map(\.value)):\(DisplayWidth.of($0))" })")
    }
    // By scalars: a combining mark after an expanded tab joins a space into one Character.
    let visible = text.unicodeScalars.filter { !$0.properties.isWhitespace }
    let kept = lines.joined().unicodeScalars.filter { !$0.properties.isWhitespace }
    fuzzRequire(visible.elementsEqual(kept), "wrapping lost or reordered characters: \(visible.map(\.value)) "
                + "became \(kept.map(\.value))")
    return 0
}

runFuzzer(fuzzOne)
