import Testing
@testable import AgentCore

/// Config `compaction` is read, validated and known to the unknown-key check (issue 12).
@Suite(.timeLimit(.minutes(2))) struct CompactionConfigTests {
    @Test func compactionIsReadWithDefaultsForMissingFields() throws {
        let config = try parseConfig(#"{"providers": {}, "compaction": {"auto": false, "threshold": 0.7}}"#)
        #expect(config.settings.compaction == CompactionSettings(auto: false, threshold: 0.7, keepRecentTurns: 2))
        #expect(config.warnings.isEmpty)
        #expect(try parseConfig(#"{"providers": {}}"#).settings.compaction == CompactionSettings())
    }

    @Test func badValuesAreErrorsAndTyposAreWarned() throws {
        #expect(throws: ConfigError.self) { try parseConfig(#"{"providers": {}, "compaction": {"threshold": 1.5}}"#) }
        #expect(throws: ConfigError.self) { try parseConfig(#"{"providers": {}, "compaction": {"auto": "yes"}}"#) }
        #expect(throws: ConfigError.self) { try parseConfig(#"{"providers": {}, "compaction": {"keepRecentTurns": -1}}"#) }
        #expect(throws: ConfigError.self) { try parseConfig(#"{"providers": {}, "compaction": 3}"#) }
        let typo = try parseConfig(#"{"providers": {}, "compaction": {"keepRecentTurn": 3}}"#)
        #expect(typo.warnings.map(\.field) == ["compaction.keepRecentTurn"])
        #expect(typo.warnings.first?.suggestion == "keepRecentTurns")
    }
}
