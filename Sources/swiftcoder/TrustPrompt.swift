import AgentCore
import FoundationEssentials
import Glibc
import ThreadSupport

/// The question the full-screen app asks before anything else when the folder it starts in
/// has gated files it does not trust yet (D80): shown on the terminal before the screen is
/// taken, so nothing (no probe, no request, no process) happens until it is answered.
enum TrustPrompt {
    /// What the person answered.
    enum Answer: Sendable, Equatable {
        /// Trust the folder as it is now and use its files.
        case trust
        /// Start without the folder's files (asks again next time).
        case skip
        /// Do not start.
        case quit
    }

    /// The lines shown above the question.
    static func text(for gate: FolderTrustGate) -> String {
        var lines: [String] = []
        if case .changed(let names) = gate.status {
            lines.append("\(names.joined(separator: " and ")) in \(gate.folder) changed since you trusted this folder.")
        } else {
            lines.append("\(gate.folder) has files that can make swiftcoder act on your behalf:")
        }
        lines += TrustCommand.describe(folder: gate.folder).map { "  " + $0 }
        lines.append("Only trust a folder whose files you have read or written yourself.")
        lines.append("Trust this folder and use them? [y]es, [N]o (start without them; asked again when they change), [q]uit: ")
        return lines.joined(separator: "\n")
    }

    /// The answer typed at the start of `line` (nil: end of input).
    static func answer(_ line: String?) -> Answer {
        guard let line else { return .quit }
        switch line.trimmingCharacters(in: .whitespaces).lowercased() {
        case "y", "yes", "t", "trust": return .trust
        case "q", "quit": return .quit
        default: return .skip
        }
    }

    /// Shows the question and waits for a line on stdin (read on its own thread, so the
    /// cooperative pool never blocks).
    static func ask(_ gate: FolderTrustGate) async -> Answer {
        StandardOutput.write(text(for: gate))
        let line = await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let started = DetachedThread.spawn { continuation.resume(returning: readLine(strippingNewline: true)) }
            if !started { continuation.resume(returning: nil) }
        }
        let result = answer(line)
        StandardOutput.write(result == .trust ? "Trusted \(gate.folder).\n" : "")
        return result
    }
}
