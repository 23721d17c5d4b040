import Testing
@testable import AgentCore

/// Keys nothing reads are reported once each with file:line:column and the nearest known key
/// (issue 14, bug 10).
@Suite(.timeLimit(.minutes(2))) struct ConfigKeyCheckTests {
    @Test func typosAtTheTopInAProviderAndInTheBudgetAreNamedWithWhereAndWhatWasMeant() throws {
        let config = try parseConfig("""
            {
              "approvalmode": "yolo",
              "budgets": {"sessionUSD": 1},
              "budget": {"sessionUsd": 2},
              "providers": {
                "local": {
                  "apiBase": "http://127.0.0.1:8080/v1",
                  "apikey": "x",
                  "timeoutSecs": 30
                }
              }
            }
            """)
        #expect(config.warnings.map(\.description) == [
            "\(testPath):2:3: unknown key \"approvalmode\" is ignored (did you mean approvalMode?)",
            "\(testPath):3:3: unknown key \"budgets\" is ignored (did you mean budget?)",
            "\(testPath):8:7: unknown key \"providers.local.apikey\" is ignored (did you mean apiKey?)",
            "\(testPath):9:7: unknown key \"providers.local.timeoutSecs\" is ignored (did you mean timeoutSeconds?)",
            "\(testPath):4:14: unknown key \"budget.sessionUsd\" is ignored (did you mean sessionUSD?)",
        ])
        // Nothing was taken from the misspelt keys.
        #expect(config.settings.approvalMode == AppSettings().approvalMode)
        #expect(config.providers.first?.apiKey == nil)
    }

    @Test func aKeyFarFromEveryKnownOneIsReportedWithoutASuggestion() throws {
        let config = try parseConfig(#"{"providers": {}, "zzzzzzzz": 1}"#)
        #expect(config.warnings.map(\.description) == ["\(testPath):1:19: unknown key \"zzzzzzzz\" is ignored"])
    }

    @Test func aCorrectConfigAndNanocodersOwnKeysGiveNoWarningButItsTyposDo() throws {
        let clean = try parseConfig("""
            {"nanocoder": {"providers": [{"name": "a", "baseUrl": "http://127.0.0.1:1/v1", "models": ["m"],
              "requestTimeout": 5}], "mcpServers": {}}}
            """)
        #expect(clean.warnings.isEmpty)
        let typo = try parseConfig("""
            {"nanocoder": {"providers": [{"name": "a", "baseUrl": "http://127.0.0.1:1/v1", "apiKye": "k"}]}}
            """)
        #expect(typo.warnings.map(\.field) == ["nanocoder.providers[0].apiKye"])
        #expect(typo.warnings.first?.suggestion == "apiKey")
    }

    @Test func editDistanceCountsSwapsAsOneAndStopsAtLongKeys() {
        #expect(EditDistance.distance("budget", "budegt") == 1)
        #expect(EditDistance.distance("kitten", "sitting") == 3)
        #expect(EditDistance.distance("", "abc") == 3)
        #expect(EditDistance.nearest(to: "maxStep", among: ConfigKeyCheck.topLevel) == "maxSteps")
        #expect(EditDistance.nearest(to: String(repeating: "a", count: 10_000), among: ["a"]) == nil)
    }
}
