import FoundationEssentials
import Glibc

/// The local calendar day, from the C library (no ICU calendar needed).
public enum LocalDay {
    /// Local midnight today.
    public static func startOfToday() -> Date {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        parts.tm_hour = 0
        parts.tm_min = 0
        parts.tm_sec = 0
        parts.tm_isdst = -1
        return Date(timeIntervalSince1970: TimeInterval(mktime(&parts)))
    }
}
