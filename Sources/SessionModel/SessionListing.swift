import FoundationEssentials

/// Renders `swiftcoder sessions` output. Pure.
public enum SessionListing {
    /// A table with a header row: id, last update (local time, `yyyy-MM-dd HH:mm`),
    /// provider/model, message count and title, one session per line, each line ending in
    /// "\n". "No saved sessions.\n" when there are none.
    public static func table(_ sessions: [SessionInfo], timeZone: TimeZone = .current) -> String {
        guard !sessions.isEmpty else { return "No saved sessions.\n" }
        let header = ["ID", "UPDATED", "PROVIDER/MODEL", "MSGS", "TITLE"]
        let rows = sessions.map { session in
            [String(session.id), timestamp(session.updatedAt, timeZone: timeZone),
             "\(session.provider)/\(session.model)", String(session.messageCount),
             (session.fromRun ? "[run] " : "") + (session.title.isEmpty ? "(untitled)" : session.title)]
        }
        let all = [header] + rows
        let widths = (0..<header.count).map { column in all.map { $0[column].count }.max() ?? 0 }
        let rightAligned: Set<Int> = [0, 3]
        return all.map { cells in
            cells.indices.map { column in
                let cell = cells[column]
                if column == cells.count - 1 { return cell }
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }.joined(separator: "  ") + "\n"
        }.joined()
    }

    /// The in-app `/sessions` rows: `updated  N messages  model  title`, the columns aligned
    /// (by display width of ASCII figures; a model name is padded to the longest shown).
    public static func labels(_ sessions: [SessionInfo], timeZone: TimeZone = .current) -> [String] {
        let counts = sessions.map { $0.messageCount == 1 ? "1 message" : "\($0.messageCount) messages" }
        let countWidth = counts.map(\.count).max() ?? 0
        let modelWidth = min(sessions.map(\.model.count).max() ?? 0, 32)
        return zip(sessions, counts).map { session, count in
            let model = session.model.count > modelWidth ? String(session.model.prefix(modelWidth - 1)) + "…"
                : session.model + String(repeating: " ", count: modelWidth - session.model.count)
            let title = (session.fromRun ? "[run] " : "") + (session.title.isEmpty ? "(untitled)" : session.title)
            return timestamp(session.updatedAt, timeZone: timeZone) + "  "
                + String(repeating: " ", count: countWidth - count.count) + count + "  " + model + "  " + title
        }
    }

    /// JSON Lines: one compact object per session and line (keys `id`, `projectDirectory`,
    /// `provider`, `model`, `title`, `createdAt`, `updatedAt` as ISO 8601 UTC, `messageCount`),
    /// each line ending in "\n"; empty for no sessions.
    public static func jsonLines(_ sessions: [SessionInfo]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try sessions.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined()
    }

    /// `yyyy-MM-dd HH:mm` of `date` in `timeZone`.
    public static func timestamp(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let pad = CalendarText.padded
        return CalendarText.day(date, calendar: calendar)
            + " \(pad(parts.hour ?? 0, 2)):\(pad(parts.minute ?? 0, 2))"
    }
}

/// Dates as the listings show them.
public enum CalendarText {
    /// `yyyy-MM-dd` of `date` in the calendar's time zone.
    public static func day(_ date: Date, calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(padded(parts.year ?? 0, 4))-\(padded(parts.month ?? 0, 2))-\(padded(parts.day ?? 0, 2))"
    }

    /// `value` with leading zeros to `width` digits.
    public static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
