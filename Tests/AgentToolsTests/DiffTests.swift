import Testing
@testable import AgentTools

@Suite(.timeLimit(.minutes(2))) struct DiffTests {
    /// Applies a script to `old`, taking inserted elements from `new`.
    private func apply<T>(_ steps: [LineDiff.Step], _ old: [T], _ new: [T]) -> [T] {
        var result: [T] = []
        var oldIndex = 0, newIndex = 0
        for step in steps {
            switch step {
            case .keep:
                result.append(old[oldIndex])
                oldIndex += 1
                newIndex += 1
            case .delete: oldIndex += 1
            case .insert:
                result.append(new[newIndex])
                newIndex += 1
            }
        }
        return result
    }

    @Test func scriptIsMinimalForAClassicExample() {
        let old = Array("ABCABBA"), new = Array("CBABAC")
        let steps = LineDiff.steps(old, new)
        #expect(apply(steps, old, new) == new)
        #expect(steps.count(where: { $0 != .keep }) == 5, "Myers' paper: edit distance 5")
    }

    @Test func scriptsReproduceTheNewSequence() {
        var seed: UInt64 = 42
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 60)
        }
        for _ in 0..<50 {
            let old = (0..<next() * 3).map { _ in next() % 4 }
            let new = (0..<next() * 3).map { _ in next() % 4 }
            #expect(apply(LineDiff.steps(old, new), old, new) == new)
            #expect(apply(LineDiff.steps(old, new, maximumCost: 2), old, new) == new, "fallback stays correct")
        }
    }

    @Test func distantChangesMakeSeparateHunksAndCloseOnesMerge() {
        let old = (1...20).map { "\($0)\n" }.joined()
        var lines = (1...20).map { "\($0)\n" }
        lines[1] = "two\n"
        lines[17] = "eighteen\n"
        let diff = UnifiedDiff(old: Array(old.utf8), new: Array(lines.joined().utf8), oldName: "n", newName: "n")
        #expect(diff.text == """
            --- a/n
            +++ b/n
            @@ -1,5 +1,5 @@
             1
            -2
            +two
             3
             4
             5
            @@ -15,6 +15,6 @@
             15
             16
             17
            -18
            +eighteen
             19
             20

            """)
        #expect(diff.added == 1 + 1 && diff.removed == 2)
        lines[5] = "six\n"
        let merged = UnifiedDiff(old: Array(old.utf8), new: Array(lines.joined().utf8), oldName: "n", newName: "n")
        #expect(merged.text.contains("@@ -1,9 +1,9 @@"))
    }

    @Test func missingFinalNewlineIsMarked() {
        let diff = UnifiedDiff(old: Array("a\nb".utf8), new: Array("a\nb\n".utf8), oldName: "f", newName: "f")
        #expect(diff.text == "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n")
    }

    @Test func equalContentsGiveNoDiff() {
        let diff = UnifiedDiff(old: Array("same\n".utf8), new: Array("same\n".utf8), oldName: "f", newName: "f")
        #expect(diff.text.isEmpty)
    }
}
