import AgentCore
import Foundation
import Synchronization
import Testing
@testable import AgentTools

/// Glob matching is linear, brace expansion capped, and a cancelled walk frees the caller.
@Suite(.timeLimit(.minutes(2))) struct BoundedReadTests {
    @Test(arguments: [
        ("*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?Z", false),
        ("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", false),
        ("**/**/**/**/**/**/**/**/**/**/**/**/x", false),
        ("*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?a", true),
    ])
    func hostilePatternsReturnAtOnce(pattern: String, expected: Bool) {
        let name = String(repeating: "a", count: 5000)
        let path = Array(repeating: "a", count: 400).joined(separator: "/")
        let text = pattern.hasPrefix("**") ? path : name
        // Exponential backtracking would not finish in the lifetime of the test run.
        #expect(GlobPattern(pattern).matches(text) == expected)
        #expect(GitIgnore(pattern).decision(for: text, isDirectory: false) == (expected ? true : nil))
    }

    @Test(arguments: [
        ("*.swift", "main.swift", true), ("*.swift", "src/main.swift", false), ("**/*.swift", "src/a/main.swift", true),
        ("**/*.swift", "main.swift", true), ("src/**", "src/a/b", true), ("src/**/x", "src/x", true),
        ("a/**/b/**/c", "a/1/b/2/3/c", true), ("a/**/b/**/c", "a/1/c/2/b", false), ("?.txt", "ab.txt", false),
        ("[a-c]x", "bx", true), ("[!a-c]x", "bx", false), ("a*b*c", "aXbYc", true), ("a*b*c", "aXbYcZ", false),
        ("\\*", "*", true), ("*", "", false),
    ])
    func globsMatchAsBefore(pattern: String, path: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(path) == expected, "\(pattern) vs \(path)")
    }

    @Test func commandGlobsCrossSlashesAndSpaces() {
        #expect(Glob("git status*", paths: false).matches("git status -s src/"))
        #expect(!Glob("git status*", paths: false).matches("git push"))
        #expect(Glob("*_API_KEY", paths: false).matches("OPENAI_API_KEY"))
    }

    @Test func braceExpansionIsCapped() {
        #expect(GlobPattern.expandingBraces("*.{h,c}") == ["*.h", "*.c"])
        #expect(GlobPattern.expandingBraces("{a,{b,c}}x") == ["ax", "bx", "cx"])
        let hostile = String(repeating: "{a,b}", count: 40)
        let expansion = Glob.braceExpansion(hostile)
        #expect(expansion.patterns.count == Glob.braceExpansionLimit)
        #expect(!expansion.complete)
    }

    @Test func findFilesRefusesAnExplodingBracePattern() async throws {
        try await withProject { project in
            let output = try await project.execute("find_files", ["pattern": String(repeating: "{a,b}", count: 30)])
            #expect(output.isError)
            #expect(output.content.contains("expand to more than"), "\(output.content)")
        }
    }

    /// Cancelling a find_files whose walk is stuck returns at once; the walk stops later.
    @Test func cancellingAStuckWalkReturnsAtOnce() async throws {
        try await withProject { project in
            try project.write("a/b/c.txt", "x")
            let gate = WalkGate()
            let tools = project.tools.observingDirectories { _ in gate.hold() }
            let running = Task { await tools.execute(try call("find_files", ["pattern": "*.txt"])) }
            #expect(await eventually { gate.isHolding }, "the walk reached the gate")
            running.cancel()
            let output = try await running.value
            #expect(output.isError)
            #expect(output.content.contains("cancelled"), "\(output.content)")
            #expect(gate.isHolding, "the walk is still stuck, and the caller did not wait for it")
            gate.release()
        }
    }
}

/// Holds walk threads until released.
final class WalkGate: Sendable {
    private let state = Mutex((holding: false, released: false))

    var isHolding: Bool { state.withLock { $0.holding } }

    func hold() {
        state.withLock { $0.holding = true }
        while !state.withLock({ $0.released }) { usleep(1000) }
    }

    func release() { state.withLock { $0.released = true } }
}
