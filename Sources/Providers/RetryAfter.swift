import AgentCore
import FoundationEssentials

/// Reads how long a server asks the client to wait: `retry-after-ms` (milliseconds,
/// OpenAI/Azure), else `retry-after` as seconds or as an HTTP-date (RFC 9110 IMF-fixdate).
enum RetryAfter {
    /// Seconds to wait, or `nil` when no usable header is present. Dates in the past give 0.
    /// `headers` has lowercased names, as transports deliver them.
    static func seconds(headers: [String: String], now: Date = Date()) -> Double? {
        parsedSeconds(headers: headers, now: now).map { min($0, longestWait) }
    }

    /// A wait for messages: `12 s`, or `a day or more` at the cap (the header may have said
    /// anything beyond it).
    static func describe(_ seconds: Double) -> String {
        seconds >= longestWait ? "a day or more" : "\(RetryPolicy.formatSeconds(seconds).dropLast()) s"
    }

    /// Waits are capped here (a day): a server's `Retry-After: 1e19` must not overflow the
    /// whole-second arithmetic that formats and schedules it.
    static let longestWait: Double = InputLimits.maxWaitSeconds

    private static func parsedSeconds(headers: [String: String], now: Date) -> Double? {
        if let text = headers["retry-after-ms"], let milliseconds = Double(text.trimmingWhitespace()),
           milliseconds.isFinite, milliseconds >= 0 {
            return milliseconds / 1000
        }
        guard let text = headers["retry-after"]?.trimmingWhitespace(), !text.isEmpty else { return nil }
        if let seconds = Double(text) { return seconds.isFinite && seconds >= 0 ? seconds : nil }
        guard let date = httpDate(text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// Parses `Sun, 06 Nov 1994 08:49:37 GMT`; `nil` for anything else. The year has four
    /// digits, as IMF-fixdate says: `Thu, 01 Jan 300000000000 00:00:00 GMT` is not a date (its
    /// seconds since 1970 would not fit an `Int`).
    static func httpDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT",
              let day = Int(parts[1]), (1...31).contains(day),
              let month = months.firstIndex(of: String(parts[2])).map({ $0 + 1 }),
              parts[3].utf8.count == 4, let year = Int(parts[3]), year >= 1970 else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3, (0..<24).contains(time[0]), (0..<60).contains(time[1]),
              (0...60).contains(time[2]) else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + time[0] * 3600 + time[1] * 60 + time[2]
        return Date(timeIntervalSince1970: Double(seconds))
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
