/// The permission rules in force, in three lists (config `permissions`).
public struct PermissionRules: Sendable, Hashable {
    public var allow: [PermissionRule]
    public var ask: [PermissionRule]
    public var deny: [PermissionRule]

    public init(allow: [PermissionRule] = [], ask: [PermissionRule] = [], deny: [PermissionRule] = []) {
        self.allow = allow
        self.ask = ask
        self.deny = deny
    }

    public var isEmpty: Bool { allow.isEmpty && ask.isEmpty && deny.isEmpty }
}

/// Paths a write always asks about, in every approval mode, unless an allow rule with a
/// pattern names them. Pure.
public enum ProtectedPaths {
    /// Why writing `path` (relative to the project root) needs the user's eye, nil when it
    /// does not. Names compare without case, in case the project sits on a file system that
    /// ignores it.
    public static func reason(for path: String) -> String? {
        let components = path.split(separator: "/").map { $0.lowercased() }
        if path.hasPrefix("/") || components.first == ".." { return "outside the project" }
        if components.contains(".git") { return "git internals (.git/: hooks, config)" }
        if components.count == 1, components[0] == "agents.config.json" { return "the project's swiftcoder config" }
        if components.count == 1, components[0] == ".mcp.json" { return "the project's MCP server config" }
        if components.first == ".swiftcoder" { return "swiftcoder's project files (.swiftcoder/)" }
        return nil
    }
}

/// Decides whether a call runs, asks or is refused. Pure.
///
/// In order: a deny rule refuses; plan mode refuses everything but reads; an ask rule asks; an
/// allow rule runs (a rule without a pattern does not cover protected paths); a write to a
/// protected path asks; then the mode and `alwaysAllow` decide (reads run; `yolo` runs all;
/// `auto-edit` runs writes; `ask` asks for writes and commands).
public struct ApprovalPolicy: Sendable, Hashable {
    public var mode: ApprovalMode
    /// Tool names that run without asking (config `alwaysAllow`).
    public var alwaysAllow: Set<String>
    /// Config `permissions`, plus the rules "always" answers add for the session.
    public var rules: PermissionRules

    public init(mode: ApprovalMode = .ask, alwaysAllow: Set<String> = [], rules: PermissionRules = PermissionRules()) {
        self.mode = mode
        self.alwaysAllow = alwaysAllow
        self.rules = rules
    }

    /// The decision for a call of `tool` with `target` (the command line or project-relative
    /// path, see `ToolPreview.target`; nil when unknown).
    public func decide(tool: String, effect: ToolEffect, target: String? = nil) -> ApprovalDecision {
        if let rule = rules.deny.first(where: { $0.matches(tool: tool, effect: effect, target: target, allowing: false) }) {
            return .refuse("\(tool) was not run: the permission rule deny \(rule) (\(rule.source)) forbids it")
        }
        if mode == .plan && effect != .read {
            return .refuse("plan mode allows read-only tools only; \(tool) was not run")
        }
        if rules.ask.contains(where: { $0.matches(tool: tool, effect: effect, target: target, allowing: false) }) {
            return .ask
        }
        let protected = protection(effect: effect, target: target) != nil
        if rules.allow.contains(where: { (!protected || $0.pattern != nil)
            && $0.matches(tool: tool, effect: effect, target: target, allowing: true) }) {
            return .run
        }
        if protected { return .ask }
        if effect == .read || mode == .yolo || alwaysAllow.contains(tool) { return .run }
        if mode == .autoEdit && effect == .write { return .run }
        return .ask
    }

    /// Why the call touches something that always asks (a write to a protected path), or nil.
    public func protection(effect: ToolEffect, target: String?) -> String? {
        guard effect == .write, let target else { return nil }
        return ProtectedPaths.reason(for: target)
    }

    /// The rule an "always" answer would add: the narrowest one, offered only when it would
    /// really let the next such call run (not when an ask rule or plan mode would still stop it).
    public func alwaysRule(tool: String, effect: ToolEffect, target: String?) -> PermissionRule? {
        guard let rule = PermissionRule.narrowest(tool: tool, effect: effect, target: target) else { return nil }
        var widened = self
        widened.rules.allow.append(rule)
        return widened.decide(tool: tool, effect: effect, target: target) == .run ? rule : nil
    }
}
