import FoundationEssentials

/// The folders the user trusted, in `$XDG_DATA_HOME/swiftcoder/trusted-folders.json`
/// (default `~/.local/share/swiftcoder/`), keyed by absolute path. Written whole, through a
/// temporary file and a rename, so a crash never leaves half a file.
public struct TrustStore: Sendable {
    /// The file's path.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The store at its default place for `environment`.
    public init(environment: [String: String]) {
        self.init(path: XDGDirectories.data(environment: environment) + "/trusted-folders.json")
    }

    private struct Contents: Codable {
        var version = 1
        var folders: [String: TrustedFolder] = [:]
        /// Folders the user chose not to trust, with the files they held then (asked again
        /// when those change).
        var declined: [String: TrustedFolder]?
    }

    /// Every trusted folder. A missing file is an empty store; an unreadable or broken one is
    /// an error (nothing is trusted then, and the message names the file).
    public func folders() throws(TrustStoreError) -> [String: TrustedFolder] {
        try contents().folders
    }

    /// The record for `folder`, if it is trusted.
    public func record(for folder: String) throws(TrustStoreError) -> TrustedFolder? {
        try contents().folders[folder]
    }

    /// The record of the user declining to trust `folder`, if they did.
    public func declinedRecord(for folder: String) throws(TrustStoreError) -> TrustedFolder? {
        try contents().declined?[folder]
    }

    /// The status of `folder` now: its gated files against what was recorded.
    public func status(of folder: String) throws(TrustStoreError) -> TrustStatus {
        ProjectTrust.status(files: ProjectTrust.scan(directory: folder), record: try record(for: folder),
                            declined: try declinedRecord(for: folder))
    }

    /// Remembers that the user chose not to trust `folder` as it is now: its files stay
    /// unused without asking again until they change.
    public func decline(_ folder: String, files: [ProjectFile]? = nil, now: Date = Date()) throws(TrustStoreError) {
        var contents = try contents()
        contents.folders[folder] = nil
        contents.declined = contents.declined ?? [:]
        contents.declined?[folder] = TrustedFolder(files: files ?? ProjectTrust.scan(directory: folder),
                                                  trustedAt: now.formatted(.iso8601))
        try save(contents)
    }

    /// Trusts `folder` with `files` (default: its gated files as they are now). Pass the
    /// files the person was shown, so a file changed while they read is asked about again.
    @discardableResult
    public func trust(_ folder: String, files: [ProjectFile]? = nil, now: Date = Date()) throws(TrustStoreError)
        -> TrustedFolder {
        var contents = try contents()
        let record = TrustedFolder(files: files ?? ProjectTrust.scan(directory: folder),
                                   trustedAt: now.formatted(.iso8601))
        contents.folders[folder] = record
        contents.declined?[folder] = nil
        try save(contents)
        return record
    }

    /// Withdraws trust from `folder`; false when it was not trusted.
    @discardableResult
    public func revoke(_ folder: String) throws(TrustStoreError) -> Bool {
        var contents = try contents()
        let declined = contents.declined?.removeValue(forKey: folder) != nil
        guard contents.folders.removeValue(forKey: folder) != nil else {
            if declined { try save(contents) }
            return false
        }
        try save(contents)
        return true
    }

    private func contents() throws(TrustStoreError) -> Contents {
        guard FileManager.default.fileExists(atPath: path) else { return Contents() }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try JSONDecoder().decode(Contents.self, from: data)
        } catch {
            throw TrustStoreError(path: path, reason: "cannot read it (\(error)); fix or delete it")
        }
    }

    private func save(_ contents: Contents) throws(TrustStoreError) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(contents).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TrustStoreError(path: path, reason: "cannot write it (\(error))")
        }
    }
}

/// The trust store could not be read or written.
public struct TrustStoreError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "trust store \(path): \(reason)" }
}
