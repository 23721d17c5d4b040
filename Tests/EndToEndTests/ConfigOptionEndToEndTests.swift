import Foundation
import Testing

/// Every subcommand honours `--config` the same way (issue 14, bug 1), and a bad
/// `usage --since` is that command's usage error.
@Suite(.timeLimit(.minutes(5)), .enabled(if: Harness.canRunBinary, "swiftcoder binary not built (scripts/test builds it)"))
struct ConfigOptionEndToEndTests {
    @Test(arguments: ["sessions", "usage", "providers", "models"])
    func aMissingConfigFileIsNamedByEveryCommand(command: String) throws {
        let sandbox = try Harness.makeSandbox()
        let missing = sandbox.appendingPathComponent("missing.json").path
        let result = try Harness.run([command, "--config", missing], sandbox: sandbox)
        #expect(result.status == 1, "\(command): \(result.stderr)")
        #expect(result.stderr.contains(missing), "\(command): \(result.stderr)")
        #expect(result.stderr.contains("not found"), "\(command): \(result.stderr)")
    }

    @Test func aBadSinceIsAUsageErrorOfTheUsageCommand() throws {
        let sandbox = try Harness.makeSandbox()
        let result = try Harness.run(["usage", "--since", "2026-13-45"], sandbox: sandbox)
        #expect(result.status == 64)
        #expect(result.stderr.contains("YYYY-MM-DD"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("Usage: swiftcoder usage"), "stderr: \(result.stderr)")
    }
}
