import FuzzSupport
import TerminalUI

/// Raw terminal input through KeyDecoder, in the batches the bytes choose. Bytes decode as
/// UTF-8 scalars, except 0xFE n (a named key from the terminal library) and 0xFF (a resize).
/// No input traps; without an ESC every scalar and key gives exactly one event.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = FuzzInput(start, count)
    let items = rawInput(input.bytes)
    var decoder = KeyDecoder()
    var events: [KeyEvent] = []
    var begin = 0
    for cut in input.cuts(in: items.count) + [items.count] {
        events += decoder.feed(Array(items[begin..<cut]))
        begin = cut
    }
    if !items.contains(.scalar(0x1B)) {
        let expected = items.filter { $0 != .resize }.count
        fuzzRequire(events.count == expected, "\(events.count) events for \(expected) inputs")
    }
    return 0
}

let namedKeys: [NamedKey] = [
    .up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .delete, .backspace, .enter, .backTab,
    .insert, .function(1), .function(12), .function(Int.max), .mouseWheelUp, .mouseWheelDown,
]

func rawInput(_ bytes: [UInt8]) -> [RawInput] {
    var items: [RawInput] = []
    var text: [UInt8] = []
    func flush() {
        items += String(decoding: text, as: UTF8.self).unicodeScalars.map { .scalar($0.value) }
        text = []
    }
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        index += 1
        if byte == 0xFF {
            flush()
            items.append(.resize)
        } else if byte == 0xFE, index < bytes.count {
            flush()
            items.append(.key(namedKeys[Int(bytes[index]) % namedKeys.count]))
            index += 1
        } else {
            text.append(byte)
        }
    }
    flush()
    return items
}

runFuzzer(fuzzOne)
