/// Formats a unified diff (`--- a/path`, `+++ b/path`, `@@ -l,n +l,n @@` hunks with context)
/// of two file contents, as `diff -u` and `git diff` print it. Pure.
struct UnifiedDiff: Sendable, Hashable {
    /// The diff text; empty when the contents are equal.
    var text: String
    /// Lines added and removed.
    var added: Int
    var removed: Int

    /// Compares `old` and `new` line by line (line endings count, so a CRLF→LF change shows).
    /// `oldName` is nil for a file being created (`--- /dev/null`).
    init(old: [UInt8], new: [UInt8], oldName: String?, newName: String, context: Int = 3) {
        let oldLines = TextBytes.lines(old)
        let newLines = TextBytes.lines(new)
        let steps = LineDiff.steps(oldLines, newLines)
        added = steps.count(where: { $0 == .insert })
        removed = steps.count(where: { $0 == .delete })
        guard added + removed > 0 else { text = ""; return }
        var output = "--- \(oldName.map { "a/" + $0 } ?? "/dev/null")\n+++ b/\(newName)\n"
        for hunk in Self.hunks(steps, context: context) {
            output += Self.format(hunk, steps: steps, oldLines: oldLines, newLines: newLines)
        }
        text = output
    }

    /// Ranges of step indices, each a hunk: the changes plus `context` kept lines around them,
    /// merged when their context would touch.
    static func hunks(_ steps: [LineDiff.Step], context: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        for index in steps.indices where steps[index] != .keep {
            let lower = max(0, index - context)
            let upper = min(steps.count, index + context + 1)
            if let last = ranges.last, lower <= last.upperBound {
                ranges[ranges.count - 1] = last.lowerBound..<max(last.upperBound, upper)
            } else {
                ranges.append(lower..<upper)
            }
        }
        return ranges
    }

    private static func format(_ hunk: Range<Int>, steps: [LineDiff.Step],
                               oldLines: [ArraySlice<UInt8>], newLines: [ArraySlice<UInt8>]) -> String {
        // Line positions at the hunk's start.
        var oldIndex = steps[..<hunk.lowerBound].count(where: { $0 != .insert })
        var newIndex = steps[..<hunk.lowerBound].count(where: { $0 != .delete })
        let oldCount = steps[hunk].count(where: { $0 != .insert })
        let newCount = steps[hunk].count(where: { $0 != .delete })
        let oldStart = oldCount == 0 ? oldIndex : oldIndex + 1
        let newStart = newCount == 0 ? newIndex : newIndex + 1
        var text = "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n"
        for step in steps[hunk] {
            switch step {
            case .keep:
                text += line(" ", newLines[newIndex])
                oldIndex += 1
                newIndex += 1
            case .delete:
                text += line("-", oldLines[oldIndex])
                oldIndex += 1
            case .insert:
                text += line("+", newLines[newIndex])
                newIndex += 1
            }
        }
        return text
    }

    private static func line(_ marker: String, _ bytes: ArraySlice<UInt8>) -> String {
        let body = marker + TextBytes.string(TextBytes.content(of: bytes)) + "\n"
        return bytes.last == TextBytes.newline ? body : body + "\\ No newline at end of file\n"
    }
}
