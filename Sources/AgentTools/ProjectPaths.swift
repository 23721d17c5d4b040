import Glibc

/// A path inside the project, with every symlink resolved.
struct ResolvedPath: Sendable, Hashable {
    /// The absolute, symlink-free path used for file operations.
    var absolute: String
    /// The path relative to the project root ("." for the root itself), for messages and diffs.
    var relative: String
}

/// Confines paths to the project root: the core of the tools' safety.
///
/// A path is resolved the way the kernel would (relative to the root, `..` and symlinks
/// followed, including dangling symlinks and symlinked directories on the way), and refused
/// unless the result is the root or below it. Parts that do not exist yet (a file about to be
/// written) are appended as plain names after the longest existing prefix is resolved, so a
/// new file inside a symlinked directory that leads outside is refused too. The check and the
/// later file operation are separate steps; a symlink swapped in between is not defended
/// against (the model cannot do that without `run_command`, which asks first).
struct ProjectPaths: Sendable {
    /// The project root, symlinks resolved.
    let root: String

    init(root: String) {
        var resolved = root
        if let real = realpath(root, nil) {
            resolved = String(cString: real)
            free(real)
        }
        self.root = resolved.count > 1 && resolved.hasSuffix("/") ? String(resolved.dropLast()) : resolved
    }

    /// Resolves `path` (relative to the root, or absolute) and checks it stays inside.
    func resolve(_ path: String) throws(ToolError) -> ResolvedPath {
        guard !path.isEmpty else { throw ToolError("the path is empty") }
        guard !path.utf8.contains(0) else { throw ToolError("the path contains a NUL byte") }
        let start = path.hasPrefix("/") ? path : root + "/" + path
        guard let absolute = Self.resolveSymlinks(start) else {
            throw ToolError("path \"\(path)\" has too many levels of symbolic links")
        }
        guard let relative = relativePath(absolute) else {
            throw ToolError("path \"\(path)\" is outside the project (\(root)); only paths inside it can be used")
        }
        return ResolvedPath(absolute: absolute, relative: relative)
    }

    /// `absolute` relative to the root, nil when it is not inside.
    func relativePath(_ absolute: String) -> String? {
        if absolute == root { return "." }
        let prefix = root == "/" ? "/" : root + "/"
        guard absolute.hasPrefix(prefix) else { return nil }
        return String(absolute.dropFirst(prefix.count))
    }

    /// Follows `..` and symlinks like the kernel; parts that do not exist are kept as names.
    /// Nil after 40 symlinks (a loop).
    static func resolveSymlinks(_ path: String) -> String? {
        var pending = components(path).reversed() as [String]
        var current: [String] = []
        var hops = 0
        while let name = pending.popLast() {
            if name == "." { continue }
            if name == ".." { _ = current.popLast(); continue }
            let candidate = "/" + (current + [name]).joined(separator: "/")
            guard FileSystem.kind(candidate) == .symlink else {
                current.append(name)
                continue
            }
            hops += 1
            guard hops <= 40, let target = readLink(candidate) else { return nil }
            if target.hasPrefix("/") { current = [] }
            pending.append(contentsOf: components(target).reversed())
        }
        return "/" + current.joined(separator: "/")
    }

    private static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// The target a symlink names, as written.
    static func readLinkTarget(_ path: String) throws(ToolError) -> String {
        guard let target = readLink(path) else { throw ToolError("cannot read the link \(path)") }
        return target
    }

    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
