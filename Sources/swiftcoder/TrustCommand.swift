import AgentCore
import ArgumentParser
import FoundationEssentials
import Glibc

/// `swiftcoder trust [--revoke | --list] [DIR]`: folder trust from the command line (D80).
struct TrustCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Trust a project folder, so its agents.config.json and .mcp.json are used.",
        discussion: """
            A project folder's own agents.config.json and .mcp.json can name servers that receive \
            your keys, turn approvals off and start processes, so swiftcoder uses them only in a \
            folder you trusted, and asks again when they change. This prints what the files would \
            enable and records them as they are now. A config named with --config or \
            $SWIFTCODER_CONFIG, and your own in $XDG_CONFIG_HOME, need no trust.
            """)

    @Flag(name: .long, help: "Withdraw trust from the folder.")
    var revoke = false

    @Flag(name: .long, help: "List the trusted folders.")
    var list = false

    @Argument(help: "The folder (default: the current directory).")
    var directory: String?

    mutating func validate() throws {
        if revoke && list { throw ValidationError("--revoke and --list cannot be used together") }
        if list && directory != nil { throw ValidationError("--list takes no folder") }
    }

    mutating func run() async throws {
        let store = TrustStore(environment: ProcessInfo.processInfo.environment)
        do {
            if list { return try printList(store) }
            let folder = try Self.canonicalFolder(directory ?? FileManager.default.currentDirectoryPath)
            if revoke {
                let was = try store.revoke(folder)
                StandardOutput.write(was ? "Trust withdrawn from \(folder).\n" : "\(folder) was not trusted.\n")
                return
            }
            // Fingerprinted before they are shown: a file changed while the person reads is
            // asked about again.
            let files = ProjectTrust.scan(directory: folder)
            for line in Self.describe(folder: folder) { StandardOutput.write(line + "\n") }
            try store.trust(folder, files: files)
            StandardOutput.write("Trusted \(folder). `swiftcoder trust --revoke` withdraws it.\n")
        } catch let error as TrustStoreError {
            throw CleanExit.message(error.description, code: 1)
        }
    }

    private func printList(_ store: TrustStore) throws(TrustStoreError) {
        let folders = try store.folders()
        if folders.isEmpty { StandardOutput.write("No folder is trusted.\n") }
        for (folder, record) in folders.sorted(by: { $0.key < $1.key }) {
            let files = record.files.map(\.name).joined(separator: ", ")
            let current = ProjectTrust.status(files: ProjectTrust.scan(directory: folder), record: record)
            let note = current == .trusted || current == .nothingToTrust ? "" : " (changed since; asks again)"
            StandardOutput.write("\(folder)  \(record.trustedAt)  \(files.isEmpty ? "no files" : files)\(note)\n")
        }
    }

    /// The folder as the kernel names it (symlinks resolved), or an error naming it.
    static func canonicalFolder(_ path: String) throws -> String {
        guard let resolved = realpath(path, nil) else {
            throw CleanExit.message("\(path): \(String(cString: strerror(errno)))", code: 1)
        }
        defer { free(resolved) }
        let folder = String(cString: resolved)
        var info = stat()
        guard stat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw CleanExit.message("\(path) is not a folder", code: 1)
        }
        return folder
    }

    /// What the folder's gated files would enable, for the person deciding.
    static func describe(folder: String) -> [String] {
        let files = ProjectTrust.scan(directory: folder)
        let commands = CustomCommandCatalog.shellLines(project: folder)
        guard !files.isEmpty else {
            return ["\(folder) has no agents.config.json or .mcp.json; trusting it lets ones added later be used "
                + "after asking again."] + commands
        }
        var lines: [String] = []
        for file in files {
            lines.append("\(file.name):")
            let path = folder + "/" + file.name
            guard let bytes = FileManager.default.contents(atPath: path) else {
                lines.append("  (cannot be read)")
                continue
            }
            do throws(ConfigError) {
                let document = try ConfigLoader.document(parsing: Array(bytes), path: path)
                let summary = TrustSummary.describe(document.root)
                lines += summary.isEmpty ? ["  (nothing that acts)"] : summary.map { "  " + $0 }
            } catch {
                lines.append("  " + error.description)
            }
        }
        return lines + commands
    }
}
