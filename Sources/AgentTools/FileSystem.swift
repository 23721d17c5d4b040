import Glibc

/// Thin, blocking wrappers over the POSIX file calls the tools need. Call them off the
/// cooperative pool (see `OffPool`). Errors are `ToolError`s naming the path.
enum FileSystem {
    /// What a path is, without following a final symlink.
    enum Kind: Sendable, Hashable {
        case file, directory, symlink, other
    }

    /// The kind of `path` (not following a final symlink), nil when it does not exist.
    static func kind(_ path: String) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return kind(mode: info.st_mode)
    }

    /// The kind of what `path` leads to (following symlinks), nil when nothing is there.
    static func targetKind(_ path: String) -> Kind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return kind(mode: info.st_mode)
    }

    /// The size in bytes of what `path` leads to.
    static func size(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    private static func kind(mode: mode_t) -> Kind {
        switch mode & S_IFMT {
        case S_IFREG: .file
        case S_IFDIR: .directory
        case S_IFLNK: .symlink
        default: .other
        }
    }

    /// The text of `errno` ("No such file or directory").
    static func errorText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    /// The whole file; `display` names it in errors.
    static func read(_ path: String, display: String) throws(ToolError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ToolError(errno == ENOENT ? "not found: \(display)" : "cannot read \(display): \(errorText())")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw ToolError("cannot read \(display): \(errorText())")
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// Replaces (or creates) the file's contents safely, creating missing parent directories:
    /// see `AtomicWriter`. An existing file keeps its permissions (and owner, where allowed).
    static func write(_ bytes: [UInt8], to path: String, display: String) throws(ToolError) {
        try makeDirectories(parent(of: path), display: display)
        try AtomicWriter(path: path, display: display).write(bytes)
    }

    /// At most `limit` bytes of the file, and whether it has more; `display` names it in errors.
    static func readPrefix(_ path: String, limit: Int, display: String) throws(ToolError) -> (bytes: [UInt8], truncated: Bool) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw ToolError(errno == ENOENT ? "not found: \(display)" : "cannot read \(display): \(errorText())")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count <= limit {
            let want = min(chunk.count, limit + 1 - bytes.count)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, want) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw ToolError("cannot read \(display): \(errorText())")
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        guard bytes.count > limit else { return (bytes, false) }
        return (Array(bytes.prefix(limit)), true)
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String, display: String) throws(ToolError) {
        guard !path.isEmpty, targetKind(path) != .directory else { return }
        try makeDirectories(parent(of: path), display: display)
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw ToolError("cannot create the directory for \(display): \(errorText())")
        }
    }

    /// The directory part of an absolute path ("/" for "/a").
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The names in a directory (without "." and ".."), sorted.
    static func entries(_ path: String) -> [String]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
