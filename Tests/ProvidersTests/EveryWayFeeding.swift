import AgentCore
import Testing
@testable import Providers

// One way to check a wire-format quirk: its body goes through the reader the provider uses
// (`StreamingChatReader`: HTTP status, then the SSE parser + `OpenAIChunkDecoder`, or the
// NDJSON splitter + `OllamaChunkDecoder`), fed whole, one byte per read and in seeded random
// reads, and every feeding must give the same events.

/// Which reader a body goes through.
enum WireFormat: Sendable {
    /// Server-Sent Events of an OpenAI-compatible server (`ChatStreamReader`).
    case sse
    /// Ollama's native NDJSON (`OllamaStreamReader`).
    case ndjson
}

/// How a body is cut into network reads.
enum Feeding: Sendable, CustomStringConvertible {
    case whole
    case byteByByte
    /// Reads of 1 to 17 bytes, cut reproducibly from `seed`.
    case random(seed: UInt64)

    /// `bytes` cut into reads (none for an empty body, as a transport delivers it).
    func pieces(_ bytes: [UInt8]) -> [[UInt8]] {
        switch self {
        case .whole: bytes.isEmpty ? [] : [bytes]
        case .byteByByte: bytes.map { [$0] }
        case .random(let seed): randomSplits(bytes, seed: seed)
        }
    }

    var description: String {
        switch self {
        case .whole: "whole"
        case .byteByByte: "byte by byte"
        case .random(let seed): "in random splits (seed \(seed))"
        }
    }
}

/// The events the provider's reader yields for `pieces` of a body answered with `status`.
func readerEvents(_ pieces: [[UInt8]], format: WireFormat, status: Int = 200) -> [ProviderEvent] {
    let transportEvents = [TransportEvent.response(status: status, headers: [:])]
        + pieces.map(TransportEvent.bytes) + [.end]
    switch format {
    case .sse:
        let url = "http://test/v1/chat/completions"
        let body = SSEChatBody(provider: "test", url: url)
        var reader = ChatStreamReader(provider: "test", url: url, body: body)
        return transportEvents.flatMap { reader.handle($0) }
    case .ndjson:
        var reader = OllamaStreamReader(provider: "ollama", url: "http://test/api/chat")
        return transportEvents.flatMap { reader.handle($0) }
    }
}

/// `events` with adjacent text, reasoning and same-call argument deltas merged. A read
/// merges the deltas it completes, so feedings differ only in how text is cut; merged,
/// they must be equal.
func mergedDeltas(_ events: [ProviderEvent]) -> [ProviderEvent] {
    ChatStreamReader.coalesced(events)
}

/// Feeds `body` through the provider's reader whole, one byte at a time and in a random
/// split per seed; records an issue naming the feeding unless every feeding gives the same
/// events (deltas merged). Returns those events.
@discardableResult
func feedEveryWay(_ body: [UInt8], format: WireFormat = .sse, status: Int = 200,
                  seeds: [UInt64] = Array(1...8), sourceLocation: SourceLocation = #_sourceLocation) -> [ProviderEvent] {
    func events(_ feeding: Feeding) -> [ProviderEvent] {
        mergedDeltas(readerEvents(feeding.pieces(body), format: format, status: status))
    }
    let whole = events(.whole)
    for feeding in [Feeding.byteByByte] + seeds.map(Feeding.random) {
        let other = events(feeding)
        #expect(other == whole, "fed \(feeding): \(other)\nfed whole: \(whole)", sourceLocation: sourceLocation)
    }
    return whole
}

/// `feedEveryWay` for `text`, expecting `expected` (its deltas merged too).
func expectEveryWay(_ text: String, format: WireFormat = .sse, status: Int = 200,
                    _ expected: [ProviderEvent], sourceLocation: SourceLocation = #_sourceLocation) {
    let events = feedEveryWay(Array(text.utf8), format: format, status: status, sourceLocation: sourceLocation)
    #expect(events == mergedDeltas(expected), sourceLocation: sourceLocation)
}
