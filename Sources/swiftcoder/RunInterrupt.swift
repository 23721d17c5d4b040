import Dispatch
import Glibc
import Synchronization

/// Ctrl-C (SIGINT) during `swiftcoder run`: the first press stops the turn as Esc does in the
/// app, so the request is counted (estimated when the server sent no usage), the partial reply
/// is saved marked interrupted and the usage line is printed before the exit (status 130). A
/// second press exits at once. Without this, SIGINT's default action ended the process with
/// nothing recorded.
struct RunInterrupt: ~Copyable {
    /// How many presses arrived; shared with the signal source's handler.
    private final class Presses: Sendable {
        let count = Mutex(0)
    }

    private let source: any DispatchSourceSignal
    private let presses = Presses()

    /// Starts listening; `stop` is called (once) on the first press.
    init(stop: @escaping @Sendable () async -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let presses = presses
        source.setEventHandler {
            let count = presses.count.withLock { value in
                value += 1
                return value
            }
            guard count == 1 else { _exit(130) }
            StandardError.write("\nswiftcoder: stopping (Ctrl-C again quits at once)\n")
            Task { await stop() }
        }
        source.resume()
    }

    /// Whether Ctrl-C was pressed.
    var wasPressed: Bool { presses.count.withLock { $0 > 0 } }

    /// Stops listening and gives SIGINT its default action back.
    consuming func end() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
