import FoundationEssentials

/// Every bound on what arrives from outside (servers, models, config and pricing files), in
/// one place (D50-D53). A buffer that would grow past its cap fails the request with a message
/// naming the cap and the URL and drops what it held; a number outside its range is clamped
/// (usage) or treated as unknown (metadata) or rejected with a message (config).
///
/// Tool output has its own caps (`ToolLimits` in AgentTools: 30,000 bytes of command output,
/// 100,000 bytes per `read_file` call, 10 MB files at most).
public enum InputLimits {
    // MARK: Buffers (bytes)

    /// One Server-Sent-Events line, and one event's `data` (all its lines joined): 8 MiB.
    /// The largest legitimate chunk is a whole non-streamed reply, far below.
    public static let maxEventBytes = 8 << 20
    /// One NDJSON line (an Ollama chunk): 8 MiB.
    public static let maxLineBytes = 8 << 20
    /// One JSON-RPC message from an MCP server (a line over stdio).
    public static let maxMCPMessageBytes = 8 << 20
    /// The part of a non-2xx body kept for the error message: 64 KiB (the rest is read and dropped).
    public static let maxErrorBodyBytes = 64 << 10
    /// A 2xx body kept while no event has decoded (a whole JSON reply to a streamed request): 8 MiB.
    public static let maxUnframedBodyBytes = 8 << 20
    /// A whole non-streamed body (model lists, `/api/show`, `/props`): 32 MiB. OpenRouter's
    /// full model list is about 1 MiB.
    public static let maxWholeBodyBytes = 32 << 20
    /// One streamed reply's body: 256 MiB (about 1.4 million tokens of OpenAI chunks; the
    /// longest outputs today are 128k tokens). Bounds what a server that never stops costs.
    public static let maxStreamedBodyBytes = 256 << 20
    /// All header lines of one response together: 256 KiB (libcurl also refuses a single
    /// header line over 100 KiB).
    public static let maxHeaderBytes = 256 << 10

    /// The config file and a LiteLLM pricing file: 16 MiB (LiteLLM's full table is about
    /// 1.3 MB). Read with `BoundedFile`, which also refuses devices and FIFOs.
    public static let maxConfigFileBytes = 16 << 20

    // MARK: Numbers

    /// The largest token count one usage field may report for one request (10^12): larger
    /// figures are clamped to it, negative ones to 0, so sums of a session's worth of
    /// requests cannot overflow and a cost stays finite.
    public static let maxTokenCount = 1_000_000_000_000
    /// The largest context window or output limit believed from a model list or config
    /// (10^9 tokens; the largest models today take 10^7). Beyond it (or below 1) the figure is
    /// unknown, so it never sizes a bar, a request option or an estimate.
    public static let maxContextTokens = 1_000_000_000
    /// The longest wait a server may ask for (`Retry-After`), and the longest configured
    /// timeout: a day.
    public static let maxWaitSeconds: Double = 86_400
    /// The most retries a configuration may ask for.
    public static let maxRetries = 100
    /// The most requests a configured turn may make (`maxSteps`).
    public static let maxSteps = 100_000

    /// The highest price believed, in USD per million tokens ($1 a token; list prices today
    /// stay below $1,000): above it, or NaN, a rate is unknown.
    public static let maxPricePerMillion: Decimal = 1_000_000
    /// The highest cost one request may report (`usage.cost`), in USD: above it, negative or
    /// NaN, the reported cost is ignored and the request is priced from the tables.
    public static let maxReportedCost: Decimal = 1_000_000

    /// A rate from outside: `nil` when NaN or above `maxPricePerMillion` (negative rates are
    /// kept: OpenRouter's `-1` marks a router, and `PriceQuote` treats it as unknown).
    public static func rate(_ value: Decimal?) -> Decimal? {
        guard let value, !value.isNaN, value <= maxPricePerMillion else { return nil }
        return value
    }

    /// A reported cost: `nil` unless in `0...maxReportedCost`.
    public static func reportedCost(_ value: Decimal?) -> Decimal? {
        guard let value, !value.isNaN, value >= 0, value <= maxReportedCost else { return nil }
        return value
    }

    /// A token count from a server made safe: negative → 0, above `maxTokenCount` → `maxTokenCount`.
    public static func tokenCount(_ value: Int) -> Int { min(max(value, 0), maxTokenCount) }

    /// A context or output limit from outside: `nil` unless in `1...maxContextTokens`.
    public static func contextTokens(_ value: Int?) -> Int? {
        guard let value, value >= 1, value <= maxContextTokens else { return nil }
        return value
    }

    /// A count of bytes for a message, e.g. `8 MiB`, `64 KiB`, `512 bytes`.
    public static func describeBytes(_ count: Int) -> String {
        if count >= 1 << 20, count % (1 << 20) == 0 { return "\(count >> 20) MiB" }
        if count >= 1 << 10, count % (1 << 10) == 0 { return "\(count >> 10) KiB" }
        return "\(count) bytes"
    }
}

extension Int {
    /// `self + other`, stopping at `Int.max` / `Int.min` instead of trapping.
    public func saturatingAdding(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self - other`, stopping at `Int.max` / `Int.min` instead of trapping.
    public func saturatingSubtracting(_ other: Int) -> Int {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : difference
    }

    /// `self * other`, stopping at `Int.max` / `Int.min` instead of trapping.
    public func saturatingMultiplied(by other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) == (other < 0) ? .max : .min) : product
    }

    /// A `Double` as an `Int` without trapping: NaN is `nil`; values beyond `Int`'s range stop
    /// at its ends; the fraction is dropped (toward zero).
    public init?(saturating value: Double) {
        guard !value.isNaN else { return nil }
        // 2^63 is the first Double above Int.max; -2^63 is Int.min itself.
        if value >= 0x1p63 { self = .max } else if value < -0x1p63 { self = .min } else { self = Int(value) }
    }
}
