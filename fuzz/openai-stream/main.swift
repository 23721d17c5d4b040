import AgentCore
import FuzzSupport
@testable import Providers

/// A whole SSE body through SSEParser and OpenAIChunkDecoder (with the usage estimate on):
/// the stream ends with exactly one `.finish` or `.error`, last, and token counts are never
/// negative.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = FuzzInput(start, count)
    var parser = SSEParser()
    var decoder = OpenAIChunkDecoder(provider: "fuzz", url: "http://127.0.0.1/v1")
    decoder.estimatesMissingUsage = true
    decoder.estimatedInputTokens = 12
    var events: [ProviderEvent] = []
    for piece in input.pieces() {
        for sse in piece.withUnsafeBytes({ parser.feed($0) }) { events += decoder.consume(sse) }
    }
    for sse in parser.finish() { events += decoder.consume(sse) }
    events += decoder.finish()
    checkEnding(events)
    return 0
}

/// Exactly one terminal event, at the end; usage figures are not negative.
func checkEnding(_ events: [ProviderEvent]) {
    var terminals = 0
    for (index, event) in events.enumerated() {
        switch event {
        case .finish, .error:
            terminals += 1
            fuzzRequire(index == events.count - 1, "event after the terminal one: \(events[(index + 1)...])")
        case .usage(let usage):
            fuzzRequire(usage.inputTokens >= 0 && usage.outputTokens >= 0, "negative usage \(usage)")
        default:
            break
        }
    }
    fuzzRequire(terminals == 1, "\(terminals) terminal events")
}

runFuzzer(fuzzOne)
