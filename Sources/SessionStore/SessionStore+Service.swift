import AgentCore
import FoundationEssentials

extension SessionStore: SessionService {
    public func usageByDay(since: Date?) async throws -> [DailyUsage] {
        try await usageByDay(since: since, timeZone: .current)
    }

    public func usageByDayAndProviderModel(since: Date?) async throws -> [DailyProviderModelUsage] {
        try await usageByDayAndProviderModel(since: since, timeZone: .current)
    }
}

extension SessionStore: CheckpointService {}
