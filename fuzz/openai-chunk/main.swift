import AgentCore
import FuzzSupport
@testable import Providers

/// One chunk's `data:` text through OpenAIChunkDecoder with and without the plain-content
/// fast path (PlainContentChunk, D49): the two must give identical events.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = FuzzInput(start, count).text
    _ = PlainContentChunk.content(of: data)
    var fast = OpenAIChunkDecoder(provider: "fuzz", url: "http://127.0.0.1/v1")
    var slow = fast
    slow.usesFastPath = false
    let event = SSEEvent(data: data)
    let fastEvents = fast.consume(event) + fast.finish()
    let slowEvents = slow.consume(event) + slow.finish()
    fuzzRequire(fastEvents == slowEvents, "fast path \(fastEvents) != JSONDecoder \(slowEvents)")
    return 0
}

runFuzzer(fuzzOne)
