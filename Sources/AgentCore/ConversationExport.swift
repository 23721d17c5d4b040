import FoundationEssentials
import Glibc

/// The conversation as a markdown document (`/export`), and where it is written. Pure but
/// for `write`.
public enum ConversationExport {
    /// The document; `models` are every model the conversation used (`provider/model`, as the
    /// ledger lists them): one is `Model:`, several `Models:`.
    public static func markdown(_ messages: [ChatMessage], models: [String]) -> String {
        var lines = ["# swiftcoder conversation", ""]
        if models.count == 1 { lines += ["Model: `\(models[0])`", ""] }
        if models.count > 1 { lines += ["Models: " + models.map { "`\($0)`" }.joined(separator: ", "), ""] }
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

    /// Where `/export` writes: `path` (relative to the project), else a stamped file in
    /// `$XDG_STATE_HOME/swiftcoder/exports` (never the project, which the user may commit).
    public static func destination(_ path: String?, currentDirectory: String, environment: [String: String],
                                   now: Date) -> String {
        guard let path, !path.isEmpty else {
            return exportsDirectory(environment: environment) + "/swiftcoder-\(fileStamp(now)).md"
        }
        if path.hasPrefix("/") { return path }
        if path == "~" || path.hasPrefix("~/"), let home = environment["HOME"], home.hasPrefix("/") {
            return home + path.dropFirst()
        }
        return currentDirectory + "/" + path
    }

    /// `$XDG_STATE_HOME/swiftcoder/exports` (default `~/.local/state/swiftcoder/exports`).
    public static func exportsDirectory(environment: [String: String]) -> String {
        XDGDirectories.state(environment: environment) + "/exports"
    }

    /// Writes `text` to `path`, creating the default exports folder but not a folder the
    /// user named. Returns `nil`, or why it failed (`the folder /x/missing does not exist`).
    public static func write(_ text: String, to path: String, createFolder: Bool) -> String? {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if createFolder, !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                return "cannot create the folder \(folder): \(ConfigError.osReason(error))"
            }
        }
        if !folder.isEmpty {
            var info = stat()
            guard stat(folder, &info) == 0 else {
                return errno == ENOENT || errno == ENOTDIR ? "the folder \(folder) does not exist"
                    : String(cString: strerror(errno))
            }
            if info.st_mode & S_IFMT != S_IFDIR { return "\(folder) is not a folder" }
        }
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            bytes = bytes.dropFirst(written)
        }
        return nil
    }

    /// A fenced block long enough not to be closed by backticks inside `text`.
    public static func fence(_ text: String) -> String {
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
    public static func fileStamp(_ date: Date) -> String {
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
