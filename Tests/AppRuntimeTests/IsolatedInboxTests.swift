import Testing
import ThreadSupport

/// The loop's inbox: what producers on any thread put in comes out once, in each producer's
/// order, to one consumer waiting on its actor; `finish` ends it after what is queued.
@Suite(.timeLimit(.minutes(1))) struct IsolatedInboxTests {
    /// Holds the consumer, so it waits isolated to an actor as the app's loop does.
    actor Consumer {
        func take(_ count: Int, from inbox: IsolatedInbox<Int>) async -> [Int] {
            var taken: [Int] = []
            while taken.count < count, let element = await inbox.next() { taken.append(element) }
            return taken
        }

        func drain(_ inbox: IsolatedInbox<Int>) async -> [Int] {
            var taken: [Int] = []
            while let element = await inbox.next() { taken.append(element) }
            return taken
        }
    }

    @Test func queuedElementsComeOutInOrderThenNilAfterFinish() async {
        let inbox = IsolatedInbox<Int>()
        for value in 0..<300 { inbox.yield(value) }
        let first = await Consumer().take(100, from: inbox)
        for value in 300..<500 { inbox.yield(value) }
        inbox.finish()
        inbox.yield(999) // after finish: dropped
        let rest = await Consumer().drain(inbox)
        #expect(first.elementsEqual(0..<100))
        #expect(rest.elementsEqual(100..<500))
        #expect(await inbox.next() == nil)
    }

    @Test func producersOnOtherThreadsLoseNothingWhileTheConsumerWaits() async {
        let inbox = IsolatedInbox<Int>()
        let producers = 4, perProducer = 5_000
        let consumer = Consumer()
        async let taken = consumer.take(producers * perProducer, from: inbox)
        for producer in 0..<producers {
            DetachedThread.spawn {
                for index in 0..<perProducer { inbox.yield(producer * perProducer + index) }
            }
        }
        let all = await taken
        #expect(all.count == producers * perProducer)
        for producer in 0..<producers {
            let own = all.filter { $0 / perProducer == producer }
            #expect(own.elementsEqual(producer * perProducer..<(producer + 1) * perProducer), "producer \(producer)")
        }
    }

    @Test func finishWakesAWaitingConsumerWithNil() async {
        let inbox = IsolatedInbox<Int>()
        let consumer = Consumer()
        async let taken = consumer.drain(inbox)
        inbox.yield(7)
        DetachedThread.spawn { inbox.finish() }
        #expect(await taken == [7])
    }
}
