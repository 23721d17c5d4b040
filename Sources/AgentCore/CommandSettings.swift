/// Where `run_command` (and `!`) commands may write, under bubblewrap (config `sandbox.mode`).
public enum SandboxMode: String, Sendable, Hashable, CaseIterable {
    /// Commands run unconfined (the default for now; approvals are the guard).
    case off
    /// The project is writable, the rest of the file system read-only, `/tmp` private.
    case workspaceWrite = "workspace-write"
    /// Nothing is writable but a private `/tmp`.
    case readOnly = "read-only"
}

/// Config `sandbox`: `{"mode": "off" | "workspace-write" | "read-only", "network": false}`.
public struct SandboxSettings: Sendable, Hashable {
    public var mode: SandboxMode
    /// Whether a sandboxed command may use the network (ignored when `mode` is `off`).
    public var network: Bool

    public init(mode: SandboxMode = .off, network: Bool = false) {
        self.mode = mode
        self.network = network
    }

    /// One line for the approval box and `/permissions`, nil when commands are not sandboxed.
    public var summary: String? {
        switch mode {
        case .off: return nil
        case .workspaceWrite: return "sandboxed: only the project is writable, " + (network ? "network on" : "no network")
        case .readOnly: return "sandboxed: read-only, " + (network ? "network on" : "no network")
        }
    }
}

/// Which environment variables a command inherits. Pure.
///
/// A variable is passed when a `passEnv` pattern names it; otherwise it is withheld when the
/// config reads a key from it (`${VAR}` in an `apiKey`, a header or a URL) or a `denyEnv`
/// pattern names it (default `*_API_KEY`, `*_TOKEN`, `*_SECRET*`). Patterns are globs on the
/// name (`*` any run, `?` one character).
public struct EnvironmentPolicy: Sendable, Hashable {
    public static let defaultDeny = ["*_API_KEY", "*_TOKEN", "*_SECRET*"]

    /// Config `denyEnv` (replaces the default list).
    public var deny: [String]
    /// Config `passEnv`: passed even when denied or used for a key.
    public var pass: [String]
    /// The variables the config reads keys from.
    public var secretVariables: Set<String>

    public init(deny: [String] = defaultDeny, pass: [String] = [], secretVariables: Set<String> = []) {
        self.deny = deny
        self.pass = pass
        self.secretVariables = secretVariables
    }

    /// True when a command may see the variable `name`.
    public func allows(_ name: String) -> Bool {
        if pass.contains(where: { Glob($0, paths: false).matches(name) }) { return true }
        if secretVariables.contains(name) { return false }
        return !deny.contains(where: { Glob($0, paths: false).matches(name) })
    }

    /// `environment` (`NAME=value` entries) without the withheld variables, in order.
    public func filter(_ environment: [String]) -> [String] {
        environment.filter { entry in
            guard let equals = entry.utf8.firstIndex(of: UInt8(ascii: "=")) else { return false }
            return allows(String(entry[..<equals]))
        }
    }
}

/// How commands start: the environment they see and the sandbox they run in.
public struct CommandSettings: Sendable, Hashable {
    public var environment: EnvironmentPolicy
    public var sandbox: SandboxSettings

    public init(environment: EnvironmentPolicy = EnvironmentPolicy(), sandbox: SandboxSettings = SandboxSettings()) {
        self.environment = environment
        self.sandbox = sandbox
    }
}
