import Foundation
import Testing

/// Finds the swiftcoder binary and runs it, for tests that use it as a person would.
enum Harness {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `$SWIFTCODER_BIN`, else the release build, else the debug build.
    static let binary: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["SWIFTCODER_BIN"], !path.isEmpty { return path }
        for configuration in ["release", "debug"] {
            let path = packageRoot.appendingPathComponent(".build/\(configuration)/swiftcoder").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    /// `scripts/test` sets this: a missing binary or tmux then fails instead of skipping.
    static let required = ProcessInfo.processInfo.environment["SWIFTCODER_REQUIRE_E2E"] == "1"

    static let tmux: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs end-to-end tests when the binary exists, or when they are required (they then
    /// fail loudly on what is missing).
    static var canRunBinary: Bool { binary != nil || required }
    static var canRunTmux: Bool { (binary != nil && tmux != nil) || required }

    /// A fresh directory with HOME-like subfolders so runs never touch the real home.
    static func makeSandbox() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("swiftcoder-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The environment for a sandboxed run: its own HOME and XDG folders, a UTF-8 locale.
    static func environment(sandbox: URL) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = sandbox.path
        environment["XDG_CONFIG_HOME"] = sandbox.appendingPathComponent("config").path
        environment["XDG_STATE_HOME"] = sandbox.appendingPathComponent("state").path
        environment["XDG_DATA_HOME"] = sandbox.appendingPathComponent("data").path
        environment["LANG"] = "C.UTF-8"
        environment.removeValue(forKey: "SWIFTCODER_CONFIG")
        environment.removeValue(forKey: "LC_ALL")
        // `swift test` sets NO_COLOR=1 for the test process; the app should see colours as a
        // person's terminal would (tests that want NO_COLOR set it themselves).
        environment.removeValue(forKey: "NO_COLOR")
        return environment
    }

    /// Writes an `agents.config.json` with one OpenAI-compatible provider.
    static func writeConfig(in sandbox: URL, apiBase: String, apiKey: String = "sk-test-secret-0042",
                            model: String = "mock-model") throws -> URL {
        let url = sandbox.appendingPathComponent("agents.config.json")
        let text = """
            {
              "defaultProvider": "mock",
              "providers": {
                "mock": {"type": "openai-compatible", "apiBase": "\(apiBase)", "apiKey": "\(apiKey)", "model": "\(model)"}
              }
            }
            """
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Whether the process (the launcher, when there is one) was ended by a signal.
        var signaled = false
    }

    /// Runs the binary with `arguments` and waits for it to exit.
    /// `launcher` runs the binary through another program (`/usr/bin/time -f %M -o FILE`).
    static func run(_ arguments: [String], sandbox: URL, extraEnvironment: [String: String] = [:],
                    launcher: [String] = []) throws -> Result {
        let binary = try #require(binary, "swiftcoder binary not found: run `swift build -c release` or scripts/test")
        let process = Process()
        let command = launcher + [binary] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = environment(sandbox: sandbox).merging(extraEnvironment) { _, extra in extra }
        process.currentDirectoryURL = sandbox
        // Output goes to files: no pipe can fill up and block the child.
        let outURL = sandbox.appendingPathComponent("stdout-\(UUID().uuidString.prefix(6))")
        let errURL = sandbox.appendingPathComponent("stderr-\(UUID().uuidString.prefix(6))")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
                      stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self),
                      signaled: process.terminationReason == .uncaughtSignal)
    }

    /// Polls `condition` until it holds or `seconds` pass; returns whether it held.
    static func poll(seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(20_000)
        }
        return try condition()
    }
}
