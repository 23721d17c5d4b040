import FoundationEssentials
import FuzzSupport
@testable import Providers

/// Retry-After / retry-after-ms values: a wait is never negative, never beyond the cap, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    for name in ["retry-after", "retry-after-ms"] {
        if let seconds = RetryAfter.seconds(headers: [name: text], now: now) {
            fuzzRequire(seconds >= 0 && seconds <= RetryAfter.longestWait, "wait \(seconds) out of range")
        }
    }
    return 0
}

runFuzzer(fuzzOne)
