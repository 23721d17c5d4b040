import Testing
@testable import App

/// The meter formats figures from outside (usage, speeds, durations) without trapping (D50).
@Suite(.timeLimit(.minutes(2))) struct MeterNumberTests {
    @Test func hugeAndOddDoublesFormatWithoutTrapping() {
        #expect(MeterView.oneDecimal(1e300) == "\(Int.max / 10).\(Int.max % 10)")
        #expect(MeterView.oneDecimal(.nan) == "0.0")
        #expect(MeterView.duration(.infinity).hasSuffix("s"))
        #expect(MeterView.duration(0.25) == "250ms")
        #expect(MeterView.grouped(Int.min).hasPrefix("-9,223,372,036,854,775,808"))
    }
}
