import AgentCore
import FoundationEssentials

/// When and how long to wait before repeating a failed request: exponential backoff with
/// jitter (capped per wait), or exactly the wait the server's `retry-after` asks for, bounded
/// in count and in total time.
///
/// Pure: the caller supplies elapsed time and a random number, so decisions are testable.
/// Only failures before any reply byte reached the consumer may be retried; the caller
/// enforces that, this type only judges the error and the budget.
public struct RetryPolicy: Sendable, Hashable {
    /// How a computed backoff `b` is randomized.
    public enum Jitter: Sendable, Hashable {
        /// Exactly `b`.
        case none
        /// Uniform in `0..<b` (spreads clients best, may wait very little).
        case full
        /// Uniform in `b/2..<b` (never less than half).
        case equal
    }

    /// What to do after a failed attempt.
    public enum Decision: Sendable, Hashable {
        /// Wait this many seconds, then try again.
        case retry(afterSeconds: Double)
        case giveUp
        /// The server asked to wait this many seconds, more than the total budget has left:
        /// fail at once (saying so) rather than wait less than asked or past the budget.
        case serverWaitTooLong(seconds: Double)
    }

    /// Retries after the first attempt (so `maxRetries + 1` attempts at most).
    public var maxRetries: Int
    /// The backoff before the first retry, in seconds.
    public var baseDelay: Double
    /// The backoff grows by this factor per retry.
    public var factor: Double
    /// Longest computed backoff in seconds. A server's `retry-after` is not capped by it:
    /// it is honoured exactly when it fits in `totalBudget`.
    public var maxDelay: Double
    /// Seconds from the first attempt after which no retry starts.
    public var totalBudget: Double
    public var jitter: Jitter

    /// The default retry count when the configuration gives none.
    public static let defaultMaxRetries = 3

    public init(maxRetries: Int = RetryPolicy.defaultMaxRetries, baseDelay: Double = 0.5, factor: Double = 2,
                maxDelay: Double = 20, totalBudget: Double = 60, jitter: Jitter = .equal) {
        self.maxRetries = min(max(0, maxRetries), InputLimits.maxRetries)
        self.baseDelay = max(0, baseDelay)
        self.factor = max(1, factor)
        self.maxDelay = max(0, maxDelay)
        self.totalBudget = max(0, totalBudget)
        self.jitter = jitter
    }

    /// The default policy with `maxRetries` from the provider's configuration.
    public init(config: ProviderConfig) {
        self.init(maxRetries: config.maxRetries ?? Self.defaultMaxRetries)
    }

    /// Never retries.
    public static let never = RetryPolicy(maxRetries: 0)

    /// Total attempts allowed, the first included.
    public var maxAttempts: Int { maxRetries + 1 }

    /// Whether a failure of this kind may succeed when repeated unchanged. A bad key, a bad
    /// request, a missing model or an overlong prompt will fail the same way again.
    public static func isRetryable(_ kind: ProviderError.Kind) -> Bool {
        switch kind {
        case .rateLimited, .serverError, .unreachable, .timedOut: true
        case .unauthorized, .modelNotFound, .contextTooLong, .badRequest, .badResponse,
             .streamInterrupted, .notConfigured, .toolsUnsupported: false
        }
    }

    /// The backoff before retry number `retry + 1` (0-based), before jitter and cap.
    public func backoff(retry: Int) -> Double {
        var delay = baseDelay
        for _ in 0..<max(0, retry) where delay < maxDelay { delay *= factor }
        return min(delay, maxDelay)
    }

    /// Decides what follows a failed attempt.
    ///
    /// - Parameters:
    ///   - error: the attempt's failure (its `retryAfterSeconds` is honoured exactly when the
    ///     wait ends within `totalBudget`; otherwise the decision is `.serverWaitTooLong`).
    ///   - retriesSoFar: retries already made (0 after the first attempt fails).
    ///   - elapsed: seconds since the first attempt started.
    ///   - unitRandom: a number in `0..<1` for the jitter.
    public func decide(after error: ProviderError, retriesSoFar: Int, elapsed: Double,
                       unitRandom: Double) -> Decision {
        guard Self.isRetryable(error.kind), retriesSoFar < maxRetries else { return .giveUp }
        let delay: Double
        if let retryAfter = error.retryAfterSeconds, retryAfter >= 0 {
            guard elapsed + retryAfter <= totalBudget else { return .serverWaitTooLong(seconds: retryAfter) }
            delay = retryAfter
        } else {
            let backoff = backoff(retry: retriesSoFar)
            let unit = min(max(unitRandom, 0), 1)
            delay = switch jitter {
            case .none: backoff
            case .full: backoff * unit
            case .equal: backoff / 2 + backoff / 2 * unit
            }
        }
        guard elapsed + delay <= totalBudget else { return .giveUp }
        return .retry(afterSeconds: delay)
    }

    /// The line shown while waiting, e.g. "rate limited, retrying in 2s (2/4)", where 2 is
    /// the attempt about to be made; a server error names its status ("server error (HTTP 503),
    /// ..."). Built from the error's kind and status only, so it never holds a secret.
    public func notice(for error: ProviderError, delay: Double, nextAttempt: Int) -> String {
        let status = error.kind == .serverError ? error.httpStatus.map { " (HTTP \($0))" } ?? "" : ""
        return "\(error.reason)\(status), retrying in \(Self.formatSeconds(delay)) (\(nextAttempt)/\(maxAttempts))"
    }

    /// "0.05s", "0.5s", "1.3s", "2s", "12s": two significant decimals below a second, one
    /// below ten, whole seconds above; trailing zeros dropped.
    static func formatSeconds(_ seconds: Double) -> String {
        let value = min(max(0, seconds), RetryAfter.longestWait)
        if value >= 9.95 { return "\(Int(value.rounded()))s" }
        let (scale, digits) = value < 0.995 ? (100, 2) : (10, 1)
        let scaled = Int((value * Double(scale)).rounded())
        let (whole, fraction) = (scaled / scale, scaled % scale)
        guard fraction != 0 else { return "\(whole)s" }
        var decimals = String(fraction)
        decimals = String(repeating: "0", count: digits - decimals.count) + decimals
        while decimals.hasSuffix("0") { decimals.removeLast() }
        return "\(whole).\(decimals)s"
    }
}

extension ProviderError {
    /// This error, saying that the server asked to wait `seconds` and that the request was
    /// not repeated because that wait does not fit in the retry budget (in place of the plain
    /// "retry after N s" note).
    func refusingWait(seconds: Double) -> ProviderError {
        var error = self
        let asked = RetryAfter.describe(seconds)
        let note = "the server asked to wait \(asked), longer than the retry budget allows: not retried"
        let plain = "retry after \(asked)"
        if let detail = error.detail, detail.contains(plain) {
            error.detail = detail.replacing(plain, with: note)
        } else {
            error.detail = error.detail.map { $0.isEmpty ? note : $0 + "; " + note } ?? note
        }
        return error
    }

    /// Marks a final error with how many attempts were made (when more than one).
    func afterAttempts(_ attempts: Int) -> ProviderError {
        guard attempts > 1 else { return self }
        var error = self
        let note = "gave up after \(attempts) attempts"
        error.detail = error.detail.map { $0.isEmpty ? note : $0 + "; " + note } ?? note
        return error
    }
}
