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
        if path.utf8.first == UInt8(ascii: "~") {
            // Never a literal "./~": the model almost always means the home directory, which is outside.
            throw ToolError("path \"\(path)\" starts with ~, which is not expanded: the home directory is outside the "
                + "project; use a path relative to the project root (write ./\(path) for a file really named so)")
        }
        let start = path.utf8.first == UInt8(ascii: "/") ? path : root + "/" + path
        guard let absolute = Self.resolveSymlinks(start) else {
            throw ToolError("path \"\(path)\" has too many levels of symbolic links")
        }
        guard let relative = relativePath(absolute) else {
            throw ToolError("path \"\(path)\" is outside the project (\(root)); only paths inside it can be used")
        }
        return ResolvedPath(absolute: absolute, relative: relative)
    }

    /// `absolute` relative to the root, nil when it is not inside.
    ///
    /// Compared byte for byte: Swift's `String ==` and `hasPrefix` treat canonically equivalent
    /// text (NFC `é` and NFD `e` + combining accent) as equal, but to Linux they are different
    /// names, so a string comparison could take a sibling directory for the root.
    func relativePath(_ absolute: String) -> String? {
        let path = Array(absolute.utf8)
        let rootBytes = Array(root.utf8)
        if path == rootBytes { return "." }
        let prefix = rootBytes == [UInt8(ascii: "/")] ? rootBytes : rootBytes + [UInt8(ascii: "/")]
        guard path.count > prefix.count, path.starts(with: prefix) else { return nil }
        return String(decoding: path[prefix.count...], as: UTF8.self)
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
            if target.utf8.first == UInt8(ascii: "/") { current = [] }
            pending.append(contentsOf: components(target).reversed())
        }
        return "/" + current.joined(separator: "/")
    }

    /// Split on the byte `/`, as the kernel does: a `Character` split would miss a `/` that a
    /// following combining mark joins into one grapheme cluster.
    private static func components(_ path: String) -> [String] {
        path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
            .map { String(decoding: $0, as: UTF8.self) }
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
