import AgentCore
import Testing
import TerminalUI
@testable import App

/// `/provider` for a provider skipped for an unset variable, and alone (issue 14, bugs 11
/// and 20); the sidebar lists the skipped one greyed with why.
@Suite(.timeLimit(.minutes(2))) struct ProviderCommandTests {
    static let skipped = UnavailableProvider(
        name: "cloud2", reason: "environment variable CLOUD_KEY is not set (agents.config.json line 7, field apiKey)")

    static func state() -> AppState {
        var state = Scenes.withProviders()
        state.unavailableProviders = [skipped]
        return state
    }

    static func run(_ command: String, in state: inout AppState) -> ChatEntry? {
        Scenes.type(command, into: &state)
        _ = Reducer.reduce(&state, .key(.enter))
        return state.entries.last
    }

    @Test func anUnavailableProviderSaysWhyInsteadOfUnknown() throws {
        var state = Self.state()
        let entry = try #require(Self.run("/provider cloud2", in: &state))
        #expect(entry.kind == .error)
        #expect(entry.text == "Provider \"cloud2\" is unavailable: \(Self.skipped.reason).")
        #expect(state.provider?.name == "local")
    }

    @Test func aProviderThatDoesNotExistIsStillUnknown() throws {
        var state = Self.state()
        let entry = try #require(Self.run("/provider nope", in: &state))
        #expect(entry.text == "Unknown provider \"nope\". Available: local, cloud.")
    }

    @Test func providerAloneNamesTheCurrentOneAsANotice() throws {
        var state = Self.state()
        let entry = try #require(Self.run("/provider", in: &state))
        #expect(entry.kind == .notice)
        #expect(entry.text.hasPrefix("Provider: local (\(Scenes.activeProvider.model ?? "")). Others: cloud."))
        #expect(entry.text.contains("Unavailable: cloud2: environment variable CLOUD_KEY is not set"))
    }

    @Test func theSidebarListsTheUnavailableProviderGreyedWithTheReason() {
        let state = Self.state()
        let theme = ExpectedCells.theme
        let sidebar = drawn(width: 40, height: 24) {
            SidebarView.draw(state, in: Rect(x: 0, y: 0, width: 40, height: 24), buffer: &$0, theme: theme)
        }
        let rows = (0..<sidebar.height).map { String(sidebar.line($0).reversed().drop { $0 == " " }.reversed()) }
        let row = rows.firstIndex { $0.contains("○ cloud2: environment variable") }
        #expect(row != nil, "\(rows)")
        if let row { #expect(sidebar[2 + 3, row].style == theme.muted) }
    }
}
