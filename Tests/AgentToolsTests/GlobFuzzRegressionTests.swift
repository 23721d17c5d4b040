import AgentCore
import Testing
@testable import AgentTools

/// Inputs the `glob` and `gitignore` fuzzers found (docs/FUZZING.md). Each would run for
/// hours or exhaust memory with the old recursive matcher and brace expansion; the
/// expectations check the answers, which the old code also gave when it finished.
@Suite(.timeLimit(.minutes(2))) struct GlobFuzzRegressionTests {
    /// The `glob` fuzzer's timeout, as found (invalid UTF-8 decoded to U+FFFD): runs of `*`
    /// and `?` inside one name against an 87-character name.
    @Test func fuzzerTimeoutReproducer() {
        let pattern = "**?**?**\u{FFFD}\u{FFFD}*\u{FFFD}?[\u{5}s^c%]rs"
        let path = "/" + String(repeating: "\u{FFFD}", count: 87) + "\u{650}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}ab8+b?:\u{FFFD}o"
        #expect(!GlobPattern(pattern).matches(path))
        #expect(!GlobPattern("**/" + pattern).matches(path))
        #expect(GlobPattern(pattern).matches(String(repeating: "\u{FFFD}", count: 87) + "xcrs"))
    }

    /// The `gitignore` fuzzer's crash: `/` followed by a name that starts with a combining
    /// mark (U+0594) is one Character, so the rule was neither anchored nor split there.
    @Test func slashBeforeACombiningMarkStillSeparates() {
        let name = "\u{594}" + String(repeating: "\u{FFFD}", count: 6) + "ept."
        #expect(GitIgnore("/" + name).isIgnoredFile(name))
        #expect(!GitIgnore("/" + name).isIgnoredFile("sub/" + name))
        #expect(GitIgnore("docs/" + name).isIgnoredFile("docs/" + name))
        #expect(GlobPattern("a/\u{301}b").matches("a/\u{301}b"))
        #expect(GlobPattern("*/\u{301}b").matches("a/\u{301}b"))
        #expect(GitIgnore("#\u{301}x").rules.isEmpty)  // still a comment
        #expect(GitIgnore("!\u{301}x").rules.first?.negated == true)
        var stack = IgnoreStack()
        stack.push(base: "sub", rules: GitIgnore("/\u{301}x"))
        #expect(stack.isIgnored("sub/\u{301}x", isDirectory: false))
    }

    @Test func starsAgainstALongNameDoNotBacktrack() {
        let pattern = String(repeating: "*a", count: 12) + "*b"
        let name = String(repeating: "a", count: 300)
        #expect(!GlobPattern(pattern).matches(name))
        #expect(GlobPattern(pattern).matches(name + "b"))
        #expect(!GitIgnore(pattern).isIgnoredFile(name))
    }

    @Test func manyDoubleStarSegmentsAgainstADeepPath() {
        let pattern = String(repeating: "**/", count: 30) + "x"
        let deep = String(repeating: "a/", count: 200)
        #expect(!GlobPattern(pattern).matches(deep + "y"))
        #expect(GlobPattern(pattern).matches(deep + "x"))
        #expect(GlobPattern("a/**/b/**/c").matches("a/b/c"))
        #expect(GlobPattern("a/**/b/**/c").matches("a/x/b/y/z/c"))
        #expect(!GlobPattern("a/**/b/**/c").matches("a/x/c/b"))
    }

    @Test func braceExpansionStopsAtTheLimit() {
        let pattern = String(repeating: "{a,b}", count: 40)
        #expect(GlobPattern.expandingBraces(pattern).count == Glob.braceExpansionLimit)
        #expect(GlobPattern.expandingBraces("{a,b}{c,d}") == ["ac", "ad", "bc", "bd"])
        #expect(throws: ToolError.self) { try NameFilter.check(pattern, tool: "find_files") }
        #expect(throws: ToolError.self) { try NameFilter.check(String(repeating: "x", count: 5000), tool: "find_files") }
        #expect((try? NameFilter.check("*.{h,c}", tool: "find_files")) != nil)
    }

    @Test func findFilesRejectsAPatternThatExpandsTooFar() async throws {
        try await withProject { project in
            try project.write("a.swift", "")
            let preparation = try await project.prepare("find_files", ["pattern": String(repeating: "{a,b}", count: 40)])
            guard case .invalid(let output) = preparation else {
                Issue.record("a pattern of 2^40 alternatives was accepted")
                return
            }
            #expect(output.summary.contains("more than 256 alternatives"))
        }
    }
}

extension GitIgnore {
    /// The rules' answer for a file, false when no rule matches.
    func isIgnoredFile(_ path: String) -> Bool { decision(for: path, isDirectory: false) ?? false }
}
