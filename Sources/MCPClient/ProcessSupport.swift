import AgentCore
import Glibc
import Synchronization

/// The last lines a server wrote to stderr, bounded: at most `maxLines` lines of at most
/// `maxLineBytes` each, and an unfinished line of at most `maxLineBytes`.
final class StderrTail: Sendable {
    static let maxLines = 20
    static let maxLineBytes = 1024

    private struct State {
        var lines: [String] = []
        var partial: [UInt8] = []
    }
    private let state = Mutex(State())
    /// Gets each finished line (the log), on the draining thread.
    private let onLine: @Sendable (String) -> Void

    init(onLine: @escaping @Sendable (String) -> Void = { _ in }) {
        self.onLine = onLine
    }

    func append(_ bytes: some Collection<UInt8>) {
        let finished = state.withLock { state -> [String] in
            var finished: [String] = []
            for byte in bytes {
                if byte == UInt8(ascii: "\n") {
                    if let line = Self.finish(&state) { finished.append(line) }
                } else if state.partial.count < Self.maxLineBytes {
                    state.partial.append(byte)
                }
            }
            return finished
        }
        for line in finished { onLine(line) }
    }

    @discardableResult
    private static func finish(_ state: inout State) -> String? {
        let isBlank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        let trimmed = state.partial.drop(while: isBlank).reversed().drop(while: isBlank).reversed()
        let line = String(decoding: Array(trimmed), as: UTF8.self)
        state.partial.removeAll(keepingCapacity: true)
        guard !line.isEmpty else { return nil }
        state.lines.append(line)
        if state.lines.count > maxLines { state.lines.removeFirst(state.lines.count - maxLines) }
        return line
    }

    /// The kept lines, oldest first (an unfinished last line included).
    var lines: [String] {
        state.withLock { state in
            var copy = state
            Self.finish(&copy)
            return copy.lines
        }
    }

    var lastLine: String? { lines.last }
}

/// The environment and executable lookup for spawned servers.
enum ProcessEnvironment {
    /// This process's environment with `overrides` on top.
    static func merged(with overrides: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        for (key, value) in overrides { result[key] = value }
        return result
    }

    /// `name` itself when it contains a slash and is executable, else the first executable
    /// `DIR/name` along `path`.
    static func findExecutable(_ name: String, path: String?) -> String? {
        guard !name.isEmpty else { return nil }
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        return directories.lazy.map { ($0.isEmpty ? "." : $0) + "/" + name }.first { access($0, X_OK) == 0 && !isDirectory($0) }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}

/// C string arrays (`char *const[]`, NULL-terminated) for posix_spawn.
enum CStrings {
    static func withArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
