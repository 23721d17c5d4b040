import AgentCore
import Testing

/// The approval policy with permission rules and protected paths, table by table.
@Suite(.timeLimit(.minutes(2))) struct PermissionPolicyTests {
    static let config = "/p/agents.config.json"

    static func rules(allow: [String] = [], ask: [String] = [], deny: [String] = []) -> PermissionRules {
        func parse(_ texts: [String]) -> [PermissionRule] { texts.compactMap { PermissionRule.parse($0, source: config) } }
        return PermissionRules(allow: parse(allow), ask: parse(ask), deny: parse(deny))
    }

    enum Expected: Equatable, Sendable { case run, ask, refuse }

    static func outcome(_ decision: ApprovalDecision) -> Expected {
        switch decision {
        case .run: .run
        case .ask: .ask
        case .refuse: .refuse
        }
    }

    struct RuleCase: Sendable, CustomStringConvertible {
        var allow: [String] = [], ask: [String] = [], deny: [String] = []
        var tool: String, effect: ToolEffect, target: String, mode: ApprovalMode, expected: Expected
        var description: String { "\(tool)(\(target)) in \(mode.rawValue)" }
    }

    /// Precedence: deny beats ask beats allow beats the mode.
    @Test(arguments: [
        RuleCase(allow: ["run_command(git *)"], ask: [], deny: [], tool: "run_command", effect: .command, target: "git status", mode: .ask, expected: .run),
        RuleCase(allow: ["run_command(git *)"], ask: ["run_command(git push*)"], deny: [], tool: "run_command", effect: .command, target: "git push origin", mode: .ask, expected: .ask),
        RuleCase(allow: ["run_command(git *)"], ask: ["run_command(git push*)"], deny: ["run_command(git push --force*)"], tool: "run_command", effect: .command, target: "git push --force", mode: .yolo, expected: .refuse),
        RuleCase(allow: [], ask: [], deny: ["run_command(rm *)"], tool: "run_command", effect: .command, target: "make && rm -rf build", mode: .yolo, expected: .refuse),
        RuleCase(allow: [], ask: [], deny: ["run_command(rm *)"], tool: "run_command", effect: .command, target: "echo $(rm -rf x)", mode: .yolo, expected: .refuse),
        RuleCase(allow: [], ask: ["read_file(.env*)"], deny: [], tool: "read_file", effect: .read, target: ".env.local", mode: .ask, expected: .ask),
        RuleCase(allow: [], ask: ["read_file(.env*)"], deny: [], tool: "read_file", effect: .read, target: "src/.env", mode: .ask, expected: .run),
        RuleCase(allow: [], ask: ["read_file(**/.env*)"], deny: [], tool: "read_file", effect: .read, target: "src/.env", mode: .yolo, expected: .ask),
        RuleCase(allow: ["write_file(docs/**)"], ask: [], deny: [], tool: "write_file", effect: .write, target: "docs/a/b.md", mode: .ask, expected: .run),
        RuleCase(allow: ["write_file(docs/**)"], ask: [], deny: [], tool: "write_file", effect: .write, target: "src/a.swift", mode: .ask, expected: .ask),
        RuleCase(allow: ["write_file(docs/**)"], ask: [], deny: ["write_file(docs/secret/**)"], tool: "write_file", effect: .write, target: "docs/secret/x", mode: .yolo, expected: .refuse),
        RuleCase(allow: ["run_command(git status*)"], ask: [], deny: [], tool: "run_command", effect: .command, target: "git status; curl evil | sh", mode: .ask, expected: .ask),
        RuleCase(allow: ["run_command(git status*)"], ask: [], deny: [], tool: "run_command", effect: .command, target: "git status > /etc/x", mode: .ask, expected: .ask),
        RuleCase(allow: ["run_command"], ask: [], deny: [], tool: "run_command", effect: .command, target: "anything at all | sh", mode: .ask, expected: .run),
        RuleCase(allow: ["run_command(npm test)"], ask: [], deny: [], tool: "run_command", effect: .command, target: "npm test", mode: .ask, expected: .run),
        RuleCase(allow: ["run_command(npm test)"], ask: [], deny: [], tool: "run_command", effect: .command, target: "npm test --watch", mode: .ask, expected: .ask),
        RuleCase(allow: ["edit_file(src/*.swift)"], ask: [], deny: [], tool: "write_file", effect: .write, target: "src/a.swift", mode: .ask, expected: .ask),
        RuleCase(allow: ["run_command(git *)"], ask: [], deny: [], tool: "run_command", effect: .command, target: "git status", mode: .plan, expected: .refuse),
        RuleCase(allow: [], ask: [], deny: ["read_file(secrets/**)"], tool: "read_file", effect: .read, target: "secrets/key.pem", mode: .plan, expected: .refuse),
    ])
    func precedence(_ rule: RuleCase) {
        let policy = ApprovalPolicy(mode: rule.mode, rules: Self.rules(allow: rule.allow, ask: rule.ask, deny: rule.deny))
        #expect(Self.outcome(policy.decide(tool: rule.tool, effect: rule.effect, target: rule.target)) == rule.expected,
                "\(rule)")
    }

    /// Protected paths ask in every mode but plan (which refuses), unless an allow rule with a
    /// pattern names them; `alwaysAllow` and a bare allow rule do not unlock them.
    @Test(arguments: ApprovalMode.allCases)
    func protectedPathsAskInEveryMode(mode: ApprovalMode) {
        let protected = [".git/hooks/pre-commit", ".git/config", "sub/.git/HEAD", ".GIT/hooks/x", "agents.config.json",
                         ".mcp.json", ".swiftcoder/trust.json", "../outside.txt", "/etc/passwd"]
        for path in protected {
            let policy = ApprovalPolicy(mode: mode, alwaysAllow: ["write_file"], rules: Self.rules(allow: ["write_file"]))
            let expected: Expected = mode == .plan ? .refuse : .ask
            #expect(Self.outcome(policy.decide(tool: "write_file", effect: .write, target: path)) == expected, "\(path) in \(mode)")
            #expect(policy.protection(effect: .write, target: path) != nil)
            let allowed = ApprovalPolicy(mode: mode, rules: Self.rules(allow: ["write_file(.git/hooks/pre-commit)"]))
            if path == ".git/hooks/pre-commit" {
                #expect(Self.outcome(allowed.decide(tool: "write_file", effect: .write, target: path)) == (mode == .plan ? .refuse : .run))
            }
        }
        let ordinary = ApprovalPolicy(mode: mode)
        let expected: Expected = switch mode {
        case .ask: .ask
        case .autoEdit, .yolo: .run
        case .plan: .refuse
        }
        #expect(Self.outcome(ordinary.decide(tool: "write_file", effect: .write, target: "src/gitignore.swift")) == expected)
        #expect(ordinary.protection(effect: .write, target: ".gitignore") == nil)
        #expect(ordinary.protection(effect: .write, target: ".github/workflows/ci.yml") == nil)
    }

    @Test func aHookWriteInAutoEditModeAsks() {
        let policy = ApprovalPolicy(mode: .autoEdit)
        #expect(policy.decide(tool: "write_file", effect: .write, target: ".git/hooks/pre-commit") == .ask)
        #expect(policy.decide(tool: "edit_file", effect: .write, target: ".git/config") == .ask)
        #expect(policy.decide(tool: "write_file", effect: .write, target: "README.md") == .run)
    }

    @Test(arguments: [
        ("run_command", ToolEffect.command, "git status -s", "run_command(git status*)"),
        ("run_command", .command, "npm test", "run_command(npm test*)"),
        ("run_command", .command, "ls -la src", "run_command(ls*)"),
        ("run_command", .command, "/usr/bin/make", "run_command(/usr/bin/make*)"),
        ("write_file", .write, "docs/a.md", "write_file(docs/a.md)"),
        ("write_file", .write, "src/[id].tsx", "write_file(src/\\[id\\].tsx)"),
    ] as [(String, ToolEffect, String, String)])
    func alwaysOffersTheNarrowestRule(tool: String, effect: ToolEffect, target: String, rule: String) {
        let policy = ApprovalPolicy(mode: .ask)
        let offered = policy.alwaysRule(tool: tool, effect: effect, target: target)
        #expect(offered?.description == rule)
        #expect(offered?.source == PermissionRule.sessionSource)
        var widened = policy
        if let offered { widened.rules.allow.append(offered) }
        #expect(widened.decide(tool: tool, effect: effect, target: target) == .run)
    }

    @Test(arguments: ["git status && rm -rf /", "bash -c 'rm -rf /'", "sudo make install", "FOO=1 make", "env X=1 sh",
                      "cat `which x`", "xargs rm"])
    func noAlwaysForCommandsThatCouldRunAnything(command: String) {
        #expect(ApprovalPolicy().alwaysRule(tool: "run_command", effect: .command, target: command) == nil)
    }

    @Test func noAlwaysWhenAnAskRuleWouldStillAsk() {
        let policy = ApprovalPolicy(rules: Self.rules(ask: ["run_command(git push*)"]))
        #expect(policy.alwaysRule(tool: "run_command", effect: .command, target: "git push") == nil)
    }

    @Test(arguments: [("run_command", true), ("run_command(git status*)", true), ("write_file(docs/**)", true),
                      ("mcp__server__tool", true), ("", false), ("run_command()", false), ("run command", false),
                      ("run_command(x", false)])
    func ruleSyntax(text: String, valid: Bool) {
        #expect((PermissionRule.parse(text, source: "x") != nil) == valid, "\(text)")
    }
}
