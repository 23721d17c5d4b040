import AgentCore
import Synchronization

/// Where a tool call waits for the user's answer. Answers may arrive before the wait
/// starts; cancelling the waiting task answers `nil`.
final class ApprovalGate: Sendable {
    private struct State {
        var waiters: [String: CheckedContinuation<ApprovalAnswer?, Never>] = [:]
        var early: [String: ApprovalAnswer] = [:]
    }

    private let state = Mutex(State())

    /// The answer for `callID`, or `nil` when the task is cancelled first.
    func wait(for callID: String) async -> ApprovalAnswer? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ApprovalAnswer?, Never>) in
                let ready: ApprovalAnswer?? = state.withLock { state in
                    if let answer = state.early.removeValue(forKey: callID) { return .some(answer) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[callID] = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: callID) }
            waiter?.resume(returning: nil)
        }
    }

    /// Delivers the user's answer for `callID`.
    func answer(_ callID: String, _ answer: ApprovalAnswer) {
        let waiter = state.withLock { state -> CheckedContinuation<ApprovalAnswer?, Never>? in
            if let waiter = state.waiters.removeValue(forKey: callID) { return waiter }
            state.early[callID] = answer
            return nil
        }
        waiter?.resume(returning: answer)
    }

    /// Forgets answers nobody waited for (at the end of a turn).
    func reset() {
        state.withLock { $0.early.removeAll() }
    }
}
