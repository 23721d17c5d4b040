import AgentCore
import FoundationEssentials
import Synchronization

/// The wire-format half of a streamed chat reply: turns 2xx body bytes into events.
///
/// `StreamingChatReader` does everything around it (status, error bodies, transport
/// failures, empty bodies); a body decoder only knows its framing and chunk format.
protocol ChatBodyDecoder: Sendable {
    /// True once the terminal event (finish or error) was returned.
    var isDone: Bool { get }
    /// True once any message (chunk, line) of the format decoded.
    var sawMessage: Bool { get }
    /// The events the bytes completed.
    mutating func feed(_ bytes: [UInt8]) -> [ProviderEvent]
    /// The body ended: the events of a last message that had no closing delimiter.
    mutating func flush() -> [ProviderEvent]
    /// Ends a stream that is not done yet (exactly one terminal event).
    mutating func finish() -> [ProviderEvent]
    /// Handles a 2xx body in which no message of the format decoded at all (a whole JSON
    /// reply, an error document, an HTML page), given its bytes (`complete` when none were
    /// dropped). `nil` when the body looks like this format (`finish()` then reports the
    /// interruption).
    mutating func unframedBody(_ bytes: [UInt8], complete: Bool, status: Int, provider: String,
                               url: String) -> [ProviderEvent]?
}

/// The per-transfer state machine shared by every wire format: HTTP status handling, the
/// error body of a non-2xx answer, transport failures, then the body decoder.
struct StreamingChatReader<Body: ChatBodyDecoder>: Sendable {
    /// Bytes of a non-2xx body kept for the error message; the transfer ends there.
    static var maxErrorBody: Int { InputLimits.maxErrorBodyBytes }
    /// Bytes of a 2xx body kept while no message has decoded (a whole JSON reply).
    static var maxUnframedBody: Int { InputLimits.maxUnframedBodyBytes }
    /// Bytes of one streamed 2xx body at most.
    static var maxStreamedBody: Int { InputLimits.maxStreamedBodyBytes }

    private let provider: String
    private let url: String
    private var body: Body
    private var status = 0
    private var headers: [String: String] = [:]
    private var errorBody: [UInt8]?
    /// A 2xx body in which no message has decoded yet (kept up to `maxUnframedBody`), for a
    /// server that ignored `stream` or answered in another format.
    private var unframed: [UInt8] = []
    private var bodyBytes = 0
    private(set) var isDone = false
    /// Whether any byte of a 2xx body has arrived (after which a request is never repeated).
    var hasStreamedBody: Bool { bodyBytes > 0 }
    /// The transfer ended normally with a 2xx status and not one body byte (D157).
    private(set) var endedEmpty = false

    init(provider: String, url: String, body: Body) {
        self.provider = provider
        self.url = url
        self.body = body
    }

    mutating func handle(_ event: TransportEvent) -> [ProviderEvent] {
        guard !isDone else { return [] }
        switch event {
        case .response(let status, let headers):
            self.status = status
            self.headers = headers
            if !(200..<300).contains(status) { errorBody = [] }
            return []
        case .bytes(let bytes):
            if var kept = errorBody {
                errorBody = nil // no copy while appending
                let room = Self.maxErrorBody - kept.count
                kept.append(contentsOf: bytes.prefix(room))
                errorBody = kept
                // Enough for the message: the rest of an error body (which may never end) is not read.
                if bytes.count >= room {
                    isDone = true
                    return [httpError(kept)]
                }
                return []
            }
            bodyBytes += bytes.count
            if bodyBytes > Self.maxStreamedBody {
                isDone = true
                unframed = []
                let limit = InputLimits.describeBytes(Self.maxStreamedBody)
                return [.error(ProviderError(kind: .badResponse, provider: provider, url: url, httpStatus: status,
                                             detail: "the reply is longer than \(limit), the limit for one reply: "
                                                 + "the rest was dropped"))]
            }
            if !body.sawMessage, unframed.count < Self.maxUnframedBody {
                unframed += bytes.prefix(Self.maxUnframedBody - unframed.count)
            }
            let events = Self.coalesced(body.feed(bytes))
            isDone = body.isDone
            if (body.sawMessage || isDone), !unframed.isEmpty { unframed = [] }
            return events
        case .end:
            return end()
        case .failure(let failure):
            isDone = true
            if failure.kind == .cancelled { return [] }
            if let errorBody, status != 0 { return [httpError(errorBody)] }
            // Streaming only once body bytes came: a connection lost right after 2xx headers
            // delivered nothing, so it is classified (and retried) as if it never connected.
            return [.error(ErrorClassifier.transportError(failure, streaming: hasStreamedBody,
                                                          provider: provider, url: url))]
        }
    }

    /// The one place a streamed reply is merged (D180): adjacent deltas of one network read
    /// become one event (same text, fewer events). Each event handed to a waiting consumer
    /// costs a thread wake-up: measured on a 2,000-token burst, per-token events cost ~2.5
    /// futex calls each and about 40 ms of CPU. Further on, nothing merges reply text: the
    /// engine publishes each event, `EventChannel` hands the UI everything pending as one
    /// batch, and frames draw whatever arrived (D128).
    static func coalesced(_ events: [ProviderEvent]) -> [ProviderEvent] {
        guard events.count > 1 else { return events }
        var merged: [ProviderEvent] = []
        merged.reserveCapacity(events.count)
        for event in events {
            switch (merged.last, event) {
            case (.textDelta(let head)?, .textDelta(let tail)):
                merged[merged.count - 1] = .textDelta(head + tail)
            case (.reasoningDelta(let head)?, .reasoningDelta(let tail)):
                merged[merged.count - 1] = .reasoningDelta(head + tail)
            case (.toolCallArgumentsDelta(let index, let head)?, .toolCallArgumentsDelta(let next, let tail))
                where index == next:
                merged[merged.count - 1] = .toolCallArgumentsDelta(index: index, fragment: head + tail)
            default:
                merged.append(event)
            }
        }
        return merged
    }

    private func httpError(_ errorBody: [UInt8]) -> ProviderEvent {
        .error(ErrorClassifier.httpError(status: status, headers: headers, body: errorBody,
                                         provider: provider, url: url))
    }

    private mutating func end() -> [ProviderEvent] {
        isDone = true
        if let errorBody { return [httpError(errorBody)] }
        if bodyBytes == 0 {
            endedEmpty = (200..<300).contains(status)
            return [.error(ProviderError(kind: .streamInterrupted, provider: provider, url: url, httpStatus: status,
                                         detail: "empty response body (some servers answer a context overflow this way)"))]
        }
        let events = Self.coalesced(body.flush())
        if body.isDone { return events }
        if !body.sawMessage, let whole = body.unframedBody(unframed, complete: unframed.count == bodyBytes,
                                                           status: status, provider: provider, url: url) {
            return events + Self.coalesced(whole)
        }
        return events + body.finish()
    }
}

/// Holds a transfer's reader for the transport callback (a `Mutex` cannot be captured).
final class ReaderBox<Body: ChatBodyDecoder>: Sendable {
    let state: Mutex<StreamingChatReader<Body>>
    init(_ reader: StreamingChatReader<Body>) { state = Mutex(reader) }
}

/// An OpenAI-compatible body: Server-Sent Events carrying `chat.completion.chunk`s.
struct SSEChatBody: ChatBodyDecoder {
    private var parser: SSEParser
    private var decoder: OpenAIChunkDecoder
    private let url: String
    /// The parser went past its cap: the error was returned and the stream is over.
    private var overflowed = false
    var isDone: Bool { decoder.isDone || overflowed }
    var sawMessage: Bool { decoder.sawChunk }

    /// - Parameter maxEventBytes: the cap on one SSE event (tests lower it).
    init(provider: String, url: String, maxEventBytes: Int = InputLimits.maxEventBytes) {
        parser = SSEParser(maxEventBytes: maxEventBytes)
        self.url = url
        decoder = OpenAIChunkDecoder(provider: provider, url: url)
    }

    mutating func feed(_ bytes: [UInt8]) -> [ProviderEvent] {
        guard !isDone else { return [] }
        let events = decode(parser.feed(bytes))
        guard parser.overflowed, !decoder.isDone else { return events }
        overflowed = true
        let limit = InputLimits.describeBytes(parser.maxEventBytes)
        return events + [.error(ProviderError(kind: .badResponse, provider: decoder.provider, url: url,
                                              detail: "a server-sent event line or event longer than \(limit), "
                                                  + "the limit for one event: the rest of the reply was dropped"))]
    }

    mutating func flush() -> [ProviderEvent] { isDone ? [] : decode(parser.finish()) }

    mutating func finish() -> [ProviderEvent] { decoder.finish() }

    private mutating func decode(_ sseEvents: [SSEEvent]) -> [ProviderEvent] {
        var events: [ProviderEvent] = []
        for sseEvent in sseEvents {
            events += decoder.consume(sseEvent)
            if decoder.isDone { break }
        }
        return events
    }

    /// A JSON error document at HTTP 200 is classified; a whole `chat.completion` (a server
    /// that ignored `stream: true`) is decoded as one chunk whose `message` is the delta; a
    /// body that starts like an event stream is left to `finish()` (it ended early);
    /// anything else is not a stream.
    mutating func unframedBody(_ bytes: [UInt8], complete: Bool, status: Int, provider: String,
                               url: String) -> [ProviderEvent]? {
        if let error = ErrorClassifier.parseErrorDocument(bytes) {
            let kind = ErrorClassifier.kind(status: nil, code: error.code, type: error.type, message: error.message)
            return [.error(ProviderError(kind: kind, provider: provider, url: url, httpStatus: status,
                                         serverMessage: error.message, detail: error.code.map { "code \($0)" }))]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let start = text.prefix(300)
        if [":", "data:", "event:", "id:", "error:"].contains(where: { start.hasPrefix($0) }) { return nil }
        if complete, start.trimmingWhitespace().hasPrefix("{"), text.contains(#""choices""#) {
            var events = decoder.consume(SSEEvent(data: text))
            if decoder.sawChunk {
                if !decoder.isDone { events += decoder.completeWholeReply() }
                return events
            }
        }
        return [.error(ProviderError(kind: .badResponse, provider: provider, url: url, httpStatus: status,
                                     detail: "the reply was not an event stream: " + String(start)))]
    }
}

/// An Ollama `/api/chat` body: newline-delimited JSON objects.
struct NDJSONChatBody: ChatBodyDecoder {
    private var splitter: NDJSONLineSplitter
    private var decoder: OllamaChunkDecoder
    private let provider: String
    private let url: String
    /// The splitter went past its cap: the error was returned and the stream is over.
    private var overflowed = false
    var isDone: Bool { decoder.isDone || overflowed }
    var sawMessage: Bool { decoder.sawLine }

    init(provider: String, url: String, maxLineBytes: Int = InputLimits.maxLineBytes) {
        splitter = NDJSONLineSplitter(maxLineBytes: maxLineBytes)
        self.provider = provider
        self.url = url
        decoder = OllamaChunkDecoder(provider: provider, url: url)
    }

    mutating func feed(_ bytes: [UInt8]) -> [ProviderEvent] {
        guard !isDone else { return [] }
        let events = decode(splitter.feed(bytes))
        guard splitter.overflowed, !decoder.isDone else { return events }
        overflowed = true
        let limit = InputLimits.describeBytes(splitter.maxLineBytes)
        return events + [.error(ProviderError(kind: .badResponse, provider: provider, url: url,
                                              detail: "an NDJSON line longer than \(limit), the limit for one "
                                                  + "line: the rest of the reply was dropped"))]
    }

    mutating func flush() -> [ProviderEvent] { isDone ? [] : decode(splitter.finish()) }

    mutating func finish() -> [ProviderEvent] { decoder.finish() }

    private mutating func decode(_ lines: [[UInt8]]) -> [ProviderEvent] {
        var events: [ProviderEvent] = []
        for line in lines {
            events += decoder.consume(line: line)
            if decoder.isDone { break }
        }
        return events
    }

    /// A body with bytes but no line at all (only blank lines): not NDJSON. (A line that is
    /// not JSON already ended the stream in the decoder.)
    mutating func unframedBody(_ bytes: [UInt8], complete: Bool, status: Int, provider: String,
                               url: String) -> [ProviderEvent]? {
        let text = String(decoding: bytes.prefix(300), as: UTF8.self)
        return [.error(ProviderError(kind: .badResponse, provider: provider, url: url, httpStatus: status,
                                     detail: "the reply was not NDJSON: " + text))]
    }
}

/// The reader of an OpenAI-compatible stream.
typealias ChatStreamReader = StreamingChatReader<SSEChatBody>
/// The reader of an Ollama `/api/chat` stream.
typealias OllamaStreamReader = StreamingChatReader<NDJSONChatBody>

extension StreamingChatReader where Body == SSEChatBody {
    init(provider: String, url: String) {
        self.init(provider: provider, url: url, body: SSEChatBody(provider: provider, url: url))
    }
}

extension StreamingChatReader where Body == NDJSONChatBody {
    init(provider: String, url: String) {
        self.init(provider: provider, url: url, body: NDJSONChatBody(provider: provider, url: url))
    }
}
