import FoundationEssentials
import MockLLMServer
import Testing

/// A theme file added while the app runs is found by `/theme` without a restart
/// (issue 14, bug 20).
@Suite(.timeLimit(.minutes(5)), .serialized) struct ThemeReloadEndToEndTests {
    @Test func aThemeFileAddedWhileRunningIsListedAndApplied() throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "ok"))
        defer { fixture.stop() }
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("● online")
        let folder = fixture.sandbox.appendingPathComponent("config/swiftcoder/themes")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("themes/tokyo-night.json")
        try FileManager.default.copyItem(at: shipped, to: folder.appendingPathComponent("late-night.json"))
        try session.submit("/theme")
        try session.waitFor("late-night")
        try session.submit("/theme late-night")
        try session.waitFor("Theme: late-night.")
        try fixture.quit(session)
    }
}
