import FoundationEssentials
import Testing
@testable import AgentCore

@Suite(.timeLimit(.minutes(2))) struct SettingsTests {
    @Test func readsEveryTopLevelSetting() throws {
        let config = try parseConfig("""
            {
              "providers": {},
              "approvalMode": "auto-edit",
              "alwaysAllow": ["run_command"],
              "maxSteps": 40,
              "theme": "${THEME:-solarized-dark}",
              "pricingFile": "/data/prices.json",
              "pricing": {"my-model": {"inputPerMillion": 0.15, "outputPerMillion": 0.6, "cachedInputPerMillion": 0.075}},
              "budget": {"sessionUSD": 2.5, "dailyUSD": 10}
            }
            """)
        let settings = config.settings
        #expect(settings.approvalMode == .autoEdit)
        #expect(settings.alwaysAllow == ["run_command"])
        #expect(settings.maxSteps == 40)
        #expect(settings.theme == "solarized-dark")
        #expect(settings.pricingFile == "/data/prices.json")
        #expect(settings.pricing["my-model"] == ModelPricing(inputPerMillion: Decimal(string: "0.15"),
                                                             outputPerMillion: Decimal(string: "0.6"),
                                                             cachedInputPerMillion: Decimal(string: "0.075")))
        #expect(settings.budget == Budget(sessionUSD: Decimal(string: "2.5"), dailyUSD: 10))
    }

    @Test func absentSettingsTakeTheirDefaults() throws {
        let settings = try parseConfig(#"{"providers": {}}"#).settings
        #expect(settings == AppSettings())
        #expect(settings.maxSteps == 25)
        #expect(settings.approvalMode == .ask)
    }

    @Test(arguments: [
        (#"{"approvalMode": "careful"}"#, "approvalMode", "known modes: ask, auto-edit, yolo, plan"),
        (#"{"maxSteps": 0}"#, "maxSteps", "at least 1"),
        (#"{"pricing": {"m": {"input": 1}}}"#, "pricing.m.input", "is not a price field"),
        (#"{"pricing": {"m": {"inputPerMillion": -1}}}"#, "pricing.m.inputPerMillion", "at least 0"),
        (#"{"budget": {"dailyUSD": "ten"}}"#, "budget.dailyUSD", "a number"),
        (#"{"alwaysAllow": "run_command"}"#, "alwaysAllow", "an array of tool names"),
    ])
    func badSettingsNameTheFieldAndLine(text: String, field: String, message: String) {
        let error = configError(text)
        #expect(error?.field == field)
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
        #expect(error?.position?.line == 1)
    }
}
