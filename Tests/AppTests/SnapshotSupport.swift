import FoundationEssentials
import Testing
import TerminalUI
@testable import App

/// Whole-frame text snapshots stored in `Tests/AppTests/Snapshots/*.txt`.
///
/// A snapshot holds the frame's text (trailing spaces trimmed), then a legend of the distinct
/// styles it uses (numbered in order of first use, with the theme roles each one equals), then
/// every row as a run-length list of style numbers (`3x12` = twelve cells of style 3), so a
/// wrong colour or attribute shows in review and in the comparison.
///
/// `SWIFTCODER_RECORD_SNAPSHOTS=1 swift test --filter AppTests` rewrites the files; otherwise
/// a mismatch fails with the first differing lines and the file's path.
enum Snapshot {
    /// The folder of snapshot files, next to this source file.
    static let folder: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/") + "/Snapshots"
    }()

    /// True when the environment asks to rewrite snapshots rather than compare them.
    static var isRecording: Bool {
        ProcessInfo.processInfo.environment["SWIFTCODER_RECORD_SNAPSHOTS"] == "1"
    }

    /// `buffer` in the snapshot format; `theme` names the roles of the styles in the legend.
    static func render(_ buffer: ScreenBuffer, theme: Theme?) -> String {
        var output = "# \(buffer.width)x\(buffer.height)" + (theme.map { " theme \($0.name)" } ?? "") + "\n"
        output += "## text\n"
        for line in buffer.textLines { output += line + "\n" }
        var numbers: [Style: Int] = [:]
        var legend: [Style] = []
        var rows: [String] = []
        for y in 0..<buffer.height {
            var runs: [String] = []
            var current: (number: Int, count: Int)?
            for x in 0..<buffer.width {
                let style = buffer[x, y].style
                let number: Int
                if let known = numbers[style] {
                    number = known
                } else {
                    legend.append(style)
                    number = legend.count
                    numbers[style] = number
                }
                if let run = current, run.number == number {
                    current = (number, run.count + 1)
                } else {
                    if let run = current { runs.append("\(run.number)x\(run.count)") }
                    current = (number, 1)
                }
            }
            if let run = current { runs.append("\(run.number)x\(run.count)") }
            rows.append(String(format2(y)) + ": " + runs.joined(separator: " "))
        }
        output += "## styles\n"
        for (index, style) in legend.enumerated() {
            output += "\(index + 1) " + describe(style) + roles(of: style, theme: theme) + "\n"
        }
        output += "## rows\n"
        for row in rows { output += row + "\n" }
        return output
    }

    /// `fg=39 bg=default bold` (256-colour indices as numbers, ANSI colours as `ansiN`).
    static func describe(_ style: Style) -> String {
        var text = "fg=" + describe(style.foreground) + " bg=" + describe(style.background)
        let names: [(TextAttributes, String)] = [(.bold, "bold"), (.dim, "dim"), (.italic, "italic"),
                                                 (.underline, "underline"), (.reverse, "reverse")]
        for (attribute, name) in names where style.attributes.contains(attribute) { text += " " + name }
        return text
    }

    private static func describe(_ color: Color) -> String {
        switch color {
        case .default: "default"
        case .ansi(let index): "ansi\(index)"
        case .indexed(let index): "\(index)"
        }
    }

    private static func roles(of style: Style, theme: Theme?) -> String {
        guard let theme else { return "" }
        let matching = ThemeRole.allCases.filter { theme.style($0) == style }.map(\.rawValue)
        return matching.isEmpty ? "" : "  (" + matching.joined(separator: ", ") + ")"
    }

    private static func format2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Compares `buffer` with the stored snapshot `name` (or records it).
    static func expectMatches(_ buffer: ScreenBuffer, named name: String, theme: Theme?,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let path = folder + "/" + name + ".txt"
        let actual = render(buffer, theme: theme)
        if isRecording {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                Issue.record("could not write snapshot \(path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let data = FileManager.default.contents(atPath: path), let expected = String(data: data, encoding: .utf8) else {
            Issue.record("no snapshot at \(path); record it with SWIFTCODER_RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
            return
        }
        if let difference = firstDifference(expected: expected, actual: actual) {
            let message = "snapshot \(path) differs (re-record with SWIFTCODER_RECORD_SNAPSHOTS=1 if intended):\n"
                + difference
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    }

    /// The first differing lines (up to five) of two snapshots, or nil when equal.
    static func firstDifference(expected: String, actual: String) -> String? {
        guard expected != actual else { return nil }
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var report: [String] = []
        for index in 0..<max(old.count, new.count) where report.count < 15 {
            let before = index < old.count ? String(old[index]) : "<missing>"
            let after = index < new.count ? String(new[index]) : "<missing>"
            guard before != after else { continue }
            report.append("line \(index + 1):")
            report.append("  expected: \(before)")
            report.append("  actual:   \(after)")
        }
        return report.joined(separator: "\n")
    }
}
