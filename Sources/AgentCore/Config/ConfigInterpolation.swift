/// Environment-variable interpolation for config string values.
///
/// Forms: `${NAME}` and `$NAME` (NAME is `[A-Za-z_][A-Za-z0-9_]*`), `${NAME:-default}` (the
/// default, itself interpolated, is used when NAME is unset *or empty*, as in POSIX shells)
/// and `$$` for a literal `$`. A `$` not followed by `{`, `$` or a name start stays literal.
public enum ConfigInterpolation {
    /// Why a string could not be expanded; never carries the string itself (it may be a secret).
    public enum Failure: Error, Sendable, Hashable {
        /// The variable is not set and the reference has no default.
        case unsetVariable(String)
        /// The reference is not well formed; the payload says what was expected.
        case malformed(String)
    }

    /// The names of the variables `text` refers to (defaults' references included), in order.
    public static func variables(in text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var names: [String] = []
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "$", index + 1 < scalars.count else { index += 1; continue }
            if scalars[index + 1] == "$" { index += 2; continue }
            var start = index + 1
            if scalars[start] == "{" { start += 1 }
            var end = start
            while end < scalars.count, scalars[end] == "_" || scalars[end].properties.isASCIIHexDigit
                    || ("A"..."Z").contains(scalars[end]) || ("a"..."z").contains(scalars[end]) {
                end += 1
            }
            if end > start, !("0"..."9").contains(scalars[start]) {
                var name = String.UnicodeScalarView()
                name.append(contentsOf: scalars[start..<end])
                names.append(String(name))
            }
            index = max(end, index + 1)
        }
        return names
    }

    /// Expands every reference in `text` using `environment`.
    public static func expand(_ text: String, environment: [String: String]) throws(Failure) -> String {
        // By bytes: a prepended mark and `$` (U+0603 `$`) are one Character, which
        // `contains("$")` missed, leaving the reference unexpanded (the interpolation fuzzer).
        guard text.utf8.contains(UInt8(ascii: "$")) else { return text }
        var expander = Expander(scalars: Array(text.unicodeScalars), environment: environment)
        return try expander.run()
    }
}

/// A single left-to-right pass over one string's scalars.
private struct Expander {
    let scalars: [Unicode.Scalar]
    let environment: [String: String]
    var index = 0
    var output = String.UnicodeScalarView()

    init(scalars: [Unicode.Scalar], environment: [String: String]) {
        self.scalars = scalars
        self.environment = environment
    }

    mutating func run() throws(ConfigInterpolation.Failure) -> String {
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "$", index + 1 < scalars.count else {
                output.append(scalar)
                index += 1
                continue
            }
            let next = scalars[index + 1]
            if next == "$" {
                output.append("$")
                index += 2
            } else if next == "{" {
                index += 2
                try expandBraced()
            } else if Self.isNameStart(next) {
                index += 1
                let name = readName()
                guard let value = environment[name] else { throw .unsetVariable(name) }
                output.append(contentsOf: value.unicodeScalars)
            } else {
                output.append(scalar)
                index += 1
            }
        }
        return String(output)
    }

    /// Handles what follows `${`: a name, then `}` or `:-default}`.
    private mutating func expandBraced() throws(ConfigInterpolation.Failure) {
        guard index < scalars.count, Self.isNameStart(scalars[index]) else {
            throw .malformed("expected a variable name after '${' (like ${NAME})")
        }
        let name = readName()
        if index < scalars.count, scalars[index] == "}" {
            index += 1
            guard let value = environment[name] else { throw .unsetVariable(name) }
            output.append(contentsOf: value.unicodeScalars)
            return
        }
        guard index + 1 < scalars.count, scalars[index] == ":", scalars[index + 1] == "-" else {
            if index >= scalars.count { throw .malformed("'${\(name)' is missing its closing '}'") }
            throw .malformed("unsupported form after '${\(name)': use ${\(name)} or ${\(name):-default}")
        }
        index += 2
        let defaultText = try readDefault(name: name)
        if let value = environment[name], !value.isEmpty {
            output.append(contentsOf: value.unicodeScalars)
        } else {
            let expanded = try ConfigInterpolation.expand(defaultText, environment: environment)
            output.append(contentsOf: expanded.unicodeScalars)
        }
    }

    /// Reads a default up to its matching `}`, allowing nested `${...}` references inside it.
    private mutating func readDefault(name: String) throws(ConfigInterpolation.Failure) -> String {
        var depth = 1
        var text = String.UnicodeScalarView()
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "$", index + 1 < scalars.count, scalars[index + 1] == "$" || scalars[index + 1] == "{" {
                if scalars[index + 1] == "{" { depth += 1 }
                text.append(contentsOf: scalars[index...index + 1])
                index += 2
                continue
            }
            index += 1
            if scalar == "}" {
                depth -= 1
                if depth == 0 { return String(text) }
            }
            text.append(scalar)
        }
        throw .malformed("'${\(name):-' is missing its closing '}'")
    }

    private mutating func readName() -> String {
        let start = index
        while index < scalars.count, Self.isNameContinuation(scalars[index]) { index += 1 }
        var name = String.UnicodeScalarView()
        name.append(contentsOf: scalars[start..<index])
        return String(name)
    }

    private static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar)
    }

    private static func isNameContinuation(_ scalar: Unicode.Scalar) -> Bool {
        isNameStart(scalar) || ("0"..."9").contains(scalar)
    }
}
