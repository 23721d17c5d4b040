import ArgumentParser
import FoundationEssentials
import Pricing
import SessionModel

/// `swiftcoder sessions [--json]`: the saved sessions, newest first.
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List saved sessions (resume one with --resume ID, or the latest here with --continue).",
        subcommands: [SessionsDeleteCommand.self, SessionsPruneCommand.self])

    @Flag(name: .long, help: "Print one JSON object per session (JSON Lines).")
    var json = false

    @Option(name: .long, help: "Show at most this many sessions.")
    var limit: Int = 50

    @Flag(name: .long, help: "Show counts, the database size and path, and the biggest sessions instead.")
    var stats = false

    @Flag(name: .long, help: "Also list the sessions `swiftcoder run` made (marked [run]).")
    var all = false

    /// The root command's group, so `--config` reaches this command (issue 14, bug 1).
    @OptionGroup var options: ProviderOptions

    mutating func validate() throws {
        // 0 would list nothing and then say no session exists; a negative count means nothing.
        if limit < 1 { throw ValidationError("--limit must be at least 1 (got \(limit))") }
    }

    mutating func run() async throws {
        try await options.checkNamedConfig()
        let store = try await openStore()
        if stats {
            try await SessionStatsOutput.write(store: store, json: json)
            return await store.close()
        }
        let sessions = try await store.listSessions(limit: limit, includeRuns: all)
        if json {
            StandardOutput.writeJSON(try SessionListing.jsonLines(sessions))
        } else if sessions.isEmpty {
            StandardError.write("no sessions saved yet (\(store.path))"
                + (all ? "" : "; --all also lists those `swiftcoder run` made") + "\n")
        } else {
            StandardOutput.write(SessionListing.table(sessions))
        }
    }
}

/// `swiftcoder usage [--since DATE] [--json]`: tokens and cost from the usage ledger.
struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Tokens and cost per provider and model (today, then all time or since a day) and per day, "
            + "from every saved request, with where each cost came from.")

    @Option(name: .long, help: "Only requests on or after this day (YYYY-MM-DD, local time).")
    var since: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    /// The root command's group, so `--config` reaches this command (issue 14, bug 1).
    @OptionGroup var options: ProviderOptions

    /// A bad day is a usage error of this command (thrown from `run`, ArgumentParser printed
    /// the root command's usage).
    mutating func validate() throws {
        _ = try since.map(UsageCommand.parseDay)
    }

    mutating func run() async throws {
        try await options.checkNamedConfig()
        let start = try since.map(UsageCommand.parseDay)
        let store = try await openStore()
        if json {
            StandardOutput.writeJSON(try await UsageJSON.render(store: store, since: start) + "\n")
        } else {
            let breakdown = try await UsageBreakdown.load(from: store, sessionID: nil, today: LocalDay.startOfToday(),
                                                          since: start, byDay: true)
            StandardOutput.write(UsageReport.lines(breakdown).joined(separator: "\n") + "\n")
            // The last 30 days as bars on a terminal, as numbers into a pipe.
            let today = LocalDay.startOfToday()
            let days = try await store.usageByDayAndProviderModel(since: UsageChart.firstDay(today: today))
            let chart = UsageChart.lines(days, today: today, style: StandardOutput.isTerminal ? .blocks : .plain)
            StandardOutput.write("\n" + chart.joined(separator: "\n") + "\n")
        }
    }

    /// `2026-11-01` → that day's local midnight.
    static func parseDay(_ text: String) throws -> Date {
        guard let date = UsageReport.parseDay(text) else {
            throw ValidationError("--since wants a day as YYYY-MM-DD, got \"\(text)\"")
        }
        return date
    }
}

/// Opens the session database or exits with the reason.
func openStore() async throws -> any SessionService {
    let path = SessionPaths.defaultPath(environment: ProcessInfo.processInfo.environment)
    switch await SessionController.openStore(at: path) {
    case .success(let store): return store
    case .failure(let error): throw CleanExit.message("\(error)", code: 1)
    }
}

/// `usage --json`: one object with totals, per provider and model, and per day.
enum UsageJSON {
    struct Row: Encodable {
        var provider: String?
        var model: String?
        var day: String?
        var requests: Int
        var inputTokens: Int
        var outputTokens: Int
        var cachedInputTokens: Int
        var cacheWriteTokens: Int
        var reasoningTokens: Int
        /// Exact decimal text; `null` when no request had a price.
        var cost: String?
        var unpricedRequests: Int
        var estimatedRequests: Int
        /// Where the costs came from (`reported`, `provider`, `config`, `builtin`, `litellm`, `local`).
        var costSources: [String]

        init(_ totals: UsageTotals, provider: String? = nil, model: String? = nil, day: String? = nil) {
            (self.provider, self.model, self.day) = (provider, model, day)
            requests = totals.requests
            inputTokens = totals.inputTokens
            outputTokens = totals.outputTokens
            cachedInputTokens = totals.cachedInputTokens
            cacheWriteTokens = totals.cacheWriteTokens
            reasoningTokens = totals.reasoningTokens
            cost = totals.requests > 0 && totals.unpricedRequests == totals.requests ? nil : "\(totals.cost)"
            unpricedRequests = totals.unpricedRequests
            estimatedRequests = totals.estimatedRequests
            costSources = totals.costSources.sorted()
        }
    }

    struct Report: Encodable {
        var since: String?
        var total: Row
        var byProviderModel: [Row]
        var byDay: [Row]
    }

    static func render(store: any SessionService, since: Date?) async throws -> String {
        let days = try await store.usageByDayAndProviderModel(since: since)  // one pass, D70
        let report = Report(
            since: since.map { UsageReport.dayLabel($0) },
            total: Row(UsageRollup.total(days)),
            byProviderModel: UsageRollup.byProviderModel(days).map {
                Row($0.totals, provider: $0.provider, model: $0.model)
            },
            byDay: UsageRollup.byDay(days).map { Row($0.totals, day: $0.day) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}
