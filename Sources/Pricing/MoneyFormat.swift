import FoundationEssentials

/// Money as shown to users: `$0.0123`, `$3.142`, `$12.35`, `~$0.0041` for estimates, `n/a` when unknown.
public enum MoneyFormat {
    /// `amount` in dollars: 2 decimals from $10, 3 from $1, 4 below $1 (trailing zeros beyond the
    /// cents dropped), and 2 significant digits for amounts too small for that (`$0.000012`).
    /// `nil` is `n/a`, never `$0.00`; `estimate` adds a leading `~`.
    public static func usd(_ amount: Decimal?, estimate: Bool = false) -> String {
        guard let amount, !amount.isNaN else { return "n/a" } // NaN: an overflowed Decimal
        let magnitude = amount < 0 ? -amount : amount
        let places: Int
        if magnitude >= 10 {
            places = 2
        } else if magnitude >= 1 {
            places = 3
        } else if magnitude == 0 || magnitude >= Decimal(string: "0.00005") ?? 0 {
            places = 4
        } else {
            places = placesForSignificantDigits(magnitude, digits: 2)
        }
        let text = trimmedToCents(DecimalText.rounded(magnitude, places: places))
        return (estimate ? "~" : "") + (amount < 0 ? "-$" : "$") + text
    }

    /// A cost: `n/a` when unknown, `~` when estimated.
    public static func cost(_ cost: Cost) -> String {
        usd(cost.amount, estimate: cost.isEstimate)
    }

    /// Dollars and cents (`$2.04`), for limits and totals in messages.
    public static func cents(_ amount: Decimal) -> String {
        let magnitude = amount < 0 ? -amount : amount
        return (amount < 0 ? "-$" : "$") + DecimalText.rounded(magnitude, places: 2)
    }

    /// Most decimal places a limit keeps (what a user types is rarely finer).
    public static let maximumLimitPlaces = 8

    /// A limit as the user set it: cents at least, and every further digit it carries
    /// (`0.0008` is `$0.0008`, never `$0.00`), up to `maximumLimitPlaces`.
    public static func limit(_ amount: Decimal) -> String {
        let magnitude = amount < 0 ? -amount : amount
        return (amount < 0 ? "-$" : "$") + DecimalText.rounded(magnitude, places: max(2, places(in: magnitude)))
    }

    /// A spend next to `limit`: as `usd`, with at least the limit's decimal places, so the
    /// two can be told apart (`$0.0009 spent` of `$0.0008`, never `$0.00 spent`).
    public static func spent(_ amount: Decimal, against limit: Decimal) -> String {
        let magnitude = amount < 0 ? -amount : amount
        let shown = usd(amount)
        let wanted = places(in: limit < 0 ? -limit : limit)
        guard let dot = shown.firstIndex(of: "."), shown.distance(from: dot, to: shown.endIndex) - 1 < wanted else {
            return shown
        }
        return (amount < 0 ? "-$" : "$") + DecimalText.rounded(magnitude, places: wanted)
    }

    /// The decimal places `magnitude` carries, trailing zeros aside, at most `maximumLimitPlaces`.
    static func places(in magnitude: Decimal) -> Int {
        let text = DecimalText.rounded(magnitude, places: maximumLimitPlaces)
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        let fraction = text[text.index(after: dot)...]
        return fraction.count - fraction.reversed().prefix { $0 == "0" }.count
    }

    /// Decimal places that show `digits` significant digits of a positive amount below 1.
    private static func placesForSignificantDigits(_ magnitude: Decimal, digits: Int) -> Int {
        var places = 0
        var scaled = magnitude
        while scaled < 1, places < 30 {
            scaled *= 10
            places += 1
        }
        return places + digits - 1
    }

    /// Drops trailing zeros after the second decimal place (`0.5000` → `0.50`).
    private static func trimmedToCents(_ text: String) -> String {
        guard let dot = text.firstIndex(of: ".") else { return text }
        var result = text
        while result.hasSuffix("0"), result.distance(from: dot, to: result.endIndex) > 3 { result.removeLast() }
        return result
    }
}

/// Token counts as shown to users: `950`, `12.3k`, `128k`, `1.2M`.
public enum TokenFormat {
    /// A compact count: as is below 1,000, then one decimal below 100 units (`12.3k`, trailing `.0`
    /// dropped) and whole units from 100 (`128k`), rounded half up, with `k`, `M` and `B`.
    public static func compact(_ count: Int) -> String {
        let sign = count < 0 ? "-" : ""
        let value = count.magnitude
        guard value >= 1000 else { return "\(count)" }
        let units: [(UInt, String)] = [(1_000, "k"), (1_000_000, "M"), (1_000_000_000, "B")]
        for (index, (unit, suffix)) in units.enumerated() {
            let isLast = index == units.count - 1
            // value / unit and the remainder apart: `value * 10` overflows near Int.max.
            let tenths = value / unit * 10 + ((value % unit) * 10 + unit / 2) / unit
            if tenths < 1000 {
                let whole = tenths / 10, tenth = tenths % 10
                return sign + (tenth == 0 ? "\(whole)" : "\(whole).\(tenth)") + suffix
            }
            let whole = (value + unit / 2) / unit
            if whole < 1000 || isLast { return sign + "\(whole)" + suffix }
        }
        return "\(count)"
    }

    /// A context window: binary-aware, since windows are usually powers of two (D116):
    /// 32_768 → `32k` (never `32.8k`), 131_072 → `128k`, 1_048_576 → `1M`; a round decimal
    /// window or one that is not a multiple of 1,024 (`128000`, `200000`) is `compact`.
    public static func contextWindow(_ tokens: Int) -> String {
        guard tokens > 0, tokens % 1024 == 0, tokens % 1000 != 0 else { return compact(tokens) }
        if tokens % (1024 * 1024) == 0 { return "\(tokens / (1024 * 1024))M" }
        return "\(tokens / 1024)k"
    }
}
