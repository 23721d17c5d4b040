import ArgumentParser
import FoundationEssentials
import SessionModel

/// `swiftcoder sessions delete ID…`: deletes sessions; the usage ledger keeps their rows.
struct SessionsDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete sessions by id (their messages go; their usage rows stay unless --with-usage).")

    @Argument(help: "Ids of the sessions to delete (see `swiftcoder sessions`).")
    var ids: [Int64]

    @Flag(name: .long, help: "Also delete their rows from the usage ledger (costs then no longer count).")
    var withUsage = false

    mutating func run() async throws {
        let store = try await openStore()
        let result = try await store.deleteSessions(ids: ids, withUsage: withUsage)
        await store.close()
        StandardOutput.write(result.summary + "\n")
        if !result.missing.isEmpty { throw ExitCode(1) }
    }
}

/// `swiftcoder sessions prune --older-than 90d`: deletes sessions not updated since then.
struct SessionsPruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete sessions last updated before an age (their usage rows stay unless --with-usage).")

    @Option(name: .long, help: "Age, as a number and h, d or w: 36h, 90d, 12w.")
    var olderThan: String

    @Flag(name: .long, help: "Also delete their rows from the usage ledger.")
    var withUsage = false

    mutating func run() async throws {
        guard let age = RetentionAge.seconds(olderThan) else {
            throw ValidationError("--older-than wants a number and h, d or w (e.g. 90d), got \"\(olderThan)\"")
        }
        let store = try await openStore()
        let result = try await store.pruneSessions(updatedBefore: Date() - age, withUsage: withUsage)
        await store.close()
        StandardOutput.write(result.summary + "\n")
    }
}

/// `swiftcoder sessions --stats`.
enum SessionStatsOutput {
    static func write(store: any SessionService, json: Bool) async throws {
        let statistics = try await store.statistics(biggest: 5)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            StandardOutput.write(String(decoding: try encoder.encode(statistics), as: UTF8.self) + "\n")
        } else {
            StandardOutput.write(statistics.lines())
        }
    }
}
