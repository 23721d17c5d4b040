import FuzzSupport
@testable import Providers

/// SSEParser: any bytes, fed whole, in pieces and byte by byte, give the same events; data
/// never holds a CR and an id never a NUL.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = FuzzInput(start, count)
    var whole = SSEParser()
    let expected = whole.feed(input.bytes) + whole.finish()
    var split = SSEParser()
    var events: [SSEEvent] = []
    for piece in input.pieces() { events += piece.withUnsafeBytes { split.feed($0) } }
    events += split.finish()
    fuzzRequire(events == expected, "split feed gave \(events.count) events, whole \(expected.count)")
    if input.bytes.count <= 2048 {
        var single = SSEParser()
        var bytewise: [SSEEvent] = []
        for byte in input.bytes { bytewise += single.feed(CollectionOfOne(byte)) }
        bytewise += single.finish()
        fuzzRequire(bytewise == expected, "byte-by-byte feed differs")
    }
    // With a small cap (D50's bound, as the hostile-server suite uses it): the same events and
    // the same overflow whatever the split, and no event beyond the cap.
    let cap = 1 + Int(input.hash % 200)
    var cappedWhole = SSEParser(maxEventBytes: cap)
    let cappedExpected = cappedWhole.feed(input.bytes) + cappedWhole.finish()
    var cappedSplit = SSEParser(maxEventBytes: cap)
    var cappedEvents: [SSEEvent] = []
    for piece in input.pieces() { cappedEvents += piece.withUnsafeBytes { cappedSplit.feed($0) } }
    cappedEvents += cappedSplit.finish()
    fuzzRequire(cappedEvents == cappedExpected && cappedWhole.overflowed == cappedSplit.overflowed,
                "with a cap of \(cap) bytes the split feed differs")
    // Scalars, not UTF-8: an invalid byte decodes to U+FFFD, three bytes for one.
    for event in cappedExpected {
        fuzzRequire(event.data.unicodeScalars.count <= cap, "an event of \(event.data.unicodeScalars.count) bytes past the cap \(cap)")
    }
    for event in expected {
        fuzzRequire(!event.data.utf8.contains(0x0D), "data holds a CR")
        fuzzRequire(!(event.id?.utf8.contains(0) ?? false), "id holds a NUL")
    }
    return 0
}

runFuzzer(fuzzOne)
