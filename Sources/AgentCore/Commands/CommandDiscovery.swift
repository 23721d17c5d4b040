import FoundationEssentials
import Glibc

/// Finds custom command files (D145): `*.md` under the project's command folders and the
/// user's, subfolders giving `folder:name`. Bounded: at most `maxFiles` files, `maxDepth`
/// folder levels, `maxFileBytes` a file; what is passed over is said once, never fatal.
public enum CommandDiscovery {
    public static let maxFiles = 256
    public static let maxDepth = 4
    public static let maxFileBytes = 64 << 10

    /// The commands found and the problems to show (broken front matter, skipped files).
    public struct Result: Sendable, Hashable {
        /// By precedence: project folders in `CommandFolder.allCases` order, then the user's;
        /// the first command of a name wins (later ones are in `shadowed`).
        public var commands: [CustomCommand]
        public var shadowed: [CustomCommand]
        public var problems: [String]

        public init(commands: [CustomCommand] = [], shadowed: [CustomCommand] = [], problems: [String] = []) {
            self.commands = commands
            self.shadowed = shadowed
            self.problems = problems
        }
    }

    /// The user's command folder: `$XDG_CONFIG_HOME/swiftcoder/commands` (a relative value is
    /// ignored), else `~/.config/swiftcoder/commands`.
    public static func userFolder(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/swiftcoder/commands" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/swiftcoder/commands" }
        return nil
    }

    /// Every folder looked at, in precedence order.
    public static func folders(project: String, environment: [String: String]) -> [(CommandFolder, String)] {
        var folders = CommandFolder.allCases.filter(\.isProject).map { ($0, join(project, $0.rawValue)) }
        if let user = userFolder(environment: environment) { folders.append((.user, user)) }
        return folders
    }

    /// Reads every command folder of `project` and the user's.
    public static func discover(project: String, environment: [String: String]) -> Result {
        var result = Result()
        var seen: [String: Int] = [:]
        var budget = maxFiles
        let projectRoot = realPath(project) ?? project
        for (folder, path) in folders(project: project, environment: environment) {
            var files: [(name: String, path: String)] = []
            walk(path, prefix: [], depth: 0, budget: &budget, into: &files, problems: &result.problems)
            for file in files.sorted(by: { $0.name < $1.name }) {
                // A project's file must stay in the project: a symlink to ~/.ssh/id_rsa.md
                // would otherwise be sent as a prompt.
                if folder.isProject, !isInside(file.path, root: projectRoot) {
                    result.problems.append("\(file.path): left out: it leads outside the project")
                    continue
                }
                guard let command = load(file.path, name: file.name, folder: folder, problems: &result.problems)
                else { continue }
                if seen[command.name.lowercased()] != nil {
                    result.shadowed.append(command)
                } else {
                    seen[command.name.lowercased()] = result.commands.count
                    result.commands.append(command)
                }
            }
        }
        if budget <= 0 {
            result.problems.append("only the first \(maxFiles) command files were read; the others are left out")
        }
        return result
    }

    /// A valid command name: letters, digits, `-`, `_`, `.`, with `:` between folder parts.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.split(separator: ":", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        }
    }

    private static func load(_ path: String, name: String, folder: CommandFolder,
                             problems: inout [String]) -> CustomCommand? {
        guard isValidName(name) else {
            problems.append("\(path): left out: a command name may hold only letters, digits, - _ . (and : between folders)")
            return nil
        }
        let bytes: [UInt8]
        do {
            bytes = try BoundedFile.read(path, limit: maxFileBytes)
        } catch {
            problems.append("\(path): left out: \(error)")
            return nil
        }
        let (command, found) = CustomCommand.parse(name: name, text: String(decoding: bytes, as: UTF8.self),
                                                   folder: folder, path: path)
        problems += found
        return command
    }

    /// Collects `*.md` files under `directory` (sorted, symlinked folders not followed).
    private static func walk(_ directory: String, prefix: [String], depth: Int, budget: inout Int,
                             into files: inout [(name: String, path: String)], problems: inout [String]) {
        guard depth < maxDepth, let handle = opendir(directory) else { return }
        defer { closedir(handle) }
        var entries: [(String, Bool)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            let path = join(directory, name)
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let kind = info.st_mode & S_IFMT
            if kind == S_IFDIR { entries.append((name, true)) }
            else if name.hasSuffix(".md"), kind == S_IFREG || kind == S_IFLNK { entries.append((name, false)) }
            if entries.count > maxFiles { break }
        }
        for (name, isFolder) in entries.sorted(by: { $0.0 < $1.0 }) {
            let path = join(directory, name)
            if isFolder {
                walk(path, prefix: prefix + [name], depth: depth + 1, budget: &budget, into: &files, problems: &problems)
            } else if budget > 0 {
                budget -= 1
                files.append(((prefix + [String(name.dropLast(3))]).joined(separator: ":"), path))
            } else {
                budget = 0
                return
            }
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path`, symlinks resolved, is below `root` (compared byte for byte).
    static func isInside(_ path: String, root: String) -> Bool {
        guard let resolved = realPath(path) else { return false }
        let prefix = Array((root.hasSuffix("/") ? root : root + "/").utf8)
        return Array(resolved.utf8).starts(with: prefix)
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
