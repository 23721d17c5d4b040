import FoundationEssentials
import Pricing

/// What `sessions delete` and `sessions prune` removed.
public struct PruneResult: Sendable, Hashable, Codable {
    /// The sessions deleted, by id.
    public var sessions: [Int64] = []
    /// Their messages.
    public var messages = 0
    /// Ledger rows deleted (only with `--with-usage`).
    public var usageRows = 0
    /// Ids given that had no session.
    public var missing: [Int64] = []

    public init() {}

    /// `Deleted 3 sessions (120 messages); usage ledger kept.`
    public var summary: String {
        let plural = sessions.count == 1 ? "session" : "sessions"
        var text = "Deleted \(sessions.count) \(plural) (\(messages) messages); "
        text += usageRows > 0 ? "\(usageRows) usage rows deleted." : "usage ledger kept."
        if !missing.isEmpty { text += " No session " + missing.map(String.init).joined(separator: ", ") + "." }
        return text
    }
}

/// The database at a glance, for `swiftcoder sessions --stats`.
public struct SessionStatistics: Sendable, Hashable, Codable {
    /// A session with many bytes of messages.
    public struct Big: Sendable, Hashable, Codable {
        public var id: Int64
        public var title: String
        public var messages: Int
        public var bytes: Int64
        public init(id: Int64, title: String, messages: Int, bytes: Int64) {
            (self.id, self.title, self.messages, self.bytes) = (id, title, messages, bytes)
        }
    }

    public var path: String
    public var sessions: Int
    public var messages: Int
    public var drafts: Int
    public var usageRows: Int
    /// Ledger rows whose session was deleted.
    public var orphanUsageRows: Int
    /// The main file's pages, of which `freeBytes` are free for reuse.
    public var databaseBytes: Int64
    public var freeBytes: Int64
    /// The write-ahead log beside the file.
    public var walBytes: Int64
    /// The known cost of the whole ledger.
    public var ledgerCost: Decimal
    /// The least and most recently updated sessions.
    public var oldest: Date?
    public var newest: Date?
    public var biggest: [Big]

    public init(path: String, sessions: Int, messages: Int, drafts: Int, usageRows: Int, orphanUsageRows: Int,
                databaseBytes: Int64, freeBytes: Int64, walBytes: Int64, ledgerCost: Decimal, oldest: Date?,
                newest: Date?, biggest: [Big]) {
        (self.path, self.sessions, self.messages, self.drafts) = (path, sessions, messages, drafts)
        (self.usageRows, self.orphanUsageRows) = (usageRows, orphanUsageRows)
        (self.databaseBytes, self.freeBytes, self.walBytes) = (databaseBytes, freeBytes, walBytes)
        (self.ledgerCost, self.oldest, self.newest, self.biggest) = (ledgerCost, oldest, newest, biggest)
    }

    /// The text `sessions --stats` prints, each line ending in "\n".
    public func lines(timeZone: TimeZone = .current) -> String {
        var lines = ["Database   \(path)",
                     "Size       \(Self.bytes(databaseBytes)) (\(Self.bytes(freeBytes)) free), WAL \(Self.bytes(walBytes))",
                     "Sessions   \(sessions)" + (oldest.map { " (updated \(SessionListing.timestamp($0, timeZone: timeZone))" } ?? "")
                         + (newest.map { " to \(SessionListing.timestamp($0, timeZone: timeZone)))" } ?? ""),
                     "Messages   \(messages)" + (drafts > 0 ? " (+\(drafts) unsaved drafts)" : ""),
                     "Usage rows \(usageRows)" + (orphanUsageRows > 0 ? " (\(orphanUsageRows) of deleted sessions)" : "")
                         + ", known cost \(MoneyFormat.usd(ledgerCost))"]
        if !biggest.isEmpty {
            lines.append("Biggest sessions")
            for big in biggest {
                lines.append("  \(String(big.id).padded(to: 7))\(Self.bytes(big.bytes).padded(to: 10))"
                             + "\(String(big.messages).padded(to: 8))msgs  \(big.title.isEmpty ? "(untitled)" : big.title)")
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// `512 B`, `3.4 KiB`, `12.0 MiB`, `1.2 GiB`.
    public static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var unit = 0
        var scaled = count
        var tenths: Int64 = 0
        while scaled >= 1024, unit < units.count - 1 {
            tenths = (scaled % 1024) * 10 / 1024
            scaled /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : "\(scaled).\(tenths) \(units[unit])"
    }
}

/// Durations and days for `sessions prune --older-than`. Pure.
public enum RetentionAge {
    /// `90d`, `12w`, `36h` → seconds; `nil` for anything else (no zero, no sign, no overflow).
    public static func seconds(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let count = Int(text.dropLast()), count > 0, count < 100_000 else { return nil }
        switch unit {
        case "h": return TimeInterval(count) * 3600
        case "d": return TimeInterval(count) * 86_400
        case "w": return TimeInterval(count) * 7 * 86_400
        default: return nil
        }
    }
}
