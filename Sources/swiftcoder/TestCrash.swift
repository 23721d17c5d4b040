import CShims
import ThreadSupport

/// A real crash on demand, for the end-to-end tests of the terminal guard (D59): with
/// `SWIFTCODER_TEST_CRASH` set, the full-screen app overflows its stack on the first key.
///
/// `stack-overflow` recurses on the thread that runs the UI loop (a worker thread of the
/// Swift runtime, as a runaway renderer would); `stack-overflow-thread` on a thread of
/// swiftcoder's own (`DetachedThread`, as curl transfers and tools use). Only whoever
/// starts the process sets its environment, and they can end it anyway: nothing from a
/// server, a model or a project reaches this switch.
enum TestCrash: String {
    case stackOverflow = "stack-overflow"
    case stackOverflowOnThread = "stack-overflow-thread"

    static let variable = "SWIFTCODER_TEST_CRASH"

    /// The crash asked for, if any (an unknown value asks for none).
    init?(environment: [String: String]) {
        guard let value = environment[Self.variable] else { return nil }
        self.init(rawValue: value)
    }

    /// Crashes (or starts the thread that will).
    func trigger() {
        switch self {
        case .stackOverflow:
            _ = sc_overflow_stack()
        case .stackOverflowOnThread:
            DetachedThread.spawn { _ = sc_overflow_stack() }
        }
    }
}
