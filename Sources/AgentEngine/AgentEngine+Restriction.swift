import AgentCore

/// The tools one turn may use, from a custom command's `allowed-tools` (D147).
public struct TurnRestriction: Sendable, Hashable {
    /// The only tools offered to the model, and the only ones that run, in that turn.
    public var tools: Set<String>
    /// Allow rules for that turn only (`Bash(git status:*)` → `run_command(git status*)`).
    public var rules: [PermissionRule]

    public init(tools: Set<String>, rules: [PermissionRule] = []) {
        self.tools = tools
        self.rules = rules
    }
}

extension AgentEngine {
    /// The next turn to start (the next `submit`) may use only these tools; every later turn
    /// is unrestricted again.
    public func restrictNextTurn(_ restriction: TurnRestriction?) async {
        await inOrder { await self.setNextRestriction(restriction) }
    }

    private func setNextRestriction(_ restriction: TurnRestriction?) {
        nextTurnRestriction = restriction
    }

    /// The tool definitions the running turn offers.
    var offeredTools: [ToolDefinition] {
        let all = configuration.tools?.definitions ?? []
        guard let allowed = turnRestriction?.tools else { return all }
        return all.filter { allowed.contains($0.name) }
    }

    /// The policy for the running turn: the session's, plus the command's pre-approvals.
    var turnPolicy: ApprovalPolicy {
        var policy = configuration.policy
        policy.rules.allow += turnRestriction?.rules ?? []
        return policy
    }

    /// The refusal for a call of a tool the running turn does not allow, nil when allowed.
    func restrictionRefusal(_ call: ToolCall) -> ToolOutput? {
        guard let allowed = turnRestriction?.tools, !allowed.contains(call.name) else { return nil }
        let names = allowed.sorted().joined(separator: ", ")
        return .failure("\(call.name) is not allowed in this turn: the command's allowed-tools are \(names.isEmpty ? "none" : names)")
    }
}
