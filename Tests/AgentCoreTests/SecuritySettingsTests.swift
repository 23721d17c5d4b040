import FoundationEssentials
import Testing
@testable import AgentCore

/// `permissions`, `sandbox`, `passEnv`, `denyEnv`; the key variables; secrets in headers and URLs.
@Suite(.timeLimit(.minutes(2))) struct SecuritySettingsTests {
    @Test func readsTheSecuritySettings() throws {
        let config = try parseConfig("""
            {
              "providers": {"x": {"apiBase": "https://h/v1", "apiKey": "${X_KEY}", "headers": {"X-Auth": "${AUTH}"}}},
              "permissions": {"allow": ["run_command(git status*)"], "ask": ["read_file(.env*)"], "deny": ["run_command(rm -rf $HOME*)"]},
              "sandbox": {"mode": "workspace-write", "network": true},
              "passEnv": ["GITHUB_TOKEN"],
              "denyEnv": ["*_KEY"]
            }
            """, environment: ["X_KEY": "sk-1234", "AUTH": "tok-5678"])
        let settings = config.settings
        #expect(settings.permissions.allow.map(\.description) == ["run_command(git status*)"])
        #expect(settings.permissions.ask.map(\.description) == ["read_file(.env*)"])
        // Taken as written: `$HOME` is the shell's, not expanded from the environment.
        #expect(settings.permissions.deny.map(\.description) == ["run_command(rm -rf $HOME*)"])
        #expect(settings.permissions.allow.first?.source == testPath)
        #expect(settings.sandbox == SandboxSettings(mode: .workspaceWrite, network: true))
        #expect(settings.passEnv == ["GITHUB_TOKEN"])
        #expect(settings.denyEnv == ["*_KEY"])
        #expect(config.secretVariables == ["X_KEY", "AUTH"])
        let policy = config.commandEnvironment
        #expect(!policy.allows("X_KEY") && !policy.allows("AUTH") && !policy.allows("OTHER_KEY"))
        #expect(policy.allows("GITHUB_TOKEN") && policy.allows("PATH"))
    }

    @Test func theDefaultsWithholdKeysAndDoNotSandbox() throws {
        let config = try parseConfig(#"{"providers": {}}"#)
        #expect(config.settings.sandbox.mode == .off)
        let policy = config.commandEnvironment
        for name in ["OPENAI_API_KEY", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "MY_SECRET"] { #expect(!policy.allows(name), "\(name)") }
        for name in ["PATH", "HOME", "TOKENIZERS_PARALLELISM", "LANG"] { #expect(policy.allows(name), "\(name)") }
    }

    @Test(arguments: [
        (#"{"permissions": ["run_command"]}"#, "permissions", "must be an object"),
        (#"{"permissions": {"allowed": []}}"#, "permissions.allowed", "known lists: allow, ask, deny"),
        (#"{"permissions": {"allow": "run_command"}}"#, "permissions.allow", "must be an array of rules"),
        (#"{"permissions": {"deny": ["run_command("]}}"#, "permissions.deny[0]", "is not a rule"),
        (#"{"permissions": {"ask": [42]}}"#, "permissions.ask[0]", "must be a string"),
        (#"{"sandbox": {"mode": "strict"}}"#, "sandbox.mode", "known modes: off, workspace-write, read-only"),
        (#"{"sandbox": {"network": "no"}}"#, "sandbox.network", "must be true or false"),
        (#"{"sandbox": {"net": false}}"#, "sandbox.net", "known settings: mode, network"),
        (#"{"passEnv": "GITHUB_TOKEN"}"#, "passEnv", "must be an array"),
        (#"{"denyEnv": [""]}"#, "denyEnv[0]", "variable name or pattern"),
    ])
    func mistakesNameTheFileLineAndField(text: String, field: String, message: String) {
        guard let error = configError(text) else {
            Issue.record("\(text) should fail")
            return
        }
        #expect(error.field == field, "\(error)")
        #expect(error.description.contains(message), "\(error)")
        #expect(error.description.hasPrefix(testPath + ":1:"), "\(error)")
    }

    @Test func headerAndURLSecretsAreScrubbed() {
        let config = ProviderConfig(
            name: "x", kind: .openAICompatible, apiBase: "https://user:p4ssw0rd@host/v1?key=AIzaSECRET&mode=fast",
            apiKey: Secret("sk-live-key"),
            headers: ["Authorization": "Bearer tok-header-secret", "X-Title": "swiftcoder", "api-key": "azure-key-1"])
        let redactor = SecretRedactor(secrets: config.secrets)
        let text = "GET https://user:p4ssw0rd@host/v1?key=AIzaSECRET&mode=fast failed: tok-header-secret azure-key-1 "
            + "sk-live-key from swiftcoder"
        let clean = redactor.redact(text)
        for secret in ["p4ssw0rd", "AIzaSECRET", "tok-header-secret", "azure-key-1", "sk-live-key"] {
            #expect(!clean.contains(secret), "\(clean)")
        }
        #expect(clean.contains("swiftcoder") && clean.contains("mode=fast"))
        #expect(config.displayBase == "https://<redacted>@host/v1?key=<redacted>&mode=fast")
    }
}

/// The `/permissions` text.
@Suite(.timeLimit(.minutes(2))) struct PermissionReportTests {
    @Test func listsEveryRuleWithItsSource() {
        var policy = ApprovalPolicy(mode: .autoEdit, rules: PermissionRules(
            allow: [PermissionRule(tool: "run_command", pattern: "git status*", source: "/p/agents.config.json")],
            deny: [PermissionRule(tool: "write_file", pattern: "secrets/**", source: "/p/agents.config.json")]))
        policy.rules.allow.append(PermissionRule(tool: "write_file", pattern: "docs/a.md", source: PermissionRule.sessionSource))
        let text = PermissionReport.text(policy: policy, commands: CommandSettings(
            environment: EnvironmentPolicy(secretVariables: ["MY_KEY"]), sandbox: SandboxSettings(mode: .workspaceWrite)))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("Approval mode: auto-edit.") == true)
        #expect(lines.contains("  deny  write_file(secrets/**)   (from /p/agents.config.json)"))
        #expect(lines.contains("  allow run_command(git status*)   (from /p/agents.config.json)"))
        #expect(lines.contains("  allow write_file(docs/a.md)   (from this session)"))
        #expect(text.contains("Protected (writes always ask): .git/"))
        #expect(text.contains("sandboxed: only the project is writable, no network"))
        #expect(text.contains("MY_KEY"))
    }
}
