import AgentCore
import Pricing
import Testing
@testable import App
@testable import SessionModel

/// Issue 14, bug 19: one rule for every figure the app shows twice.
@Suite(.timeLimit(.minutes(2))) struct NumberAgreementTests {
    /// Context windows are binary-aware: 32768 is `32k`, never `32.8k`.
    @Test func contextWindowsAreBinaryAware() {
        #expect(TokenFormat.contextWindow(32_768) == "32k")
        #expect(TokenFormat.contextWindow(131_072) == "128k")
        #expect(TokenFormat.contextWindow(163_840) == "160k")
        #expect(TokenFormat.contextWindow(8_192) == "8k")
        #expect(TokenFormat.contextWindow(1_048_576) == "1M")
        #expect(TokenFormat.contextWindow(128_000) == "128k")
        #expect(TokenFormat.contextWindow(200_000) == "200k")
        #expect(TokenFormat.contextWindow(4_000) == "4k")
        #expect(TokenFormat.contextWindow(0) == "0")
        #expect(TokenFormat.contextWindow(-1024) == "-1k")
    }

    @Test func theSidebarShowsTheWindowBinaryAware() {
        let model = ModelInfo(id: "qwen", contextWindow: 32_768)
        let text = SidebarView.details(model)
        #expect(text.contains("32k ctx"), "\(text)")
        #expect(!text.contains("32.8k"))
    }

    /// The meter rounded (12.4k) while `/usage` truncated (12.3k): both round half up now.
    @Test func theMeterAndUsageRoundTheSameWay() {
        for value in [0, 950, 999, 1_000, 12_345, 12_390, 12_950, 99_950, 100_500, 999_999, 1_250_000, 32_768] {
            #expect(MeterView.compact(value) == UsageReport.count(value), "\(value)")
            #expect(MeterView.compact(value) == TokenFormat.compact(value))
        }
        #expect(UsageReport.count(12_390) == "12.4k")
        #expect(MeterView.compact(100_500) == "101k")
    }
}
