import FoundationEssentials

/// Costs as whole pico-dollars (10⁻¹² USD), the integer the ledger sums in SQL (D70).
///
/// A pico-dollar holds every built-in price exactly ($0.0375 per million tokens is 37,500
/// pico-dollars a token; nano-dollars would need halves). A cost with more decimals, a
/// negative one, or one above `Int64.max` pico-dollars (about $9.2 million for one request)
/// has no integer: the ledger keeps it as decimal text only and adds it in Swift. Pure.
public enum PicoDollars {
    /// Decimal places of the unit.
    public static let places = 12

    /// The exact integer of `text` (plain decimal notation as `Decimal` prints it: `0.0123`,
    /// `12`), or `nil` when it has no exact non-negative `Int64` value in pico-dollars.
    public static func exact(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 64 else { return nil }
        var whole: [UInt8] = []
        var fraction: [UInt8] = []
        var seenPoint = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if seenPoint { fraction.append(byte - 48) } else { whole.append(byte - 48) }
            } else {
                return nil // a sign, an exponent or anything else
            }
        }
        guard !whole.isEmpty || !fraction.isEmpty else { return nil }
        while fraction.last == 0 { fraction.removeLast() }
        guard fraction.count <= places else { return nil }
        fraction += Array(repeating: 0, count: places - fraction.count)
        var value: Int64 = 0
        for digit in whole + fraction {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// The exact integer of `amount`, or `nil` (see `exact(_:)`).
    public static func exact(_ amount: Decimal) -> Int64? {
        exact("\(amount)")
    }

    /// `high · 2³² + low` pico-dollars as an exact `Decimal` of dollars. The ledger sums the
    /// two halves of each cost separately so that no SQL sum can overflow (D70).
    public static func dollars(high: Int64, low: Int64) -> Decimal {
        var digits = Array(
            (Decimal(high) * Decimal(4_294_967_296) + Decimal(low)).description.utf8)
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits.removeFirst() }
        if digits.count <= places { digits = Array(repeating: UInt8(ascii: "0"), count: places + 1 - digits.count) + digits }
        let split = digits.count - places
        var text = String(decoding: digits[..<split], as: UTF8.self) + "."
            + String(decoding: digits[split...], as: UTF8.self)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return Decimal(string: (negative ? "-" : "") + text) ?? 0
    }
}
