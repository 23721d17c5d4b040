import AgentCore
import Foundation
import Synchronization
import Testing
@testable import AgentTools

/// A command's output handed on while it runs (issue 14, bug 3; D111).
@Suite(.timeLimit(.minutes(2))) struct LiveOutputTests {
    /// What the progress callback received, in order.
    final class Received: Sendable {
        let text = Mutex("")
        func add(_ piece: String) { text.withLock { $0 += piece } }
        var value: String { text.withLock { $0 } }
    }

    @Test func outputArrivesBeforeTheCommandEndsAndCancelKeepsIt() async throws {
        try await withProject(limits: ToolLimits(killGraceSeconds: 0.5)) { project in
            let tools = project.tools
            let received = Received()
            let running = Task {
                await tools.execute(try call("run_command", ["command": "echo first; echo second; sleep 1000"]),
                                    progress: { received.add($0) })
            }
            let seen = await eventually { received.value.contains("second") }
            #expect(seen)
            running.cancel()
            let output = try await running.value
            #expect(output.summary == "cancelled")
            #expect(output.content.contains("first\nsecond"))
            #expect(received.value == "first\nsecond\n")
        }
    }

    @Test func feedThrottlesKeepsTheTailAndHoldsSplitCharacters() {
        var feed = LiveOutputFeed(limit: 8, interval: .seconds(3600))
        let start = ContinuousClock.now
        feed.append(ArraySlice(Array("ab".utf8)))
        #expect(feed.take(now: start) == "ab")
        feed.append(ArraySlice(Array("cd".utf8)))
        // Within the interval nothing is handed on, unless forced.
        #expect(feed.take(now: start) == nil)
        #expect(feed.take(now: start, force: true) == "cd")
        // An "é" split across reads waits for its second byte.
        var split = LiveOutputFeed(limit: 8, interval: .zero)
        let bytes = Array("xé".utf8)
        split.append(ArraySlice(bytes.prefix(2)))
        #expect(split.take(now: start) == "x")
        split.append(ArraySlice(bytes.suffix(1)))
        #expect(split.take(now: start) == "é")
        // Hostile volume: only the newest bytes are kept.
        var bounded = LiveOutputFeed(limit: 8, interval: .zero)
        for _ in 0..<1000 { bounded.append(ArraySlice(Array("0123456789".utf8))) }
        let tail = bounded.take(now: start) ?? ""
        #expect(tail.utf8.count <= 8)
        #expect(tail.hasSuffix("789"))
    }
}
