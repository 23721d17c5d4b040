import Foundation
import Testing

/// `swiftcoder --demo` as a new user meets it: no config, no server; a scripted reply, a
/// tool call, an approval with a diff, the meter, the picker; nothing left behind.
@Suite(.timeLimit(.minutes(5)), .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct DemoEndToEndTests {
    @Test func theDemoShowsStreamingAToolApprovalTheMeterAndThePickerThenCleansUp() throws {
        let binary = try #require(Harness.binary, "swiftcoder binary not found")
        let sandbox = try Harness.makeSandbox()
        let temporary = sandbox.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        var environment = Harness.environment(sandbox: sandbox)
        environment["TMPDIR"] = temporary.path
        let status = sandbox.appendingPathComponent("exit-status").path
        let stty = sandbox.appendingPathComponent("stty-after").path
        let command = "cd '\(sandbox.path)' && '\(binary)' --demo; echo \"exit=$?\" > '\(status)'; "
            + "stty -a > '\(stty)'; exec sleep 600"
        let session = try TmuxSession(command: command, columns: 120, rows: 40, environment: environment)
        defer { session.kill() }

        try session.waitFor("This is the demo", "demo-small", "● online · 2 models")
        let demoFolders = try FileManager.default.contentsOfDirectory(atPath: temporary.path)
        #expect(demoFolders.count == 1 && demoFolders[0].hasPrefix("swiftcoder-demo-"), "\(demoFolders)")
        try session.submit("fix my script")
        try session.waitFor("Allow edit_file?", "greet.py", "-    for i in range(len(names) - 1):",
                            "+    for i in range(len(names)):", "y yes · n no")
        try session.send("y")
        try session.waitFor("all three names are greeted", "Things to try next", "ready")
        let screen = try session.screenText()
        #expect(screen.contains("✓ read_file"), "\(screen)")
        #expect(screen.contains("✓ edit_file"), "\(screen)")
        #expect(screen.contains("~$0.0"), "the meter shows the estimated cost:\n\(screen)")
        let project = temporary.appendingPathComponent(demoFolders[0]).appendingPathComponent("project/greet.py")
        #expect(try String(contentsOf: project, encoding: .utf8).contains("range(len(names)):"))

        try session.send("C-p")
        try session.waitFor("Pick a model", "demo-large")
        try session.type("large")
        try session.waitFor("Filter: large")
        try session.send("Enter")
        try session.waitForAbsence("Pick a model")
        try session.waitFor("$3.00/$15.00/M")
        try session.send("C-d")
        try TUIEndToEndTests().expectRestored(session, sandbox: sandbox, status: "0")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty,
                "the demo folder is removed on exit")
        // Nothing of the user's state was written: the demo keeps its own.
        #expect(!FileManager.default.fileExists(atPath: sandbox.appendingPathComponent("data/swiftcoder").path))
        #expect(!FileManager.default.fileExists(atPath: sandbox.appendingPathComponent("greet.py").path))
    }

    @Test func theDemoRefusesOptionsThatWouldMixItWithRealProviders() throws {
        let sandbox = try Harness.makeSandbox()
        let result = try Harness.run(["--demo", "--provider", "x"], sandbox: sandbox)
        #expect(result.status != 0)
        #expect(result.stderr.contains("--demo uses its own provider"), "\(result.stderr)")
    }
}
