import AgentCore
import Testing
@testable import Providers

/// A small seeded generator (SplitMix64) so "random" splits are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// Splits `bytes` at random points (1 to `maxPiece` bytes per piece).
func randomSplits(_ bytes: [UInt8], seed: UInt64, maxPiece: Int = 17) -> [[UInt8]] {
    var generator = SeededGenerator(seed: seed)
    var pieces: [[UInt8]] = []
    var index = 0
    while index < bytes.count {
        let length = Int.random(in: 1...maxPiece, using: &generator)
        pieces.append(Array(bytes[index..<min(bytes.count, index + length)]))
        index += length
    }
    return pieces
}

/// Runs SSE bytes, fed in `pieces`, through the parser and returns every event.
func parseSSE(_ pieces: [[UInt8]]) -> [SSEEvent] {
    var parser = SSEParser()
    var events: [SSEEvent] = []
    for piece in pieces { events += parser.feed(piece) }
    return events + parser.finish()
}

/// Runs SSE text through the provider's reader (SSE parser + OpenAI decoder) fed whole, byte
/// by byte and in random splits, expecting the same events each way (`feedEveryWay`);
/// returns them with adjacent deltas merged. No usage estimate.
func decodeStream(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [ProviderEvent] {
    feedEveryWay(Array(text.utf8), format: .sse, sourceLocation: sourceLocation)
}

/// Folds events into a reply (like `LLMProvider.chat`, but keeping the error).
func reply(from events: [ProviderEvent]) -> (reply: ChatReply, error: ProviderError?) {
    var reply = ChatReply()
    var error: ProviderError?
    for event in events {
        if case .error(let failure) = event { error = failure }
        reply.apply(event)
    }
    return (reply, error)
}

/// Builds SSE text from `data:` payloads.
func sse(_ payloads: [String]) -> String {
    payloads.map { "data: \($0)\n\n" }.joined()
}

/// A chunk with one choice whose delta is `delta` (raw JSON members).
func chunk(_ delta: String, finish: String = "null", extra: String = "") -> String {
    #"{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{\#(delta)},"finish_reason":\#(finish)}]\#(extra)}"#
}
