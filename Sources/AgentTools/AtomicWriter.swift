import Glibc

/// Replaces a file so that anyone looking (a reader, the next start after a crash or a
/// `kill -9`) sees the old content or the new one, never a mix or a truncated file.
///
/// The new bytes go to a temporary file in the same directory (`.NAME.swiftcoder-XXXX.tmp`,
/// created with `O_EXCL`, mode 0600 while it is written), which is flushed with `fsync`, given
/// the original's mode (and owner, when the process may set it; a new file gets 0644 less the
/// umask) and renamed over the original; the directory is then synced so the rename lasts. Any
/// failure (a full disk, a quota, a read-only directory) removes the temporary file and leaves
/// the original untouched. A hard link to the original keeps the old content (the rename gives
/// the path a new inode), as with every editor that saves this way.
struct AtomicWriter {
    /// The absolute, symlink-free path to replace.
    let path: String
    /// How the path is named in errors.
    let display: String
    /// Writes one chunk, like `write(2)`: tests replace it to simulate a full disk.
    var writeChunk: (Int32, UnsafeRawPointer, Int) -> Int = { Glibc.write($0, $1, $2) }

    init(path: String, display: String) {
        self.path = path
        self.display = display
    }

    func write(_ bytes: [UInt8]) throws(ToolError) {
        let directory = FileSystem.parent(of: path)
        var original = stat()
        let replacing = stat(path, &original) == 0
        let (fd, temporary) = try createTemporary(in: directory)
        var renamed = false
        var open = true
        defer {
            if open { close(fd) }
            if !renamed { unlink(temporary) }
        }
        try writeAll(bytes, to: fd)
        if replacing {
            // Owner first: chown clears set-id bits, which the mode then restores.
            _ = fchown(fd, original.st_uid, original.st_gid)
            _ = fchmod(fd, original.st_mode & 0o7777)
        } else {
            _ = fchmod(fd, 0o644 & ~Self.umaskValue())
        }
        guard fsync(fd) == 0 else { throw failure("could not flush it to disk") }
        open = false
        guard close(fd) == 0 else { throw failure("could not finish writing it") }
        guard rename(temporary, path) == 0 else { throw failure("could not move the new content into place") }
        renamed = true
        Self.syncDirectory(directory)
    }

    private func failure(_ what: String, code: Int32 = errno) -> ToolError {
        let reason = FileSystem.errorText(code)
        return ToolError("cannot write \(display): \(what) (\(reason)); the file was not changed")
    }

    /// Creates the temporary file beside the target; retries on a name already taken.
    private func createTemporary(in directory: String) throws(ToolError) -> (Int32, String) {
        let name = path.split(separator: "/").last.map(String.init) ?? "file"
        for _ in 0..<16 {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
            let candidate = (directory == "/" ? "" : directory) + "/." + name.prefix(200) + ".swiftcoder-" + suffix + ".tmp"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if fd >= 0 { return (fd, candidate) }
            if errno != EEXIST {
                throw failure("could not create a temporary file beside it in \(directory)")
            }
        }
        throw failure("could not find a free temporary file name", code: EEXIST)
    }

    private func writeAll(_ bytes: [UInt8], to fd: Int32) throws(ToolError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { writeChunk(fd, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("the write failed after \(offset) of \(bytes.count) bytes")
            }
            if count == 0 { throw failure("the write made no progress", code: EIO) }
            offset += count
        }
    }

    /// Makes the rename durable; failures only weaken durability, so they are ignored.
    private static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// The process's umask, read from `/proc/self/status` (calling `umask(2)` to read it
    /// would briefly change it for every thread); 022 when that is unavailable.
    static func umaskValue() -> mode_t {
        guard let bytes = try? FileSystem.readPrefix("/proc/self/status", limit: 16384, display: "status").bytes else {
            return 0o022
        }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("Umask:") {
            let digits = line.dropFirst("Umask:".count).trimmingPrefix(while: { $0 == " " || $0 == "\t" })
            if let value = mode_t(digits, radix: 8) { return value }
        }
        return 0o022
    }
}
