import CFuzz
import Glibc

/// Stops the fuzzer with a message when a property does not hold (libFuzzer records the
/// input as a crash).
public func fuzzRequire(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                        file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError("property failed: \(message())", file: file, line: line) }
}

/// Runs libFuzzer on `body` with the process's command line, then exits with its status.
///
/// The harnesses call libFuzzer's driver from their own `main` because SwiftPM links an
/// executable with `--defsym main=<module>_main` (D62).
public func runFuzzer(_ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv = Optional(CommandLine.unsafeArgv)
    exit(LLVMFuzzerRunDriver(&argc, &argv, body))
}

/// One fuzz input, with helpers that derive choices (split points, widths) from its bytes.
public struct FuzzInput {
    public let bytes: [UInt8]

    public init(_ start: UnsafePointer<UInt8>?, _ count: Int) {
        bytes = Array(UnsafeBufferPointer(start: start, count: start == nil ? 0 : count))
    }

    /// The bytes as text (invalid UTF-8 becomes U+FFFD, as the app decodes it).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// FNV-1a of the bytes: a deterministic seed, so a saved crash replays identically.
    public var hash: UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return value
    }

    /// Ascending cut positions inside `0..<count` (at most `maximum`), chosen from the hash,
    /// so mutations of the content also move the cuts.
    public func cuts(in count: Int, maximum: Int = 16) -> [Int] {
        guard count > 1 else { return [] }
        var generator = SplitMix(seed: hash)
        let wanted = Int(generator.next() % UInt64(maximum + 1))
        return Set((0..<wanted).map { _ in 1 + Int(generator.next() % UInt64(count - 1)) }).sorted()
    }

    /// `bytes` cut at `cuts(in:)`.
    public func pieces(maximum: Int = 16) -> [ArraySlice<UInt8>] {
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        for cut in cuts(in: bytes.count, maximum: maximum) + [bytes.count] {
            pieces.append(bytes[start..<cut])
            start = cut
        }
        return pieces
    }
}

/// A tiny deterministic generator (SplitMix64).
public struct SplitMix {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
