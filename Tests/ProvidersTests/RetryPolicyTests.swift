import AgentCore
import FoundationEssentials
import Testing
@testable import Providers

@Suite("RetryPolicy", .timeLimit(.minutes(2)))
struct RetryPolicyTests {
    static func failure(_ kind: ProviderError.Kind, status: Int? = nil, retryAfter: Double? = nil) -> ProviderError {
        ProviderError(kind: kind, provider: "p", url: "http://x/v1/chat/completions", httpStatus: status,
                      retryAfterSeconds: retryAfter)
    }

    static func delay(_ decision: RetryPolicy.Decision) -> Double? {
        if case .retry(let seconds) = decision { seconds } else { nil }
    }

    @Test(arguments: [
        // (jitter, unit random, expected delays before retries 1, 2, 3)
        (RetryPolicy.Jitter.none, 0.3, [0.5, 1, 2]),
        (.full, 0.5, [0.25, 0.5, 1]),
        (.full, 0, [0, 0, 0]),
        (.equal, 0, [0.25, 0.5, 1]),
        (.equal, 0.5, [0.375, 0.75, 1.5]),
    ] as [(RetryPolicy.Jitter, Double, [Double])])
    func backoffDelaysWithAFixedRandomSource(jitter: RetryPolicy.Jitter, unit: Double, expected: [Double]) {
        let policy = RetryPolicy(jitter: jitter)
        let delays = (0..<3).map { retry in
            Self.delay(policy.decide(after: Self.failure(.serverError, status: 503), retriesSoFar: retry,
                                     elapsed: 0, unitRandom: unit))
        }
        #expect(delays == expected)
        #expect(policy.decide(after: Self.failure(.serverError), retriesSoFar: 3, elapsed: 0, unitRandom: unit) == .giveUp)
    }

    @Test func backoffGrowsUpToTheCap() {
        let policy = RetryPolicy(maxRetries: 10)
        #expect((0..<8).map { policy.backoff(retry: $0) } == [0.5, 1, 2, 4, 8, 16, 20, 20])
    }

    @Test(arguments: [
        // (retry-after, seconds already spent, decision): exact when it fits in the 60 s budget.
        (7.0, 0.0, RetryPolicy.Decision.retry(afterSeconds: 7)), (0.05, 0, .retry(afterSeconds: 0.05)),
        (0, 0, .retry(afterSeconds: 0)), (45, 0, .retry(afterSeconds: 45)), (60, 0, .retry(afterSeconds: 60)),
        (90, 0, .serverWaitTooLong(seconds: 90)), (40, 30, .serverWaitTooLong(seconds: 40)),
    ] as [(Double, Double, RetryPolicy.Decision)])
    func retryAfterIsHonouredExactlyWithinTheBudget(retryAfter: Double, elapsed: Double,
                                                    expected: RetryPolicy.Decision) {
        // maxDelay (20 s by default) caps computed backoff only, never the server's wait.
        let decision = RetryPolicy().decide(after: Self.failure(.rateLimited, status: 429, retryAfter: retryAfter),
                                            retriesSoFar: 0, elapsed: elapsed, unitRandom: 0.9)
        #expect(decision == expected)
    }

    @Test func aWaitTooLongSaysWhatTheServerAsked() {
        let error = ErrorClassifier.httpError(status: 429, headers: ["retry-after": "120"],
                                              body: Array(#"{"error":{"message":"slow down","code":"rate_limit"}}"#.utf8),
                                              provider: "p", url: "u")
        #expect(error.detail == "code rate_limit, retry after 120 s")
        #expect(error.refusingWait(seconds: 120).detail
            == "code rate_limit, the server asked to wait 120 s, longer than the retry budget allows: not retried")
        #expect(Self.failure(.rateLimited).refusingWait(seconds: 90).detail
            == "the server asked to wait 90 s, longer than the retry budget allows: not retried")
    }

    @Test func theTotalBudgetEndsRetries() {
        let policy = RetryPolicy(jitter: .none)
        let error = Self.failure(.timedOut)
        #expect(policy.decide(after: error, retriesSoFar: 0, elapsed: 59.5, unitRandom: 0) == .retry(afterSeconds: 0.5))
        #expect(policy.decide(after: error, retriesSoFar: 0, elapsed: 59.6, unitRandom: 0) == .giveUp)
        let slow = Self.failure(.rateLimited, retryAfter: 20)
        #expect(policy.decide(after: slow, retriesSoFar: 1, elapsed: 45, unitRandom: 0) == .serverWaitTooLong(seconds: 20))
        #expect(policy.decide(after: slow, retriesSoFar: 3, elapsed: 0, unitRandom: 0) == .giveUp)
    }

    @Test(arguments: [
        (ProviderError.Kind.rateLimited, true), (.serverError, true), (.unreachable, true), (.timedOut, true),
        (.unauthorized, false), (.badRequest, false), (.modelNotFound, false), (.contextTooLong, false),
        (.badResponse, false), (.streamInterrupted, false), (.notConfigured, false),
    ] as [(ProviderError.Kind, Bool)])
    func onlyTransientKindsAreRetried(kind: ProviderError.Kind, retried: Bool) {
        let decision = RetryPolicy().decide(after: Self.failure(kind), retriesSoFar: 0, elapsed: 0, unitRandom: 0)
        #expect((decision != .giveUp) == retried)
        #expect(RetryPolicy.isRetryable(kind) == retried)
    }

    @Test func theRetryCountComesFromTheConfiguration() {
        let config = ProviderConfig(name: "p", kind: .openAI, apiBase: "", maxRetries: 1)
        let policy = RetryPolicy(config: config)
        #expect(policy.maxAttempts == 2)
        #expect(policy.decide(after: Self.failure(.serverError), retriesSoFar: 1, elapsed: 0, unitRandom: 0) == .giveUp)
        #expect(RetryPolicy(config: ProviderConfig(name: "p", kind: .openAI, apiBase: "")).maxRetries == 3)
        #expect(RetryPolicy.never.decide(after: Self.failure(.serverError), retriesSoFar: 0, elapsed: 0,
                                         unitRandom: 0) == .giveUp)
    }

    @Test func noticesSayWhyHowLongAndWhichAttempt() {
        let policy = RetryPolicy()
        #expect(policy.notice(for: Self.failure(.rateLimited, status: 429), delay: 2, nextAttempt: 2)
            == "rate limited, retrying in 2s (2/4)")
        #expect(policy.notice(for: Self.failure(.serverError, status: 503), delay: 0.5, nextAttempt: 3)
            == "server error (HTTP 503), retrying in 0.5s (3/4)")
        #expect(policy.notice(for: Self.failure(.unreachable), delay: 1.25, nextAttempt: 4)
            == "server unreachable, retrying in 1.3s (4/4)")
        #expect([0, 0.04, 0.25, 0.999, 1.25, 9.96, 12.4].map(RetryPolicy.formatSeconds)
            == ["0s", "0.04s", "0.25s", "1s", "1.3s", "10s", "12s"])
    }

    /// Issue 14, bug 19: the README showed `(1/3)` (retry k of maxRetries) while the meter
    /// says `(2/4)` (attempt k of max attempts). The README's example is what the app prints.
    @Test func theReadmeShowsTheNoticeTheMeterPrints() throws {
        let root = String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/")
        let data = try #require(FileManager.default.contents(atPath: "/" + root + "/README.md"))
        let readme = String(decoding: data, as: UTF8.self)
        let notice = RetryPolicy().notice(for: Self.failure(.rateLimited, status: 429), delay: 2, nextAttempt: 2)
        #expect(readme.contains("(\"\(notice)\")"), "README should quote \(notice)")
        #expect(!readme.contains("(1/3)"))
    }
}

@Suite("Retry-After headers", .timeLimit(.minutes(2)))
struct RetryAfterTests {
    static let now = Date(timeIntervalSince1970: 1_445_412_480) // Wed, 21 Oct 2015 07:28:00 GMT

    @Test(arguments: [
        (["retry-after": "7"], 7.0),
        (["retry-after": " 1.5 "], 1.5),
        (["retry-after-ms": "250"], 0.25),
        (["retry-after-ms": "250", "retry-after": "9"], 0.25),
        (["retry-after-ms": "soon", "retry-after": "9"], 9),
        (["retry-after": "Wed, 21 Oct 2015 07:28:30 GMT"], 30),
        (["retry-after": "Wed, 21 Oct 2015 07:00:00 GMT"], 0),
        // Absurd waits are capped at a day, so formatting them cannot overflow.
        (["retry-after": "1e19"], RetryAfter.longestWait),
        (["retry-after-ms": "1e22"], RetryAfter.longestWait),
    ] as [([String: String], Double)])
    func headersGiveSeconds(headers: [String: String], seconds: Double) {
        #expect(RetryAfter.seconds(headers: headers, now: Self.now) == seconds)
    }

    @Test(arguments: [[:], ["retry-after": "later"], ["retry-after": "-3"], ["retry-after": "Wed, 32 Oct 2015 07:28:30 GMT"]]
          as [[String: String]])
    func unusableHeadersGiveNothing(headers: [String: String]) {
        #expect(RetryAfter.seconds(headers: headers, now: Self.now) == nil)
    }

    @Test func hugeWaitsFormatWithoutTrapping() {
        #expect(RetryPolicy.formatSeconds(1e300) == "86400s")
    }

    @Test func httpDatesParse() {
        #expect(RetryAfter.httpDate("Thu, 29 Feb 2024 23:59:59 GMT")?.timeIntervalSince1970 == 1_709_251_199)
        #expect(RetryAfter.httpDate("Thursday, 29-Feb-24 23:59:59 GMT") == nil)
    }

    @Test func theClassifierRecordsRetryAfter() {
        let error = ErrorClassifier.httpError(status: 429, headers: ["retry-after-ms": "1500"], body: [],
                                              provider: "p", url: "u")
        #expect(error.retryAfterSeconds == 1.5)
        #expect(error.detail == "retry after 1.5 s")
        let plain = ErrorClassifier.httpError(status: 503, headers: [:], body: [], provider: "p", url: "u")
        #expect(plain.retryAfterSeconds == nil)
    }
}
