// provider-bench: throughput and latency of the provider path (not a test: it prints figures).
//
//   swift build -c release --product provider-bench && .build/release/provider-bench
//
// 1. SSE parsing + OpenAI chunk decoding of a synthetic stream fed in 4 KB reads:
//    MB/s, events/s, and the time from the last read to its events (the last byte's latency).
// 2. The whole provider path in one process: MockLLMServer streams `[[long 2000]]` over
//    loopback, OpenAICompatibleProvider (libcurl on its own thread) delivers events;
//    wall time and process CPU per 2,000-token reply.
// 3. Delivery latency to the consumer of `chatStream`: from the moment the mock server
//    starts writing the reply's last event (`data: [DONE]`) to the moment the consuming
//    task receives `.finish`, over loopback (curl, the reader, the stream hand-off and the
//    consumer's wake-up included), for a short reply and at the end of a 2,000-token burst.
import AgentCore
import FoundationEssentials
import Glibc
import MockLLMServer
import Providers

func syntheticStream(tokens: Int) -> [UInt8] {
    let prefix = #"data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"m","#
    var text = ""
    text.reserveCapacity(tokens * 180)
    for index in 0..<tokens {
        text += prefix + #""choices":[{"index":0,"delta":{"content":"tok\#(index) "},"finish_reason":null}]}"# + "\n\n"
    }
    text += prefix + #""choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\n"
    text += #"data: {"id":"chatcmpl-1","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":\#(tokens)}}"# + "\n\n"
    text += "data: [DONE]\n\n"
    return Array(text.utf8)
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func seconds(_ duration: Duration) -> Double {
    let (whole, attoseconds) = duration.components
    return Double(whole) + Double(attoseconds) / 1e18
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// Microseconds, one decimal.
func micros(_ seconds: Double) -> String { oneDecimal(seconds * 1e6) }

/// `value` with one decimal.
func oneDecimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
}

/// Parses `bytes` in 4 KB reads; returns (total seconds, events, seconds for the last read).
func parse(_ bytes: [UInt8]) -> (Double, Int, Double) {
    let clock = ContinuousClock()
    var parser = SSEParser()
    var decoder = OpenAIChunkDecoder(provider: "bench", url: "u")
    var events = 0
    var lastRead = Duration.zero
    let start = clock.now
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + 4096)
        let readStart = clock.now
        let parsed = bytes[offset..<end].withUnsafeBytes { parser.feed($0) }
        for event in parsed { events += decoder.consume(event).count }
        if end == bytes.count {
            for event in parser.finish() { events += decoder.consume(event).count }
            events += decoder.finish().count
            lastRead = clock.now - readStart
        }
        offset = end
    }
    return (seconds(clock.now - start), events, seconds(lastRead))
}

func benchParser() {
    for tokens in [2_000, 50_000] {
        let bytes = syntheticStream(tokens: tokens)
        var totals: [Double] = [], lasts: [Double] = []
        var events = 0
        for _ in 0..<7 {
            let (total, count, last) = parse(bytes)
            totals.append(total)
            lasts.append(last)
            events = count
        }
        let t = median(totals)
        let megabytes = Double(bytes.count) / 1_000_000
        let size = oneDecimal(megabytes)
        let rate = oneDecimal(megabytes / t)
        let perSecond = Int(Double(events) / t)
        let last = oneDecimal(median(lasts) * 1e6)
        print("parse+decode \(tokens) chunks (\(size) MB): \(oneDecimal(t * 1000)) ms, \(rate) MB/s, "
            + "\(perSecond) events/s; last 4 KB read to its events: \(last) µs")
    }
}

/// One streamed reply: its text bytes and the seconds from the server starting to write the
/// last event to the consumer receiving `.finish`.
func streamOnce(_ provider: any LLMProvider, _ request: ChatRequest, server: MockLLMServer) async
    -> (text: Int, delivery: Double) {
    var text = 0
    var finished: ContinuousClock.Instant?
    for await event in provider.chatStream(request) {
        switch event {
        case .textDelta(let delta): text += delta.utf8.count
        case .finish: finished = ContinuousClock.now
        default: break
        }
    }
    guard let finished, let written = server.exchanges.last?.lastEventWriteStarted else {
        preconditionFailure("the reply did not finish")
    }
    return (text, seconds(finished - written))
}

func benchProvider() async throws {
    let server = try MockLLMServer()
    defer { server.stop() }
    let provider = ProviderFactory.make(config: ProviderConfig(name: "mock", kind: .openAICompatible,
                                                                apiBase: server.baseURL, model: "mock-model"))
    let request = ChatRequest(model: "mock-model", messages: [ChatMessage(role: .user, content: "[[long 2000]]")])
    let clock = ContinuousClock()
    var walls: [Double] = [], cpus: [Double] = [], deliveries: [Double] = []
    for run in 0..<8 {
        let cpu = cpuSeconds()
        let start = clock.now
        let (text, delivery) = await streamOnce(provider, request, server: server)
        if run > 0 {  // the first run also loads libcurl
            walls.append(seconds(clock.now - start))
            cpus.append(cpuSeconds() - cpu)
            deliveries.append(delivery)
        }
        precondition(text > 10_000, "the mock did not stream the long reply")
    }
    let wall = oneDecimal(median(walls) * 1000)
    let cpu = oneDecimal(median(cpus) * 1000)
    print("provider path, 2,000-token reply over loopback (server in-process, its CPU included): "
        + "wall \(wall) ms, process CPU \(cpu) ms")
    print("  last event written by the server to .finish at the consumer, end of the burst: median "
        + "\(micros(median(deliveries))) µs (\(micros(deliveries.min()!))-\(micros(deliveries.max()!)))")
}

/// Delivery latency of a short reply (nothing queued ahead of the last event).
func benchDelivery() async throws {
    let server = try MockLLMServer(configuration: MockLLMConfiguration(chunkCount: 4))
    defer { server.stop() }
    let provider = ProviderFactory.make(config: ProviderConfig(name: "mock", kind: .openAICompatible,
                                                                apiBase: server.baseURL, model: "mock-model"))
    let request = ChatRequest(model: "mock-model", messages: [ChatMessage(role: .user, content: "hi")])
    var deliveries: [Double] = []
    for run in 0..<41 {
        let (_, delivery) = await streamOnce(provider, request, server: server)
        if run > 0 { deliveries.append(delivery) }
    }
    print("short reply (4 chunks), last event written by the server to .finish at the consumer: median "
        + "\(micros(median(deliveries))) µs (\(micros(deliveries.min()!))-\(micros(deliveries.max()!)) over 40 runs)")
}

benchParser()
try await benchProvider()
try await benchDelivery()
