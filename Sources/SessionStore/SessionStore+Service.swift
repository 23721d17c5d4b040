import AgentCore
import FoundationEssentials

extension SessionStore: SessionService {
    public func usageByDay(since: Date?) async throws -> [DailyUsage] {
        try await usageByDay(since: since, timeZone: .current)
    }
}
