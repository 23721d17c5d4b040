import AgentCore
import Glibc

/// The program, arguments (`argv[0]` first) and environment a command starts with.
struct CommandLaunch: Sendable, Hashable {
    var executable: String
    var arguments: [String]
    var environment: [String]
}

/// Turns a command line into what `run_command` spawns: `bash -c` with the environment
/// filtered by `EnvironmentPolicy`, inside bubblewrap when a sandbox is configured. Pure
/// except for looking up `bwrap` and whether the project has a `.git`.
///
/// The sandbox follows Codex on Linux: the whole file system bound read-only, a fresh `/dev`
/// and `/proc`, a private `/tmp`, the project bound writable (`workspace-write`; its `.git`
/// and swiftcoder's own config files stay read-only) or read-only (`read-only`), and no
/// network (`--unshare-net`) unless `network` is true.
enum CommandLauncher {
    static let bubblewrapMissing = "the sandbox needs bubblewrap (bwrap), which is not installed; install the Debian "
        + "package \"bubblewrap\" (apt-get install bubblewrap) or set \"sandbox\": {\"mode\": \"off\"} in agents.config.json"

    /// Files and directories in the project that stay read-only in a `workspace-write` sandbox.
    static let readOnlyInProject = [".git", "agents.config.json", ".mcp.json", ".swiftcoder"]

    static func launch(command: String, root: String, settings: CommandSettings,
                       environment: [String] = currentEnvironment()) throws(ToolError) -> CommandLaunch {
        let filtered = settings.environment.filter(environment)
        guard settings.sandbox.mode != .off else {
            return CommandLaunch(executable: "/bin/bash", arguments: ["bash", "-c", command], environment: filtered)
        }
        guard let bwrap = findExecutable("bwrap", searchPath: value(of: "PATH", in: environment)) else {
            throw ToolError(bubblewrapMissing)
        }
        let arguments = ["bwrap"] + sandboxArguments(root: root, sandbox: settings.sandbox,
                                                     exists: { FileSystem.kind($0) != nil })
            + ["--", "/bin/bash", "-c", command]
        return CommandLaunch(executable: bwrap, arguments: arguments, environment: filtered)
    }

    /// bubblewrap's options for the sandbox, before `--` and the command.
    static func sandboxArguments(root: String, sandbox: SandboxSettings, exists: (String) -> Bool) -> [String] {
        var arguments = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
        if sandbox.mode == .workspaceWrite {
            arguments += ["--bind", root, root]
            for name in readOnlyInProject where exists(root + "/" + name) {
                arguments += ["--ro-bind", root + "/" + name, root + "/" + name]
            }
        } else {
            // Bound again in case the project is under /tmp, which the private /tmp hides.
            arguments += ["--ro-bind", root, root]
        }
        if !sandbox.network { arguments.append("--unshare-net") }
        arguments += ["--die-with-parent", "--chdir", root]
        return arguments
    }

    /// This process's environment as `NAME=value` entries.
    static func currentEnvironment() -> [String] {
        var entries: [String] = []
        var pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = environ
        while let entry = pointer.pointee {
            entries.append(String(cString: entry))
            pointer += 1
        }
        return entries
    }

    private static func value(of name: String, in environment: [String]) -> String? {
        let prefix = name + "="
        return environment.first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    /// The first executable `name` on `searchPath` (the usual system directories when there
    /// is no `PATH` at all).
    static func findExecutable(_ name: String, searchPath: String?) -> String? {
        let directories = searchPath.map { $0.split(separator: ":").map(String.init) } ?? ["/usr/bin", "/bin", "/usr/local/bin"]
        return directories.lazy.map { $0 + "/" + name }.first { access($0, X_OK) == 0 }
    }
}
