import FoundationEssentials
import Testing

/// Every test has a deadline, so a regression that hangs fails instead of stalling CI: each
/// suite declaration carries a `.timeLimit` (inherited by its tests), and no `@Test` lives outside a
/// suite. Polling helpers bound their own waits; this covers every other `await`.
@Suite(.timeLimit(.minutes(2))) struct TestDeadlineTests {
    /// The package's `Tests/` directory, found from this file's path.
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    static func testFiles() throws -> [(path: String, text: String)] {
        var files: [(String, String)] = []
        for relative in try FileManager.default.subpathsOfDirectory(atPath: testsDirectory.path)
        where relative.hasSuffix(".swift") {
            let path = testsDirectory.path + "/" + relative
            files.append((relative, try String(contentsOfFile: path, encoding: .utf8)))
        }
        return files
    }

    /// Spelled in two parts so this file's own lines do not match.
    static let suiteMarker = "@" + "Suite"
    static let testMarker = "@" + "Test"

    @Test func everySuiteHasATimeLimit() throws {
        let files = try Self.testFiles()
        #expect(files.count > 50)
        var missing: [String] = []
        for (path, text) in files {
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(Self.suiteMarker) && !line.contains(".timeLimit(") {
                missing.append("\(path):\(number + 1)")
            }
        }
        #expect(missing.isEmpty, "suites without .timeLimit: \(missing)")
    }

    @Test func everyTestIsInsideASuite() throws {
        let loose = try Self.testFiles().filter { $0.text.contains(Self.testMarker) && !$0.text.contains(Self.suiteMarker) }.map(\.path)
        #expect(loose.isEmpty, "test files without a suite (so without a deadline): \(loose)")
    }
}
