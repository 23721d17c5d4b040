import AgentCore
import FoundationEssentials

/// The conversation as a markdown document (`/export`). Pure.
enum ConversationExport {
    static func markdown(_ messages: [ChatMessage], model: String?) -> String {
        var lines = ["# swiftcoder conversation", ""]
        if let model { lines += ["Model: `\(model)`", ""] }
        for message in messages {
            switch message.role {
            case .system: continue
            case .user: lines += ["## You", "", message.content, ""]
            case .assistant:
                lines += ["## Assistant", ""]
                if !message.content.isEmpty { lines += [message.content, ""] }
                for call in message.toolCalls {
                    lines += ["**Tool call** `\(call.name)`", "", "```json", call.arguments, "```", ""]
                }
            case .tool:
                lines += ["**Tool result** (`\(message.toolCallID ?? "?")`)", "", fence(message.content), ""]
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A fenced block long enough not to be closed by backticks inside `text`.
    static func fence(_ text: String) -> String {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let marker = String(repeating: "`", count: max(3, longest + 1))
        return marker + "\n" + text + "\n" + marker
    }

    /// `2026-11-25-1432` for file names, in UTC.
    static func fileStamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970)
        let days = seconds / 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let minutes = (seconds % 86_400) / 60
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))-\(two(minutes / 60))\(two(minutes % 60))"
    }

    /// Days since 1970-01-01 to a Gregorian date (Howard Hinnant's algorithm).
    static func civilDate(daysSinceEpoch days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
