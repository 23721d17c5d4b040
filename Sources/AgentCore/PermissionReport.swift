/// The `/permissions` text: the rules in force and where each came from. Pure.
public enum PermissionReport {
    public static func text(policy: ApprovalPolicy, commands: CommandSettings) -> String {
        var lines = ["Approval mode: \(policy.mode.rawValue). Deny beats ask, ask beats allow, allow beats the mode."]
        let lists: [(String, [PermissionRule])] = [("deny", policy.rules.deny), ("ask", policy.rules.ask),
                                                   ("allow", policy.rules.allow)]
        for (name, rules) in lists {
            for rule in rules { lines.append("  \(name.padding(5)) \(rule)   (from \(rule.source))") }
        }
        if policy.rules.isEmpty { lines.append("  no permission rules (config \"permissions\": allow, ask, deny)") }
        if !policy.alwaysAllow.isEmpty {
            lines.append("  alwaysAllow: " + policy.alwaysAllow.sorted().joined(separator: ", "))
        }
        lines.append("Protected (writes always ask): .git/, agents.config.json, .mcp.json, .swiftcoder/")
        lines.append("Commands: " + (commands.sandbox.summary ?? "not sandboxed (config \"sandbox\")")
            + "; withheld variables: " + commands.environment.deny.joined(separator: ", ")
            + (commands.environment.secretVariables.isEmpty ? ""
                : ", " + commands.environment.secretVariables.sorted().joined(separator: ", "))
            + (commands.environment.pass.isEmpty ? "" : "; passed: " + commands.environment.pass.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }
}

private extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
