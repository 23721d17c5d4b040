import Glibc

/// Watches one spawned command on its own thread: reads its output, reaps its process group
/// and stops the group on timeout, cancellation, or when leftovers hold the output open.
struct CommandWatcher: Sendable {
    let pid: pid_t
    let fd: Int32
    let timeout: Double
    let grace: Double
    let limit: Int
    /// Called on the watching thread with what the command printed, throttled (D111).
    var progress: (@Sendable (String) -> Void)?

    /// How long leftovers in the group may keep the output open after the shell exits.
    static let drainSeconds = 0.5

    private enum StopReason {
        case timedOut, cancelled, leftovers
    }

    /// Mutable state of one watch.
    private struct State {
        var output: OutputBuffer
        var live = LiveOutputFeed()
        var status: Int32?
        var exitedAt: ContinuousClock.Instant?
        var endOfOutput = false
        var stopReason: StopReason?
        var termSentAt: ContinuousClock.Instant?
        var killSent = false
        var statusLost = false
    }

    /// Blocks until the command is over (and, when it was stopped, its group is gone).
    func watch(_ control: ProcessRunner.Control) -> CommandResult {
        defer { close(fd) }
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(timeout * 1000))
        var state = State(output: OutputBuffer(limit: limit))
        while true {
            let now = clock.now
            if state.stopReason == nil {
                if control.cancelled.load(ordering: .relaxed) {
                    state.stopReason = .cancelled
                } else if now >= deadline {
                    state.stopReason = .timedOut
                } else if let exitedAt = state.exitedAt, !state.endOfOutput,
                          now - exitedAt > .milliseconds(Int(Self.drainSeconds * 1000)) {
                    state.stopReason = .leftovers
                }
            }
            if state.stopReason != nil { escalate(&state, now: now) }
            readAvailable(&state)
            reap(&state, now: now)
            if let progress, let text = state.live.take(now: now) { progress(text) }
            if isFinished(state, now: now) { break }
        }
        readAvailable(&state, waitMilliseconds: 0)
        if let progress, let text = state.live.take(now: clock.now, force: true) { progress(text) }
        return CommandResult(ending: ending(state), output: state.output, stoppedLeftovers: state.stopReason == .leftovers)
    }

    /// SIGTERM to the group at once, SIGKILL once the grace period is over.
    private func escalate(_ state: inout State, now: ContinuousClock.Instant) {
        guard let termSentAt = state.termSentAt else {
            kill(-pid, SIGTERM)
            // A stopped process only acts on SIGTERM once continued.
            kill(-pid, SIGCONT)
            state.termSentAt = now
            return
        }
        if !state.killSent && now - termSentAt >= .milliseconds(Int(grace * 1000)) {
            kill(-pid, SIGKILL)
            state.killSent = true
        }
    }

    /// Reads what the pipe has, waiting up to `waitMilliseconds` for it.
    private func readAvailable(_ state: inout State, waitMilliseconds: Int32 = 20) {
        guard !state.endOfOutput else {
            _ = poll(nil, 0, waitMilliseconds)
            return
        }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, waitMilliseconds) > 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count > 0 {
            state.output.append(chunk[0..<count])
            if progress != nil { state.live.append(chunk[0..<count]) }
        } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
            state.endOfOutput = true
        }
    }

    /// Reaps every finished member of the group; records the shell's own status.
    private func reap(_ state: inout State, now: ContinuousClock.Instant) {
        var status: Int32 = 0
        while true {
            let reaped = waitpid(-pid, &status, WNOHANG)
            if reaped == -1 && errno == ECHILD && state.status == nil && kill(pid, 0) == -1 && errno == ESRCH {
                // Something else in the process reaped the shell (waitpid(-1)); its status is lost.
                state.statusLost = true
                state.status = 0
                state.exitedAt = now
            }
            guard reaped > 0 else { return }
            if reaped == pid {
                state.status = status
                state.exitedAt = now
            }
        }
    }

    private func groupIsGone() -> Bool {
        kill(-pid, 0) == -1 && errno == ESRCH
    }

    private func isFinished(_ state: State, now: ContinuousClock.Instant) -> Bool {
        guard state.status != nil else { return false }
        guard state.stopReason != nil else { return state.endOfOutput }
        if groupIsGone() { return true }
        // Something outside our reach (a new session still holding the group id) survived
        // SIGKILL for a whole further grace period: give up waiting for it.
        guard state.killSent, let termSentAt = state.termSentAt else { return false }
        return now - termSentAt > .milliseconds(Int(grace * 2000) + 1000)
    }

    private func ending(_ state: State) -> CommandResult.Ending {
        switch state.stopReason {
        case .cancelled: return .cancelled
        case .timedOut: return .timedOut
        case .leftovers, nil:
            if state.statusLost { return .unknown }
            let status = state.status ?? 0
            return status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
        }
    }
}
