import AgentCore
import FoundationEssentials

extension AgentEngine {
    /// Prepares, approves and runs the calls of one reply, then adds one tool message per
    /// call, in call order. Approvals are asked one at a time; approved calls run
    /// concurrently. Returns false when the turn was cancelled (every call still gets a
    /// result, so the conversation stays valid).
    func runTools(_ calls: [ToolCall], turn: Int) async -> Bool {
        var outputs = [ToolOutput?](repeating: nil, count: calls.count)
        var approved: [Int] = []
        for (index, call) in calls.enumerated() {
            if Task.isCancelled { break }
            switch await authorize(call, turn: turn) {
            case .some(let output):
                outputs[index] = output
                publish(.toolResult(turn: turn, callID: call.id, output: output))
            case .none:
                approved.append(index)
            }
        }
        if !Task.isCancelled {
            for (index, output) in await execute(approved.map { (index: $0, call: calls[$0]) }, turn: turn) {
                outputs[index] = output
            }
        }
        let cancelled = Task.isCancelled
        for (index, call) in calls.enumerated() {
            let output = outputs[index] ?? .failure("cancelled by the user before it ran")
            let message = ChatMessage(role: .tool, content: output.content, toolCallID: call.id)
            append(message)
            await save(message, turn: turn)
        }
        return !cancelled
    }

    /// Checks one call and asks for approval when the policy says so. Returns the output
    /// to send back instead of running it (invalid, refused, denied), or `nil` to run it.
    private func authorize(_ call: ToolCall, turn: Int) async -> ToolOutput? {
        guard let tools = configuration.tools else {
            publish(.toolCall(turn: turn, call: call, preview: nil))
            return .failure("no tools are available in this session")
        }
        guard let effect = tools.effect(of: call.name) else {
            publish(.toolCall(turn: turn, call: call, preview: nil))
            let known = tools.definitions.map(\.name).joined(separator: ", ")
            return .failure("unknown tool \"\(call.name)\"; available tools: \(known)")
        }
        if let refusal = restrictionRefusal(call) {
            publish(.toolCall(turn: turn, call: call, preview: nil))
            return refusal
        }
        let preview: ToolPreview
        switch await tools.prepare(call) {
        case .invalid(let output):
            publish(.toolCall(turn: turn, call: call, preview: nil))
            return output
        case .ready(let ready):
            preview = ready
        }
        publish(.toolCall(turn: turn, call: call, preview: preview))
        let policy = turnPolicy
        let target = preview.target ?? preview.keyArgument
        switch policy.decide(tool: call.name, effect: effect, target: target) {
        case .run:
            return nil
        case .refuse(let reason):
            return .failure(reason)
        case .ask:
            // The box shows why it asks in any mode, and the exact rule "always" would add.
            var request = preview
            request.protection = policy.protection(effect: effect, target: target)
            let rule = policy.alwaysRule(tool: call.name, effect: effect, target: target)
            request.alwaysRule = rule?.description
            publish(.approvalNeeded(turn: turn, callID: call.id, preview: request))
            switch await approvals.wait(for: call.id) {
            case .none:
                return .failure("cancelled by the user before it ran")
            case .yes:
                return nil
            case .always:
                // Never a silent "any call of this tool": only the rule that was shown.
                if let rule { configuration.policy.rules.allow.append(rule) }
                return nil
            case .no(let reason):
                var text = "the user denied this \(call.name) call"
                if let reason, !reason.isEmpty { text += ": \(reason)" }
                return ToolOutput(content: "error: \(text)", isError: true, summary: "denied")
            }
        }
    }

    /// Runs approved calls, publishing each result as it ends. Reads run concurrently;
    /// writes and commands run one at a time in call order, after the reads before them, so
    /// two edits of one file cannot race and a command sees the edits asked before it.
    private func execute(_ calls: [(index: Int, call: ToolCall)], turn: Int) async -> [(Int, ToolOutput)] {
        guard let tools = configuration.tools, !calls.isEmpty else { return [] }
        var results: [(Int, ToolOutput)] = []
        var reads: [(index: Int, call: ToolCall)] = []
        for item in calls {
            if tools.effect(of: item.call.name) == .read {
                reads.append(item)
                continue
            }
            results += await executeConcurrently(reads, tools: tools, turn: turn)
            reads = []
            if Task.isCancelled { return results }
            let output = recordingFileChange(await executeWatched(item.call, tools: tools, turn: turn), turn: turn)
            results.append((item.index, output))
            publish(.toolResult(turn: turn, callID: item.call.id, output: output))
        }
        return results + (await executeConcurrently(reads, tools: tools, turn: turn))
    }

    /// Queues the file the call changed for the session's checkpoints (D131) and returns the
    /// output without it (the contents stay out of events and the UI).
    private func recordingFileChange(_ output: ToolOutput, turn: Int) -> ToolOutput {
        guard let change = output.fileChange else { return output }
        persist(turn: turn, failure: "could not record the file change for /undo") { try await $0.recordFileChange(change) }
        var output = output
        output.fileChange = nil
        return output
    }

    /// Runs one call, publishing what it prints as `.toolOutput` events, in order, while it
    /// runs (D111). At most 64 pieces wait for the actor; older ones are dropped (the result
    /// holds the whole output).
    private func executeWatched(_ call: ToolCall, tools: any ToolExecutor, turn: Int) async -> ToolOutput {
        let (pieces, sink) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let forward = Task {
            for await text in pieces { self.publish(.toolOutput(turn: turn, callID: call.id, text)) }
        }
        let output = await tools.execute(call, progress: { sink.yield($0) })
        sink.finish()
        await forward.value
        return output
    }

    private func executeConcurrently(_ calls: [(index: Int, call: ToolCall)], tools: any ToolExecutor,
                                     turn: Int) async -> [(Int, ToolOutput)] {
        guard !calls.isEmpty else { return [] }
        return await withTaskGroup(of: (Int, String, ToolOutput).self) { group in
            for (index, call) in calls {
                group.addTask { (index, call.id, await tools.execute(call)) }
            }
            var results: [(Int, ToolOutput)] = []
            for await (index, id, output) in group {
                results.append((index, output))
                publish(.toolResult(turn: turn, callID: id, output: output))
            }
            return results
        }
    }
}
