import FoundationEssentials
import Glibc

/// Input history persisted across runs: `$XDG_STATE_HOME/swiftcoder/history.jsonl`, one JSON
/// string per line (so multi-line messages survive), newest last, capped when loaded.
struct HistoryFile: Sendable {
    let path: String

    init?(environment: [String: String]) {
        guard let directory = StateDirectory.path(environment: environment) else { return nil }
        path = directory + "/history.jsonl"
    }

    /// The saved entries, oldest first (unreadable lines skipped).
    func load() -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let decoder = JSONDecoder()
        return data.split(separator: UInt8(ascii: "\n")).suffix(500).compactMap {
            try? decoder.decode(String.self, from: Data($0))
        }
    }

    /// Appends one entry.
    func append(_ line: String) {
        guard let encoded = try? JSONEncoder().encode(line) else { return }
        let record = encoded + Data("\n".utf8)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        record.withUnsafeBytes { bytes in _ = write(fd, bytes.baseAddress, bytes.count) }
    }
}
