/// Walks the project's files in sorted order, skipping `.git` and whatever the `.gitignore`
/// files (nested ones included) and `.git/info/exclude` ignore. Symlinked directories are
/// not entered (no loops, no escaping the project); symlinks to files are listed only when
/// the file is inside the project, so a search never reads outside it. Blocking.
struct ProjectWalker: Sendable {
    let paths: ProjectPaths
    /// Stops the walk when raised (the call was cancelled).
    var cancellation: CancellationFlag?
    var onDirectory: (@Sendable (String) -> Void)?

    init(paths: ProjectPaths) {
        self.paths = paths
    }

    /// A walker for one call: stops when the call is cancelled.
    init(context: ToolContext) {
        paths = context.paths
        cancellation = context.cancellation
        onDirectory = context.onDirectory
    }

    /// One file found: its path relative to the root and its absolute path.
    struct Entry: Sendable, Hashable {
        var relative: String
        var absolute: String
    }

    /// Calls `visit` for each file under the directory `start`, or for `start` itself when it
    /// is a file; stops early when `visit` returns false.
    func walk(from start: ResolvedPath, _ visit: (Entry) -> Bool) {
        let stack = ancestorRules(of: start.relative)
        if FileSystem.targetKind(start.absolute) == .directory {
            _ = walkDirectory(absolute: start.absolute, relative: start.relative == "." ? "" : start.relative,
                              stack: stack, visit)
        } else {
            _ = visit(Entry(relative: start.relative, absolute: start.absolute))
        }
    }

    /// The rules that apply above `relative`: the exclude file and the `.gitignore` of every
    /// directory from the root down to (not including) `relative`.
    private func ancestorRules(of relative: String) -> IgnoreStack {
        var stack = IgnoreStack()
        stack.push(base: "", rules: rules(at: paths.root + "/.git/info/exclude"))
        guard relative != "." else { return stack }
        var base = ""
        let parts = relative.split(separator: "/").dropLast()
        for part in [""] + parts.map(String.init) {
            base = part.isEmpty ? base : (base.isEmpty ? part : base + "/" + part)
            stack.push(base: base, rules: rules(at: absolute(base) + "/.gitignore"))
        }
        return stack
    }

    private func staysInside(_ path: String) -> Bool {
        guard let resolved = ProjectPaths.resolveSymlinks(path) else { return false }
        return paths.relativePath(resolved) != nil
    }

    private func absolute(_ relative: String) -> String {
        relative.isEmpty ? paths.root : paths.root + "/" + relative
    }

    private func rules(at path: String) -> GitIgnore {
        // A .gitignore over 1 MB is not a real one; its rules are ignored rather than read whole.
        guard FileSystem.targetKind(path) == .file,
              let (bytes, truncated) = try? FileSystem.readPrefix(path, limit: 1 << 20, display: path), !truncated else {
            return GitIgnore("")
        }
        return GitIgnore(TextBytes.string(bytes))
    }

    /// Returns false when the visitor asked to stop.
    private func walkDirectory(absolute: String, relative: String, stack: IgnoreStack,
                               _ visit: (Entry) -> Bool) -> Bool {
        onDirectory?(relative)
        var local = stack
        local.push(base: relative, rules: rules(at: absolute + "/.gitignore"))
        for name in FileSystem.entries(absolute) ?? [] where name != ".git" {
            if cancellation?.isCancelled == true { return false }
            let childAbsolute = absolute + "/" + name
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            switch FileSystem.kind(childAbsolute) {
            case .directory:
                guard !local.isIgnored(childRelative, isDirectory: true) else { continue }
                guard walkDirectory(absolute: childAbsolute, relative: childRelative, stack: local, visit) else {
                    return false
                }
            case .file, .symlink:
                guard FileSystem.targetKind(childAbsolute) == .file, staysInside(childAbsolute),
                      !local.isIgnored(childRelative, isDirectory: false) else { continue }
                guard visit(Entry(relative: childRelative, absolute: childAbsolute)) else { return false }
            default:
                continue
            }
        }
        return true
    }
}
