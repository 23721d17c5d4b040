/// Decides, at start-up, whether the project folder's gated files may be used (D80).
///
/// A config named with `--config` or `$SWIFTCODER_CONFIG`, and the user's own config in
/// `$XDG_CONFIG_HOME`, are the user's choice and never gated; `./agents.config.json` and
/// `.mcp.json` in the folder swiftcoder starts in are used only once the folder is trusted and
/// while they are unchanged since.
public struct FolderTrustGate: Sendable, Hashable {
    /// The project folder (the current directory, as the kernel names it).
    public var folder: String
    /// The folder's trust status now.
    public var status: TrustStatus
    /// The gated files present in the folder.
    public var files: [ProjectFile]
    /// Whether the project's `agents.config.json` would be the config loaded (nothing named
    /// explicitly, and it is not the user's own file).
    public var projectConfigWouldLoad: Bool
    /// Why the trust store could not be read, when it could not (nothing is trusted then).
    public var storeProblem: String?

    public init(folder: String, files: [ProjectFile], status: TrustStatus, projectConfigWouldLoad: Bool,
                storeProblem: String? = nil) {
        self.folder = folder
        self.files = files
        self.status = status
        self.projectConfigWouldLoad = projectConfigWouldLoad
        self.storeProblem = storeProblem
    }

    /// Reads the store and the folder's files for `currentDirectory`.
    public static func check(currentDirectory: String, explicitConfig: String?, environment: [String: String],
                             store: TrustStore) -> FolderTrustGate {
        let isUsersOwn = ConfigLoader.projectPath(currentDirectory: currentDirectory)
            == ConfigLoader.userPath(environment: environment)
        let wouldLoad = !isUsersOwn
            && !ConfigLoader.isNamedExplicitly(explicitPath: explicitConfig, environment: environment)
        // In the user's own config folder, agents.config.json is theirs, not a project's.
        let files = ProjectTrust.scan(directory: currentDirectory)
            .filter { !(isUsersOwn && $0.name == ConfigLoader.fileName) }
        var problem: String?
        var record: TrustedFolder?
        var declined: TrustedFolder?
        do {
            record = try store.record(for: currentDirectory)
            declined = try store.declinedRecord(for: currentDirectory)
        } catch {
            problem = error.description
        }
        return FolderTrustGate(folder: currentDirectory, files: files,
                               status: ProjectTrust.status(files: files, record: record, declined: declined),
                               projectConfigWouldLoad: wouldLoad, storeProblem: problem)
    }

    /// True when the project's `agents.config.json` must be passed over by the loader.
    public var skipsProjectConfig: Bool {
        projectConfigWouldLoad && !status.allowsUse && gatedNames.contains(ConfigLoader.fileName)
    }

    /// True when the person should be asked (the full-screen app asks before anything else):
    /// files are ignored for want of trust, and they did not already say no to these files.
    public var needsAnswer: Bool {
        !ignoredNames.isEmpty && status != .declined && storeProblem == nil
    }

    /// True when the folder's `.mcp.json` (and other gated files) may be used.
    public var allowsProjectFiles: Bool { status.allowsUse }

    /// The gated files present that are not used for want of trust.
    public var ignoredNames: [String] {
        status.allowsUse ? [] : gatedNames.filter { $0 != ConfigLoader.fileName || projectConfigWouldLoad }
    }

    private var gatedNames: [String] {
        status.allowsUse ? [] : files.map(\.name)
    }

    /// One line for stderr (`run`, `models`, `providers`) when files are ignored, nil otherwise.
    public var warning: String? {
        let names = ignoredNames
        guard !names.isEmpty else { return nil }
        let why: String
        if case .changed(let changed) = status {
            why = "\(changed.joined(separator: " and ")) changed since you trusted this folder"
        } else if status == .declined {
            why = "you chose not to trust this folder"
        } else {
            why = "this folder is not trusted"
        }
        return "ignoring \(names.joined(separator: " and ")) in \(folder): \(why) "
            + "(review \(names.count == 1 ? "it" : "them"), then run `swiftcoder trust` to use \(names.count == 1 ? "it" : "them"))"
    }
}
