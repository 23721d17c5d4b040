import AgentCore
import Foundation
import Testing
@testable import AgentTools

/// Commands in a bubblewrap sandbox cannot write outside the project or reach the network.
@Suite(.timeLimit(.minutes(2))) struct SandboxTests {
    static let root = "/work/project"

    @Test func workspaceWriteBindsTheProjectAndKeepsGitReadOnly() {
        let arguments = CommandLauncher.sandboxArguments(root: Self.root, sandbox: SandboxSettings(mode: .workspaceWrite),
                                                         exists: { $0.hasSuffix("/.git") })
        #expect(arguments == ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
                              "--bind", Self.root, Self.root, "--ro-bind", Self.root + "/.git", Self.root + "/.git",
                              "--unshare-net", "--die-with-parent", "--chdir", Self.root])
    }

    @Test func readOnlyBindsTheProjectReadOnlyAndNetworkCanBeAllowed() {
        let arguments = CommandLauncher.sandboxArguments(root: Self.root, sandbox: SandboxSettings(mode: .readOnly, network: true),
                                                         exists: { _ in true })
        #expect(arguments.contains("--ro-bind") && !arguments.contains("--bind"))
        #expect(!arguments.contains("--unshare-net"))
    }

    @Test func aMissingBubblewrapIsAnErrorNamingThePackage() async throws {
        let settings = CommandSettings(sandbox: SandboxSettings(mode: .workspaceWrite))
        #expect(throws: ToolError(CommandLauncher.bubblewrapMissing)) {
            try CommandLauncher.launch(command: "true", root: "/tmp", settings: settings, environment: ["PATH=/nonexistent"])
        }
        #expect(CommandLauncher.bubblewrapMissing.contains("\"bubblewrap\""))
    }

    @Test func theApprovalSaysWhenACommandRunsSandboxed() async throws {
        try await withProject { project in
            let tools = BuiltinTools(projectRoot: project.root,
                                     commands: CommandSettings(sandbox: SandboxSettings(mode: .workspaceWrite)))
            let sandboxed = await tools.prepare(try call("run_command", ["command": "make"]))
            if Sandbox.bwrapPath != nil {
                #expect(sandboxed.preview?.sandbox == "sandboxed: only the project is writable, no network")
            }
            let plain = try await project.prepare("run_command", ["command": "make"])
            #expect(plain.preview?.sandbox == nil)
        }
    }

    @Test(.enabled(if: Sandbox.available, Sandbox.skipReason))
    func aSandboxedCommandCannotWriteOutsideTheProject() async throws {
        try await withSandboxedProject { project, outside, sandboxed in
            try project.write(".git/hooks/.keep", "")
            let command = "echo in > inside.txt; echo out > \(outside)/escaped.txt; echo hook > .git/hooks/pre-commit; true"
            _ = await sandboxed.execute(try call("run_command", ["command": command]))
            #expect(try project.read("inside.txt") == "in\n", "the project is writable")
            #expect(!FileManager.default.fileExists(atPath: outside + "/escaped.txt"), "outside is read-only")
            #expect(!project.exists(".git/hooks/pre-commit"), ".git stays read-only")
            _ = await project.tools.execute(try call("run_command", ["command": command]))
            #expect(FileManager.default.fileExists(atPath: outside + "/escaped.txt"), "unsandboxed, it can")
        }
    }

    @Test(.enabled(if: Sandbox.available, Sandbox.skipReason))
    func aSandboxedCommandCannotReachTheNetwork() async throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        try await withSandboxedProject { project, _, sandboxed in
            let command = "exec 3<>/dev/tcp/127.0.0.1/\(listener.port) && echo connected"
            let inside = await sandboxed.execute(try call("run_command", ["command": command]))
            #expect(!inside.content.contains("connected"), "\(inside.content)")
            #expect(inside.isError)
            let outsideRun = await project.tools.execute(try call("run_command", ["command": command]))
            #expect(outsideRun.content.hasPrefix("connected"), "\(outsideRun.content)")
        }
    }

    /// A project, a writable directory outside /tmp (the sandbox's /tmp is private, so only a
    /// directory elsewhere shows whether the real file system was written) and sandboxed tools.
    func withSandboxedProject(_ body: (TempProject, String, BuiltinTools) async throws -> Void) async throws {
        let outside = "/var/tmp/swiftcoder-sandbox-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try await withProject { project in
            let sandboxed = BuiltinTools(projectRoot: project.root,
                                         commands: CommandSettings(sandbox: SandboxSettings(mode: .workspaceWrite)))
            try await body(project, outside, sandboxed)
        }
    }
}

/// Whether bubblewrap can create namespaces on this machine.
enum Sandbox {
    static let bwrapPath = CommandLauncher.findExecutable("bwrap", searchPath: ProcessInfo.processInfo.environment["PATH"])

    static let available: Bool = {
        guard let bwrapPath else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bwrapPath)
        process.arguments = ["--ro-bind", "/", "/", "--unshare-net", "--die-with-parent", "true"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    static var skipReason: Comment {
        bwrapPath == nil ? "bwrap is not installed (Debian package bubblewrap)"
            : "bwrap cannot create namespaces here (user namespaces disabled, or no privileges)"
    }
}

/// A TCP listener on 127.0.0.1 that never accepts: the kernel completes connections into
/// its backlog, which is all a connect test needs.
final class LoopbackListener: Sendable {
    let fd: Int32
    let port: UInt16

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        try #require(bound == 0 && listen(descriptor, 16) == 0, "could not listen on 127.0.0.1")
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        fd = descriptor
        port = UInt16(bigEndian: address.sin_port)
    }

    func close() { _ = Glibc.close(fd) }
}
