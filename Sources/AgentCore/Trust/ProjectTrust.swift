import FoundationEssentials
import Glibc

/// A file in a project folder that can make swiftcoder act (send requests with keys, run tools
/// without asking, start processes), fingerprinted so a change can be noticed.
public struct ProjectFile: Sendable, Hashable, Codable {
    /// The path relative to the folder (`agents.config.json`, `.mcp.json`).
    public var name: String
    /// SHA-256 of its content, lowercase hex.
    public var sha256: String

    public init(name: String, sha256: String) {
        self.name = name
        self.sha256 = sha256
    }
}

/// What the user decided about one folder: the files it held when trusted.
public struct TrustedFolder: Sendable, Hashable, Codable {
    public var files: [ProjectFile]
    /// When it was trusted (ISO 8601, UTC), for `swiftcoder trust --list`.
    public var trustedAt: String

    public init(files: [ProjectFile], trustedAt: String) {
        self.files = files
        self.trustedAt = trustedAt
    }
}

/// Whether a folder's gated files may be used.
public enum TrustStatus: Sendable, Hashable {
    /// The folder has no file that needs trust.
    case nothingToTrust
    /// Trusted, and every gated file is as it was then.
    case trusted
    /// Never trusted (or revoked): the files found.
    case untrusted([ProjectFile])
    /// Trusted once, but these files were added or changed since (names).
    case changed([String])
    /// The user chose not to trust the folder, and its files are as they were then: they
    /// stay unused without asking again.
    case declined

    /// True when the folder's files may be used.
    public var allowsUse: Bool {
        switch self {
        case .nothingToTrust, .trusted: true
        case .untrusted, .changed, .declined: false
        }
    }
}

/// Folder trust (D80): a project folder's own `agents.config.json` and `.mcp.json` are used only
/// after the user trusted the folder, and again only while those files are unchanged.
public enum ProjectTrust {
    /// The files that, found in a project folder, need the user's trust before they are used.
    public static let gatedFileNames = [ConfigLoader.fileName, ".mcp.json"]
    /// Gated files larger than this are never trusted (the config loader refuses them too).
    public static let fileSizeLimit = ConfigLoader.fileSizeLimit

    /// The gated files present in `directory`, fingerprinted (a file that cannot be read is
    /// fingerprinted as unreadable, so it still needs trust).
    public static func scan(directory: String) -> [ProjectFile] {
        gatedFileNames.compactMap { name in
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            guard let data = readWhole(path, limit: fileSizeLimit) else {
                return ProjectFile(name: name, sha256: "unreadable or larger than \(fileSizeLimit >> 20) MiB")
            }
            return ProjectFile(name: name, sha256: SHA256.hex(data))
        }
    }

    /// The file at `path`, nil when it cannot be read or holds more than `limit` bytes.
    static func readWhole(_ path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        guard info.st_size <= limit else { return nil }
        let capacity = max(0, Int(info.st_size))
        var bytes = [UInt8](repeating: 0, count: capacity)
        var filled = 0
        while filled < capacity {
            let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, capacity - filled) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            filled += count
        }
        return Array(bytes[0..<filled])
    }

    /// The status of a folder holding `files`, given what was recorded when it was trusted
    /// (or when the user declined to trust it).
    public static func status(files: [ProjectFile], record: TrustedFolder?,
                              declined: TrustedFolder? = nil) -> TrustStatus {
        guard !files.isEmpty else { return .nothingToTrust }
        guard let record else {
            if let declined, Set(declined.files) == Set(files) { return .declined }
            return .untrusted(files)
        }
        let known = Dictionary(record.files.map { ($0.name, $0.sha256) }, uniquingKeysWith: { _, last in last })
        let changed = files.filter { known[$0.name] != $0.sha256 }.map(\.name)
        return changed.isEmpty ? .trusted : .changed(changed)
    }
}
