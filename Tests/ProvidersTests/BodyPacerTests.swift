import Testing
@testable import Providers

/// When a transfer's body bytes are handed on (D184), with the time passed by hand.
@Suite(.timeLimit(.minutes(1))) struct BodyPacerTests {
    @Test func theFirstBytesGoAtOnceThenNoSoonerThanTheHold() {
        let start = ContinuousClock.now
        var pacer = BodyPacer(start: start)
        #expect(pacer.decide(now: start) == .handOn)  // the first token of a reply
        #expect(pacer.decide(now: start + .milliseconds(5)) == .wait(30))
        #expect(pacer.decide(now: start + .microseconds(34_200)) == .wait(1))  // rounded up, never 0
        #expect(pacer.decide(now: start + .milliseconds(35)) == .handOn)
        #expect(pacer.decide(now: start + .milliseconds(36)) == .wait(34))
        // After a pause the next bytes go at once.
        #expect(pacer.decide(now: start + .seconds(2)) == .handOn)
    }

    @Test func tokensEvery5msAreHandedOnAboutEvery35ms() {
        let start = ContinuousClock.now
        var pacer = BodyPacer(start: start)
        var handOns = 0
        var waiting = false
        // 200 tokens/s for one second; a decision when a token arrives or a wait ends.
        var next: [Duration] = stride(from: 0, to: 1000, by: 5).map { .milliseconds($0) }
        while let at = next.first {
            next.removeFirst()
            switch pacer.decide(now: start + at) {
            case .handOn: handOns += 1; waiting = false
            case .wait(let ms):
                if !waiting { next.append(at + .milliseconds(Int(ms))); next.sort() }
                waiting = true
            }
        }
        // One per streaming frame (33 ms, D183) at most: 200 tokens in about 29 hand-ons.
        #expect((25...31).contains(handOns), "\(handOns) hand-ons for 200 tokens")
    }
}
