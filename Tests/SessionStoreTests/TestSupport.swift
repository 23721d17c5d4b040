import FoundationEssentials
import Synchronization
@testable import SessionStore

/// A clock the test moves by hand, so timestamps and orderings are deterministic.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Mutex(start) }

    /// The current time, then one second later for the next caller.
    func tick() -> Date {
        current.withLock { date in
            defer { date += 1 }
            return date
        }
    }

    func set(_ date: Date) { current.withLock { $0 = date } }
}

/// A fresh directory for one test, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.path
        + "/swiftcoder-sessions-\(UInt64.random(in: .min ... .max))"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try await body(directory)
}

/// Runs `body` with a store on a fresh database file (removed afterwards) and its path.
func withTemporaryStore<T>(clock: TestClock = TestClock(),
                           _ body: (SessionStore, String) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory in
        let path = directory + "/sessions.sqlite"
        let store = try SessionStore(path: path, clock: { clock.tick() })
        return try await body(store, path)
    }
}

/// `yyyy-MM-dd HH:mm[:ss]` in UTC, for explicit dates in tests.
func utc(_ text: String) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let numbers = text.split(whereSeparator: { !$0.isNumber }).map { Int($0)! }
    let components = DateComponents(year: numbers[0], month: numbers[1], day: numbers[2],
                                    hour: numbers[3], minute: numbers[4], second: numbers.count > 5 ? numbers[5] : 0)
    return calendar.date(from: components)!
}
