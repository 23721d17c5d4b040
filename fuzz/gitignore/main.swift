@testable import AgentTools
import FuzzSupport

/// `.gitignore` text, a NUL, then paths (one a line) through GitIgnore, as files and as
/// directories: no trap or hang; a file that ignores a path's escaped text, anchored,
/// (glob characters and spaces escaped) ignores that path.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = FuzzInput(start, count).text
    let parts = text.split(separator: "\0", maxSplits: 1, omittingEmptySubsequences: false)
    let rules = GitIgnore(String(parts[0]))
    let paths = parts.count > 1 ? parts[1].split(separator: "\n").map(String.init) : ["a/b", "a"]
    for path in paths.prefix(16) {
        _ = rules.decision(for: path, isDirectory: false)
        _ = rules.decision(for: path, isDirectory: true)
        let components = path.split(separator: "/")
        // A path with a line break cannot be written as one rule (`\r\n` is one Character).
        guard !components.isEmpty, !path.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else { continue }
        let exact = GitIgnore("/" + components.map(escaped).joined(separator: "/"))
        fuzzRequire(exact.decision(for: components.joined(separator: "/"), isDirectory: false) == true,
                    "an anchored escaped rule does not ignore \(path.unicodeScalars.map(\.value))")
    }
    return 0
}

/// `text` with `\\`, `*`, `?`, `[` and spaces escaped by a backslash.
func escaped(_ text: some StringProtocol) -> String {
    var result = ""
    for character in text {
        if "\\*?[ ".contains(character) { result.append("\\") }
        result.append(character)
    }
    return result
}

runFuzzer(fuzzOne)
