import Testing
@testable import Providers

/// When a transfer's body bytes are handed on (D184, D185) and how long the transfer thread
/// leaves the socket alone while it holds them (D190), with the time passed by hand.
@Suite(.timeLimit(.minutes(1))) struct BodyPacerTests {
    @Test func theFirstBytesGoAtOnceThenNoSoonerThanTheHold() {
        let start = ContinuousClock.now
        var pacer = BodyPacer(start: start)
        #expect(pacer.decide(now: start) == .handOn(pauseAfter: 0))  // the first token of a reply
        #expect(pacer.decide(now: start + .milliseconds(5)) == .wait(pause: 12, poll: 18))
        #expect(pacer.decide(now: start + .milliseconds(30)) == .wait(pause: 5, poll: 0))
        #expect(pacer.decide(now: start + .microseconds(34_200)) == .wait(pause: 1, poll: 0))  // rounded up, never 0
        // A dense stream: after the hand-on the next tokens are left to gather for a pause.
        #expect(pacer.decide(now: start + .milliseconds(35)) == .handOn(pauseAfter: 12))
        #expect(pacer.decide(now: start + .milliseconds(48)) == .wait(pause: 12, poll: 10))
        #expect(pacer.decide(now: start + .milliseconds(70)) == .handOn(pauseAfter: 12))
        // A slow stream: each token goes at once, and the socket is watched again right after.
        #expect(pacer.decide(now: start + .seconds(2)) == .handOn(pauseAfter: 0))
        #expect(pacer.decide(now: start + .seconds(3)) == .handOn(pauseAfter: 0))
    }

    /// Tokens arriving every `every` for one second, a decision whenever the transfer thread
    /// wakes: when a token arrives while it polls, or when a pause or poll ends.
    static func simulate(every: Duration) -> (tokens: Int, handOns: Int, wakeUps: Int, latestRead: Duration) {
        let start = ContinuousClock.now
        var pacer = BodyPacer(start: start)
        let arrivals: [Duration] = Array(sequence(first: Duration.zero) { $0 + every }.prefix { $0 < .seconds(1) })
        var handOns = 0, wakeUps = 0, read = 0  // tokens read so far
        var now = Duration.zero, latestRead = Duration.zero
        /// Asleep for `pause` ms; then a token that came meanwhile is read at once, else the
        /// thread polls until the next one or for `poll` ms (nil: no limit).
        func sleep(_ pause: Int32, poll: Int32?) -> Duration {
            let resumed = now + .milliseconds(Int(pause))
            let cameMeanwhile = pause > 0 && arrivals.contains { $0 > now && $0 <= resumed }
            let nextToken = arrivals.first { $0 > resumed } ?? .seconds(10)
            guard !cameMeanwhile, poll != 0 else { return resumed }
            return poll.map { min(nextToken, resumed + .milliseconds(Int($0))) } ?? nextToken
        }
        while read < arrivals.count {
            wakeUps += 1
            let readNow = arrivals.firstIndex { $0 > now } ?? arrivals.count
            if readNow > read { latestRead = max(latestRead, now - arrivals[readNow - 1]) }
            read = readNow
            switch pacer.decide(now: start + now) {
            case .handOn(let pauseAfter):
                handOns += 1
                #expect(pauseAfter >= 0 && pauseAfter <= BodyPacer.readPause)
                if read < arrivals.count { now = sleep(pauseAfter, poll: nil) }
            case .wait(let pause, let poll):
                #expect(pause >= 1 && pause <= BodyPacer.readPause)
                now = sleep(pause, poll: poll)
            }
        }
        return (arrivals.count, handOns, wakeUps, latestRead)
    }

    /// 200 tokens/s: about one hand-on per 35 ms, and the thread wakes about 85 times for
    /// 200 tokens (about 115 when the token after a hand-on woke it by itself, D206; 140
    /// with D190's 8 ms pauses; one per token without them).
    @Test func tokensEvery5msAreHandedOnAboutEvery35msWithFewerWakeUpsThanTokens() {
        let run = Self.simulate(every: .milliseconds(5))
        #expect(run.tokens == 200)
        #expect((25...31).contains(run.handOns), "\(run.handOns) hand-ons for 200 tokens")
        #expect(run.wakeUps <= 95, "\(run.wakeUps) wake-ups for 200 tokens")
        // A token's bytes are never read later than one pause after they came.
        #expect(run.latestRead <= .milliseconds(Int(BodyPacer.readPause)), "\(run.latestRead)")
    }

    /// At any rate, a token's bytes are read within one pause of their arrival, at most 29
    /// hand-ons a second go to the consumer, and the thread never wakes more than three
    /// times a hold or once a token, whichever is more.
    @Test(arguments: [2, 8, 15, 20, 30, 40, 60])
    func everyRateIsReadWithinAPauseAndHandedOnAtMostOnceAHold(everyMilliseconds: Int) {
        let run = Self.simulate(every: .milliseconds(everyMilliseconds))
        #expect(run.latestRead <= .milliseconds(Int(BodyPacer.readPause)), "\(run.latestRead)")
        #expect(run.handOns <= 29, "\(run.handOns) hand-ons")
        #expect(run.wakeUps <= max(run.tokens, 3 * 29), "\(run.wakeUps) wake-ups for \(run.tokens) tokens")
    }

    /// 10 tokens/s, a local model: each token is handed on as it comes, one wake-up each.
    @Test func aSlowStreamIsHandedOnTokenByTokenWithoutPauses() {
        let run = Self.simulate(every: .milliseconds(100))
        #expect(run.tokens == 10)
        #expect(run.handOns == 10)
        #expect(run.wakeUps == 10)
        #expect(run.latestRead == .zero)
    }
}
