import AgentCore
import FuzzSupport

/// `${VAR}` interpolation of one string: text with every `$` doubled expands back to
/// itself, text without `$` is unchanged, and a failure never carries a variable's value.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = FuzzInput(start, count).text
    let environment = ["KEY": secret, "HOME": "/home/fuzz", "EMPTY": "", "A": "$B", "B": "${A}"]
    do {
        let expanded = try ConfigInterpolation.expand(text, environment: environment)
        if !text.unicodeScalars.contains("$") { fuzzRequire(expanded == text, "text without $ changed") }
        // A reference in front expands the same whatever follows.
        let prefixed = try? ConfigInterpolation.expand("${HOME}" + text, environment: environment)
        fuzzRequire(prefixed == "/home/fuzz" + expanded, "a leading ${HOME} changed how the rest expands")
    } catch {
        switch error {
        case .unsetVariable(let name): fuzzRequire(!name.contains(secret), "failure shows the secret")
        case .malformed(let message): fuzzRequire(!message.contains(secret), "failure shows the secret")
        }
    }
    let escaped = text.replacingOccurrences(of: "$", with: "$$")
    do {
        let back = try ConfigInterpolation.expand(escaped, environment: environment)
        fuzzRequire(back == text, "escaped text did not expand to itself")
    } catch {
        fuzzRequire(false, "escaped text failed: \(error)")
    }
    return 0
}

let secret = "sk-fuzz-secret-4242"

extension String {
    /// By scalars, as the expander reads: a prepended mark (U+0603) and `$` are one Character.
    func replacingOccurrences(of target: Unicode.Scalar, with replacement: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if scalar == target { result.append(contentsOf: replacement.unicodeScalars) } else { result.append(scalar) }
        }
        return String(result)
    }
}

runFuzzer(fuzzOne)
