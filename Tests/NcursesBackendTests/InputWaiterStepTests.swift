import Testing
@testable import NcursesBackend

/// What the input thread does with each `sc_wait_input` result (D61): it never loops
/// forever on a failure that every `poll` would report again.
@Suite(.timeLimit(.minutes(2))) struct InputWaiterStepTests {
    private func steps(_ results: [Int32]) -> [InputWaiter.Step] {
        var failures = 0
        return results.map { InputWaiter.step(for: $0, failuresInARow: &failures) }
    }

    @Test func keysAndWakeUpsAreReady() {
        #expect(steps([1, 2, 3, 0]) == [.ready, .ready, .ready, .waitAgain])
    }

    @Test func aHangUpOrABrokenWakePipeEndsInputAtOnce() {
        #expect(steps([4]) == [.hangUp])
        #expect(steps([5]) == [.hangUp])
        #expect(steps([16]) == [.hangUp])
        #expect(steps([2 | 16]) == [.hangUp])
    }

    @Test func pollErrorsAreRetriedAFewTimesThenEndInput() {
        #expect(steps([-1, -1, -1]) == [.retryAfterError, .retryAfterError, .hangUp])
        // Keys in between reset the count: only failures in a row end input.
        #expect(steps([-1, -1, 1, -1, -1, -1]) == [.retryAfterError, .retryAfterError, .ready,
                                                   .retryAfterError, .retryAfterError, .hangUp])
    }

    @Test func readableWithNothingQueuedThreeTimesInARowIsTheEndOfInput() {
        #expect(steps([8, 8, 8]) == [.waitAgain, .waitAgain, .hangUp])
        #expect(steps([8, 1, 8, 8, 1]) == [.waitAgain, .ready, .waitAgain, .waitAgain, .ready])
        // A wake-up from the pipe still reaches the loop (a resize, a signal).
        #expect(steps([8 | 2]) == [.ready])
    }
}
