// Hostile answers for the hostile-server suite: what a buggy proxy or a malicious server
// could send. Chosen per request by `[[hostile NAME]]` in the prompt, or for every route
// (model lists, probes, chat) by `MockLLMConfiguration.hostile`.

/// One way of answering badly. The raw values are the marker names (`[[hostile NAME]]`) and
/// the `mock-llm-server --hostile NAME` values.
public enum MockHostility: String, Sendable, Hashable, CaseIterable {
    /// HTTP 429 with `Retry-After: Thu, 01 Jan 300000000000 00:00:00 GMT`.
    case retryAfterDate = "retry-after-date"
    /// HTTP 429 with `Retry-After: 99999999999999999999999999` and `retry-after-ms: 1e400`.
    case retryAfterHuge = "retry-after-huge"
    /// A normal reply whose usage says prompt -1, completion Int.max, total Int.max, cached
    /// -5, reasoning Int.max and cost -1 (a sum overflows `Int`).
    case usageAbsurd = "usage-absurd"
    /// A normal reply whose usage numbers are `1e300`, `-1e300`, `99999999999999999999999`,
    /// and a cost of `1e400`; the model list has the same in every numeric field.
    case hugeNumbers = "huge-numbers"
    /// `data: ` (or an NDJSON line) followed by 64 MiB without a line break.
    case endlessLine = "endless-line"
    /// An event (and a model list) that is 100,000 `[`.
    case deepJSON = "deep-json"
    /// Text with invalid UTF-8 bytes (raw 0xFF 0xFE, an overlong `/`).
    case invalidUTF8 = "invalid-utf8"
    /// Text with a lone surrogate escape (`\ud800`), which no JSON decoder can turn into text.
    case loneSurrogate = "lone-surrogate"
    /// Text with a NUL byte, escaped and raw.
    case nulByte = "nul-byte"
    /// A reply that is nothing but terminal escape sequences (OSC 52, title, clear screen).
    case escapesOnly = "escapes-only"
    /// 300 KiB of response headers.
    case hugeHeaders = "huge-headers"
    /// HTTP 500 whose body is 64 MiB of text.
    case endlessErrorBody = "endless-error-body"
    /// Tool calls with index Int.max and -1.
    case absurdToolIndex = "absurd-tool-index"

    /// Bytes of the endless line and the endless error body.
    public static let endlessBytes = 64 << 20
    /// The absurd date `retry-after-date` sends.
    public static let absurdDate = "Thu, 01 Jan 300000000000 00:00:00 GMT"

    /// A model list with nonsense in every numeric field.
    public static let absurdModelList = #"{"object":"list","data":["#
        + #"{"id":"huge","context_length":1e300,"top_provider":{"max_completion_tokens":99999999999999999999},"#
        + #""pricing":{"prompt":"1e400","completion":"1e300","input_cache_read":"NaN","internal_reasoning":"-1e308"}},"#
        + #"{"id":"negative","context_length":-5,"max_completion_tokens":-9223372036854775808,"#
        + #""pricing":{"prompt":-1e300,"completion":"-0.000001"}},"#
        + #"{"id":"intmax","context_window":9223372036854775807,"max_model_len":9223372036854775807,"#
        + #""pricing":{"prompt":"99999999999999999999999999999999999999","completion":1e-300}}]}"#
}

extension MockResponder {
    /// Answers `request` the hostile way, for every route; `nil` when `kind` changes nothing
    /// for this route (it is then answered normally).
    func respondHostile(_ kind: MockHostility, to request: RecordedRequest) -> ExchangeOutcome? {
        switch kind {
        case .retryAfterDate, .retryAfterHuge, .hugeHeaders, .endlessErrorBody:
            return sendHostileStatus(kind)
        case .deepJSON where request.method == "GET":
            return sendHostileWhole(Array(repeating: UInt8(ascii: "["), count: 100_000))
        case .hugeNumbers where request.path.hasSuffix("/models"):
            return sendHostileWhole(Array(MockHostility.absurdModelList.utf8))
        case .invalidUTF8 where request.method == "GET":
            return sendHostileWhole(Array(#"{"object":"list","data":[{"id":"bad-"#.utf8) + [0xFF, 0xC0, 0x80]
                + Array(#"\ud800","object":"model"}]}"#.utf8))
        default:
            return nil
        }
    }

    /// Streams a hostile chat reply (OpenAI format).
    func streamHostile(_ kind: MockHostility, _ plan: MockPlan) -> ExchangeOutcome {
        if let outcome = sendHostileStatus(kind) { return outcome }
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
        guard MockSocket.sendAll(fd, Array(head.utf8)) else { return hostileLost() }
        let chunks = MockChunks(id: "chatcmpl-hostile-\(exchangeNumber)", model: plan.model, created: 1)
        func raw(_ bytes: [UInt8]) -> Bool { MockSocket.sendAll(fd, bytes) }
        func event(_ payload: String) -> Bool { raw(Array(("data: " + payload + "\n\n").utf8)) }
        func text(_ content: String) -> Bool { event(chunks.delta(#""content":"\#(content)""#)) }
        var sent = true
        switch kind {
        case .endlessLine:
            return sendEndless(prefix: Array("data: ".utf8)) ? .completed : hostileLost()
        case .deepJSON:
            sent = text("before ") && raw(Array("data: ".utf8) + Array(repeating: UInt8(ascii: "["), count: 100_000)
                + Array("\n\n".utf8))
        case .invalidUTF8:
            sent = raw(contentEvent(Array("bad ".utf8) + [0xFF, 0xFE, 0xC0, 0xAF] + Array(" end".utf8)))
        case .loneSurrogate:
            sent = text("before ") && text(#"lone \ud800 surrogate"#)
        case .nulByte:
            sent = text(#"a\u0000b"#) && raw(contentEvent(Array("c".utf8) + [0] + Array("d".utf8)))
        case .escapesOnly:
            sent = text(#"\u001b]52;c;aGVsbG8=\u0007\u001b]0;pwned\u0007\u001b[2J\u001b[H\u001b[?1049l\u009b31m"#)
        case .absurdToolIndex:
            sent = event(chunks.delta(#""tool_calls":[{"index":9223372036854775807,"id":"a","type":"function","#
                + #""function":{"name":"read_file","arguments":"{}"}}]"#))
                && event(chunks.delta(#""tool_calls":[{"index":-1,"id":"b","type":"function","#
                    + #""function":{"name":"read_file","arguments":"{}"}}]"#))
        default:
            sent = text("odd numbers")
        }
        guard sent else { return hostileLost() }
        let usage: String? = switch kind {
        case .usageAbsurd:
            #"{"prompt_tokens":-1,"completion_tokens":9223372036854775807,"total_tokens":9223372036854775807,"#
                + #""prompt_tokens_details":{"cached_tokens":-5},"#
                + #""completion_tokens_details":{"reasoning_tokens":9223372036854775807},"cost":-1}"#
        case .hugeNumbers:
            #"{"prompt_tokens":1e300,"completion_tokens":99999999999999999999999,"total_tokens":-1e300,"#
                + #""prompt_tokens_details":{"cached_tokens":1e300},"cost":1e400}"#
        default: nil
        }
        let finish = kind == .absurdToolIndex ? "tool_calls" : "stop"
        guard event(chunks.finish(finish)) else { return hostileLost() }
        if let usage, !event(chunks.usage(raw: usage)) { return hostileLost() }
        return event("[DONE]") ? .completed : hostileLost()
    }

    /// `data: ` and a content chunk whose content is `bytes` exactly (not escaped), then the blank line.
    private func contentEvent(_ bytes: [UInt8]) -> [UInt8] {
        Array(#"data: {"id":"h","object":"chat.completion.chunk","created":1,"model":"m","#.utf8)
            + Array(#""choices":[{"index":0,"delta":{"content":""#.utf8) + bytes
            + Array(#""},"finish_reason":null}]}"#.utf8) + Array("\n\n".utf8)
    }

    /// Streams a hostile Ollama chat reply (NDJSON): only `endless-line` differs from a
    /// plain reply.
    func streamHostileOllama(_ kind: MockHostility) -> ExchangeOutcome? {
        guard kind == .endlessLine else { return sendHostileStatus(kind) }
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nConnection: close\r\n\r\n"
        guard MockSocket.sendAll(fd, Array(head.utf8)) else { return hostileLost() }
        return sendEndless(prefix: Array(#"{"model":"m","message":{"role":"assistant","content":""#.utf8))
            ? .completed : hostileLost()
    }

    /// The statuses and headers shared by every route; `nil` for the body-level kinds.
    private func sendHostileStatus(_ kind: MockHostility) -> ExchangeOutcome? {
        let rateLimited = MockPlan.errorBody(status: 429)
        switch kind {
        case .retryAfterDate:
            return sendHostileWhole(Array(rateLimited.utf8), status: 429,
                                    headers: "Retry-After: \(MockHostility.absurdDate)\r\n")
        case .retryAfterHuge:
            return sendHostileWhole(Array(rateLimited.utf8), status: 429,
                                    headers: "Retry-After: 99999999999999999999999999\r\nretry-after-ms: 1e400\r\n")
        case .hugeHeaders:
            let line = "X-Padding: " + String(repeating: "p", count: 1000) + "\r\n"
            return sendHostileWhole(Array("{}".utf8), headers: String(repeating: line, count: 300))
        case .endlessErrorBody:
            let head = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
            guard MockSocket.sendAll(fd, Array(head.utf8)) else { return hostileLost() }
            return sendEndless(prefix: Array("error ".utf8)) ? .completed : hostileLost()
        default:
            return nil
        }
    }

    /// `prefix`, then `MockHostility.endlessBytes` of `x` with no line break, in 64 KiB writes;
    /// false as soon as the client leaves.
    private func sendEndless(prefix: [UInt8]) -> Bool {
        guard MockSocket.sendAll(fd, prefix) else { return false }
        let block = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
        for _ in 0..<(MockHostility.endlessBytes / block.count) where !MockSocket.sendAll(fd, block) {
            return false
        }
        return true
    }

    private func sendHostileWhole(_ body: [UInt8], status: Int = 200, headers: String = "") -> ExchangeOutcome {
        let head = "HTTP/1.1 \(status) \(Self.reasonPhrase(status))\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\n\(headers)Connection: close\r\n\r\n"
        return MockSocket.sendAll(fd, Array(head.utf8) + body) ? .completed : hostileLost()
    }

    private func hostileLost() -> ExchangeOutcome { isStopping() ? .serverStopped : .clientDisconnected }
}
