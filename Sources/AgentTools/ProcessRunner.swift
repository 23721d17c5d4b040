import CSpawn
import Glibc
import Synchronization
import ThreadSupport

/// How a command ended and what it printed.
struct CommandResult: Sendable {
    enum Ending: Sendable, Hashable {
        case exited(Int32)
        case signaled(Int32)
        case timedOut
        case cancelled
        /// The shell's exit status was taken by another `waitpid` in this process.
        case unknown
    }

    var ending: Ending
    var output: OutputBuffer
    /// True when the shell had exited but processes it left in its group still held the
    /// output open and were stopped.
    var stoppedLeftovers: Bool
}

/// Runs a command (`bash -c`, maybe inside bubblewrap) in its own session and watches it from
/// a dedicated thread.
///
/// The child is spawned with `posix_spawn` (new session, so no controlling terminal and its own
/// process group; clean signal mask, default dispositions, stdin from /dev/null, stdout and
/// stderr into one pipe, no other descriptor inherited, the filtered environment). A detached thread
/// polls the pipe, reaps with `waitpid(-pgid)` and enforces the timeout; cancelling the task
/// or the timeout sends SIGTERM to the whole group, then SIGKILL after a grace period. The
/// process is made a child subreaper once, so orphaned background children are reparented
/// to it and reaped here instead of lingering as zombies.
enum ProcessRunner {
    /// Set once per process; see `sc_become_child_subreaper`.
    private static let isSubreaper: Bool = sc_become_child_subreaper() == 0

    /// Shared between the task's cancellation handler and the watching thread.
    final class Control: Sendable {
        let cancelled = Atomic<Bool>(false)
    }

    /// Runs `launch` in `directory`; a failure when the program could not start. `progress`
    /// gets what it prints as it runs (throttled, from the watching thread).
    static func run(_ launch: CommandLaunch, directory: String, timeoutSeconds: Double, outputLimit: Int,
                    killGraceSeconds: Double,
                    progress: (@Sendable (String) -> Void)? = nil) async -> Result<CommandResult, ToolError> {
        _ = isSubreaper
        if Task.isCancelled { return .success(CommandResult(ending: .cancelled, output: OutputBuffer(limit: outputLimit), stoppedLeftovers: false)) }
        var pid: pid_t = 0
        var fd: Int32 = -1
        let error = withCStrings(launch.arguments) { argv in
            withCStrings(launch.environment) { envp in sc_spawn(launch.executable, argv, envp, directory, &pid, &fd) }
        }
        guard error == 0 else {
            return .failure(ToolError("could not start \(launch.executable): \(FileSystem.errorText(error))"))
        }
        let watcher = CommandWatcher(pid: pid, fd: fd, timeout: timeoutSeconds, grace: killGraceSeconds,
                                     limit: outputLimit, progress: progress)
        let control = Control()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let started = DetachedThread.spawn { continuation.resume(returning: .success(watcher.watch(control))) }
                if !started {
                    kill(-pid, SIGKILL)
                    close(fd)
                    continuation.resume(returning: .failure(ToolError("could not start a thread to watch the command")))
                }
            }
        } onCancel: {
            control.cancelled.store(true, ordering: .relaxed)
        }
    }

    /// A NULL-terminated C array of copies of `strings`, valid during `body`.
    private static func withCStrings<R>(_ strings: [String],
                                        _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
