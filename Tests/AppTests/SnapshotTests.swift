import AgentCore
import FoundationEssentials
import SessionModel
import Testing
import TerminalUI
@testable import App

/// Whole frames compared with the files in `Snapshots/` (see `Snapshot` for the format and
/// how to re-record them).
@Suite(.timeLimit(.minutes(2))) struct SnapshotTests {
    /// Renders `state` with `theme` and compares it with snapshot `name`.
    func expectSnapshot(_ state: AppState, _ name: String, theme: Theme = .standard,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        var renderer = FrameRenderer(theme: theme)
        Snapshot.expectMatches(renderer.render(state).frame, named: name, theme: theme, sourceLocation: sourceLocation)
    }

    @Test func firstRunShowsTheSetupSteps() {
        expectSnapshot(Scenes.firstRun(), "first-run-120x40")
    }

    @Test func conversationWithCodeBlockAndToolCall() {
        expectSnapshot(Scenes.conversation(), "conversation-120x40")
    }

    @Test func conversationInASmallTerminalFoldsTheSidebar() {
        expectSnapshot(Scenes.conversation(columns: 60, rows: 20), "conversation-60x20")
    }

    @Test func approvalOverlayWithADiff() {
        expectSnapshot(Scenes.approval(), "approval-120x40")
    }

    @Test func filteredModelPickerWithAFailingProvider() {
        var state = Scenes.withProviders()
        Scenes.apply([.key(.control("p")), .providerModels(name: "cloud", .failed("bad or missing API key"))], to: &state)
        Scenes.type("coder", into: &state)
        expectSnapshot(state, "model-picker-120x40")
    }

    /// `/usage` as the app builds it: `UsageReport` over a seeded ledger (this session's two
    /// local requests, another session's OpenRouter requests today and yesterday).
    @Test func usageReportOverlay() {
        let today = Date(timeIntervalSince1970: 1_772_409_600)  // 2026-03-02 00:00 UTC
        func row(_ provider: String, _ model: String, _ input: Int, _ output: Int, cached: Int = 0, cost: String,
                 source: String, hoursFromToday: Double) -> UsageRecord {
            UsageRecord(provider: provider, model: model,
                        usage: TokenUsage(inputTokens: input, outputTokens: output, cachedInputTokens: cached),
                        cost: Decimal(string: cost), costSource: source, date: today.addingTimeInterval(hoursFromToday * 3600))
        }
        let session = [row("local", "qwen2.5-coder:7b", 1000, 30, cost: "0", source: "local", hoursFromToday: 9),
                       row("local", "qwen2.5-coder:7b", 1150, 66, cost: "0", source: "local", hoursFromToday: 9.1)]
        let others = [row("cloud", "anthropic/claude-sonnet-4", 18_000, 900, cached: 12_000, cost: "0.0213",
                          source: "reported", hoursFromToday: 8),
                      row("cloud", "anthropic/claude-sonnet-4", 40_000, 2100, cost: "0.1515", source: "reported",
                          hoursFromToday: -20)]
        let all = session + others
        let breakdown = UsageBreakdown(
            session: UsageAggregation.byProviderModel(session), todayLabel: "2026-03-02",
            today: UsageAggregation.byProviderModel(all.filter { $0.date >= today }),
            period: UsageAggregation.byProviderModel(all))
        var state = Scenes.conversation()
        Scenes.apply([.report(title: "Usage", lines: UsageReport.lines(breakdown))], to: &state)
        expectSnapshot(state, "usage-report-120x40")
    }

    @Test func helpOverlay() {
        var state = Scenes.withProviders()
        Scenes.apply([.key(.character("?"))], to: &state)
        expectSnapshot(state, "help-120x40")
    }

    @Test(arguments: ThemeCatalog.shippedNames)
    func eachShippedThemeSample(name: String) {
        let selection = ThemeCatalog().load(name, depth: .xterm256)
        #expect(selection.problem == nil)
        expectSnapshot(Scenes.themeSample(), "theme-\(name)", theme: selection.theme)
    }

    @Test func themeSamplesDifferFromEachOther() {
        let frames = ThemeCatalog.shippedNames.map { name -> [Cell] in
            var renderer = FrameRenderer(theme: ThemeCatalog().load(name, depth: .xterm256).theme)
            return renderer.render(Scenes.themeSample()).frame.cells
        }
        #expect(Set(frames.map { $0.map(\.style) }).count == frames.count)
        // Same text under every theme: only the styles change.
        #expect(Set(frames.map { $0.map(\.character) }).count == 1)
    }

    @Test func snapshotFormatListsStylesAndRunLengths() {
        var buffer = ScreenBuffer(width: 6, height: 2)
        let bold = Style(foreground: .indexed(39), attributes: .bold)
        buffer.put("ab", x: 0, y: 0, style: bold)
        buffer.put("你", x: 2, y: 1, style: Style(background: .ansi(4)))
        var theme = Theme(name: "t")
        theme.accent = bold
        #expect(Snapshot.render(buffer, theme: theme) == """
            # 6x2 theme t
            ## text
            ab
              你
            ## styles
            1 fg=39 bg=default bold  (accent)
            2 fg=default bg=default  (text, muted, border, selection, user, assistant, tool, error, warning, \
            success, diffAdded, diffRemoved, codeBackground, meterOk, meterWarn, meterOver, meter, input)
            3 fg=default bg=ansi4
            ## rows
            00: 1x2 2x4
            01: 2x2 3x2 2x2

            """)
    }

    @Test func differenceReportNamesTheFirstDifferingLines() {
        #expect(Snapshot.firstDifference(expected: "a\nb\nc", actual: "a\nb\nc") == nil)
        #expect(Snapshot.firstDifference(expected: "a\nb\nc", actual: "a\nB\nc") == """
            line 2:
              expected: b
              actual:   B
            """)
        #expect(Snapshot.firstDifference(expected: "a", actual: "a\nz")?.contains("expected: <missing>") == true)
    }
}
