import FoundationEssentials

/// Exact conversions between decimal text and `Decimal`, never through `Double`.
public enum DecimalText {
    /// The value of a JSON number literal (`12`, `0.5`, `1.5e-06`, `-2E+3`), exactly; `nil` when the
    /// text is not a whole JSON number (so `1.5x` or `1.5e` are rejected, unlike `Decimal(string:)`).
    public static func parse(_ text: String) -> Decimal? {
        guard isJSONNumber(Array(text.utf8)) else { return nil }
        // Checked on Linux: FoundationEssentials' `Decimal(string:)` reads exponent notation exactly
        // (`3e-07` * 1_000_000 == 0.3); the grammar check above makes it strict.
        return Decimal(string: text)
    }

    /// Whether the bytes are exactly `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    private static func isJSONNumber(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        let integerDigits = digits()
        guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }

    /// `value` in plain notation rounded half away from zero to `places` decimal places
    /// (`0.012345`, 4 → `0.0123`), keeping trailing zeros.
    public static func rounded(_ value: Decimal, places: Int) -> String {
        let text = value.description
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        var digits = Array(parts[0].utf8).map { Int($0) - 48 }
        var fraction = parts.count > 1 ? Array(parts[1].utf8).map { Int($0) - 48 } : []
        let roundUp = fraction.count > places && fraction[places] >= 5
        fraction = Array((fraction + Array(repeating: 0, count: max(0, places - fraction.count))).prefix(places))
        digits += fraction
        if roundUp {
            var position = digits.count - 1
            while position >= 0 {
                if digits[position] == 9 { digits[position] = 0; position -= 1 } else { digits[position] += 1; break }
            }
            if position < 0 { digits.insert(1, at: 0) }
        }
        let integerPart = digits.prefix(digits.count - places).map(String.init).joined()
        let fractionPart = digits.suffix(places).map(String.init).joined()
        let isZero = digits.allSatisfy { $0 == 0 }
        let body = places > 0 ? "\(integerPart).\(fractionPart)" : integerPart
        return (negative && !isZero ? "-" : "") + body
    }
}
