import AgentCore
import Testing
import TerminalUI
@testable import App

/// The configured `maxOutputTokens` of the active provider and model is shown under the
/// model in the sidebar (issue 14, bug 21).
@Suite(.timeLimit(.minutes(2))) struct SidebarOutputCapTests {
    let theme = ExpectedCells.theme

    func rows(_ state: AppState) -> [String] {
        let sidebar = drawn(width: 40, height: 20) {
            SidebarView.draw(state, in: Rect(x: 0, y: 0, width: 40, height: 20), buffer: &$0, theme: theme)
        }
        return (0..<sidebar.height).map { String(sidebar.line($0).reversed().drop { $0 == " " }.reversed()) }
    }

    @Test func theActiveModelsCapIsShownAndNoLineWithoutOne() {
        var state = Scenes.withProviders()
        #expect(!rows(state).contains { $0.contains("replies ≤") })
        let capped = state.providers.map { listing in
            var listing = listing
            if listing.name == "local" {
                listing.outputLimits = OutputTokenLimits(provider: 4096, perModel: [Scenes.activeProvider.model ?? "": 512])
            }
            return listing
        }
        Scenes.apply([.providersListed(capped)], to: &state)
        #expect(rows(state).contains("│  replies ≤ 512 tokens"))
    }
}
