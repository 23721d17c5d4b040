import AgentCore
import Foundation
import Testing
@testable import AgentTools

/// A temporary project directory (and a sibling "outside" directory) removed after the test.
struct TempProject {
    let root: String
    let outside: String
    let tools: BuiltinTools

    init(limits: ToolLimits = ToolLimits()) throws {
        let base = FileManager.default.temporaryDirectory.path + "/agenttools-" + UUID().uuidString
        root = base + "/project"
        outside = base + "/outside"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        tools = BuiltinTools(projectRoot: root, limits: limits)
    }

    /// Removes both directories.
    func remove() {
        try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent)
    }

    /// Writes a file below the root, creating directories.
    func write(_ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func read(_ relative: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative)), as: UTF8.self)
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: root + "/" + relative)
    }

    /// Makes `relative` a symlink to `target` (absolute or relative to the link).
    func link(_ relative: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: root + "/" + relative, withDestinationPath: target)
    }

    func prepare(_ tool: String, _ arguments: [String: Any]) async throws -> ToolPreparation {
        await tools.prepare(try call(tool, arguments))
    }

    func execute(_ tool: String, _ arguments: [String: Any]) async throws -> ToolOutput {
        await tools.execute(try call(tool, arguments))
    }
}

/// Runs `body` with a fresh project that is removed afterwards.
func withProject(limits: ToolLimits = ToolLimits(), _ body: (TempProject) async throws -> Void) async throws {
    let project = try TempProject(limits: limits)
    defer { project.remove() }
    try await body(project)
}

/// A tool call with the arguments encoded as JSON.
func call(_ tool: String, _ arguments: [String: Any]) throws -> ToolCall {
    let data = try JSONSerialization.data(withJSONObject: arguments, options: [.sortedKeys])
    return ToolCall(id: "call-1", name: tool, arguments: String(decoding: data, as: UTF8.self))
}

extension ToolPreparation {
    /// The preview when ready.
    var preview: ToolPreview? {
        if case .ready(let preview) = self { return preview }
        return nil
    }

    /// The error output when invalid.
    var error: ToolOutput? {
        if case .invalid(let output) = self { return output }
        return nil
    }
}

/// Polls `condition` every 10 ms until it holds or `seconds` pass; returns whether it held.
/// The deadline is generous on purpose: while the synchronous end-to-end tests hold both
/// threads of the cooperative pool, a task here may not run for many seconds; only a real
/// hang should fail.
func eventually(within seconds: Double = 90, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

/// Runs blocking test code (process waits, tight polls) on a thread of its own, so the two
/// threads of the cooperative pool stay free for the tests running beside it.
func onOwnThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result<Value, any Error> { try body() }) }.start()
    }
}
