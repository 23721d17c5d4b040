import CShims
import Glibc
import TerminalUI

/// Unbuffered writes to the standard streams (no Foundation FileHandle needed).
///
/// Everything the commands print goes through here. On a terminal the text is passed
/// through `TerminalOutputSanitizer` first, so escape sequences from a model, a server or
/// the session database are shown, not obeyed (D60); into a pipe or a file it is written
/// exactly as given.
enum StandardError {
    /// Whether stderr was a terminal when first written to.
    static let isTerminal = isatty(2) == 1

    static func write(_ text: String) {
        writeAll(isTerminal ? TerminalOutputSanitizer.sanitize(text) : text, to: 2)
    }
}

/// How the full-screen app ends once it has restored the terminal and closed its session
/// database (D156): `_exit`, not `exit`. Threads the app does not wait for may still be
/// running at that moment (a model list's curl transfer loading libcurl and its TLS
/// stack, a probe of a local server), and `exit` runs the C libraries' destructors and
/// atexit handlers under them, a crash at quit (SIGSEGV or SIGABRT) seen when the
/// terminal hung up right after the first frame.
enum ProcessEnd {
    static func now(_ status: Int32) -> Never {
        fflush(nil)
        _exit(status)
    }
}

enum StandardOutput {
    /// Whether stdout was a terminal when first written to.
    static let isTerminal = isatty(1) == 1

    static func write(_ text: String) {
        writeAll(isTerminal ? TerminalOutputSanitizer.sanitize(text) : text, to: 1)
    }

    /// JSON text: on a terminal, characters a terminal would obey become `\uXXXX` escapes,
    /// so the output is still the same JSON.
    static func writeJSON(_ text: String) {
        writeAll(isTerminal ? TerminalOutputSanitizer.sanitize(text, notation: .json) : text, to: 1)
    }

    /// One chunk of a streamed reply; `sanitizer` carries what a chunk boundary split
    /// (a `\r\n`) to the next chunk. Call `finishStream` when the reply ends.
    static func writeStreamed(_ text: String, through sanitizer: inout TerminalOutputSanitizer) {
        writeAll(isTerminal ? sanitizer.feed(text) : text, to: 1)
    }

    /// The end of a streamed reply: writes what the sanitizer held back.
    static func finishStream(_ sanitizer: inout TerminalOutputSanitizer) {
        guard isTerminal else { return }
        let rest = sanitizer.finish()
        if !rest.isEmpty { writeAll(rest, to: 1) }
    }
}

private func writeAll(_ text: String, to descriptor: Int32) {
    var text = text
    text.withUTF8 { bytes in _ = sc_write_all(descriptor, bytes.baseAddress, bytes.count) }
}
