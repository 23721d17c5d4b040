import Testing
@testable import Providers

/// When a transfer's body bytes are handed on (D184, D185) and how long the transfer thread
/// leaves the socket alone while it holds them (D190), with the time passed by hand.
@Suite(.timeLimit(.minutes(1))) struct BodyPacerTests {
    @Test func theFirstBytesGoAtOnceThenNoSoonerThanTheHold() {
        let start = ContinuousClock.now
        var pacer = BodyPacer(start: start)
        #expect(pacer.decide(now: start) == .handOn)  // the first token of a reply
        #expect(pacer.decide(now: start + .milliseconds(5)) == .wait(pause: 12, poll: 18))
        #expect(pacer.decide(now: start + .milliseconds(30)) == .wait(pause: 5, poll: 0))
        #expect(pacer.decide(now: start + .microseconds(34_200)) == .wait(pause: 1, poll: 0))  // rounded up, never 0
        #expect(pacer.decide(now: start + .milliseconds(35)) == .handOn)
        #expect(pacer.decide(now: start + .milliseconds(36)) == .wait(pause: 12, poll: 22))
        // After a pause the next bytes go at once.
        #expect(pacer.decide(now: start + .seconds(2)) == .handOn)
    }

    /// 200 tokens/s for one second, a decision whenever the thread wakes: when a token
    /// arrives while it polls, or when its pause or poll ends. About one hand-on per 35 ms,
    /// and the thread wakes about 115 times for 200 tokens (about 140 with D190's 8 ms
    /// pauses, one per token without them: D190, D202).
    @Test func tokensEvery5msAreHandedOnAboutEvery35msWithFewerWakeUpsThanTokens() {
        let start = ContinuousClock.now
        var pacer = BodyPacer(start: start)
        let arrivals: [Duration] = stride(from: 0, to: 1000, by: 5).map { .milliseconds($0) }
        var handOns = 0
        var wakeUps = 0
        var now = Duration.zero
        var read = 0  // tokens read so far
        while read < arrivals.count {
            wakeUps += 1
            read = arrivals.firstIndex { $0 > now } ?? arrivals.count
            switch pacer.decide(now: start + now) {
            case .handOn:
                handOns += 1
                // Poll until the next token arrives.
                if read < arrivals.count { now = arrivals[read] }
            case .wait(let pause, let poll):
                // The last bytes are never read later than `readPause` after they came.
                #expect(pause >= 1 && pause <= BodyPacer.readPause)
                // Asleep for `pause`; then a token that came meanwhile is read at once, else
                // the thread polls until the next one or for `poll`.
                let resumed = now + .milliseconds(Int(pause))
                let cameMeanwhile = arrivals.contains { $0 > now && $0 <= resumed }
                let nextToken = arrivals.first { $0 > resumed } ?? .seconds(10)
                now = cameMeanwhile || poll == 0 ? resumed : min(nextToken, resumed + .milliseconds(Int(poll)))
            }
        }
        #expect((25...31).contains(handOns), "\(handOns) hand-ons for 200 tokens")
        #expect(wakeUps <= 120, "\(wakeUps) wake-ups for 200 tokens")
    }
}
