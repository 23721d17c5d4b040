import FoundationEssentials
import Glibc

/// Reads a whole file that must stay small (the config file, a pricing file): refuses what is
/// not a regular file (`/dev/zero`, a FIFO) and anything over a byte limit, so a hostile or
/// mistaken path cannot hang the start or fill memory (D51).
public enum BoundedFile {
    /// The file was larger than the limit.
    public struct TooLarge: Error, Sendable, Hashable, CustomStringConvertible {
        public var limit: Int
        public var description: String {
            "the file is larger than \(InputLimits.describeBytes(limit)), the limit for this file"
        }
    }

    /// The path is not a regular file (a device, a FIFO, a socket).
    public struct NotARegularFile: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String { "not a regular file" }
    }

    /// The bytes of the regular file at `path`, at most `limit` of them. Throws `POSIXError`
    /// (ENOENT, EACCES, EISDIR, …), `NotARegularFile` or `TooLarge`.
    public static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw posixError(errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw posixError(errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw POSIXError(.EISDIR) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw NotARegularFile() }
        guard Int(info.st_size) <= limit else { throw TooLarge(limit: limit) }
        // Read until the end, one byte past the limit at most (the file may grow meanwhile).
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw posixError(errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit { throw TooLarge(limit: limit) }
        }
    }

    private static func posixError(_ code: Int32) -> POSIXError {
        POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
    }
}
