@testable import AgentTools
import FuzzSupport

/// `PATTERN\nPATH` through GlobPattern (and brace expansion, as find_files uses it): no
/// trap or hang, and a path with its glob characters escaped matches the path.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = FuzzInput(start, count).text
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let pattern = String(parts[0])
    let path = parts.count > 1 ? String(parts[1]) : ""
    for option in GlobPattern.expandingBraces(pattern).prefix(64) {
        _ = GlobPattern(option).matches(path)
        _ = GlobPattern("**/" + option).matches(path)
    }
    let literal = path.split(separator: "/").map(escaped).joined(separator: "/")
    fuzzRequire(GlobPattern(literal).matches(path), "escaped path \(literal) does not match \(path)")
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
