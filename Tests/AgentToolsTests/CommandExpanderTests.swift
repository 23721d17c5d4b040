import AgentCore
import Foundation
import Testing
@testable import AgentTools

/// `@path` confined and capped like read_file; `!` refused untrusted, asked, pre-approved by
/// an allowed-tools pattern, refused by a deny rule (D146).
@Suite(.timeLimit(.minutes(2))) struct CommandExpanderTests {
    func command(_ body: String, allowed: [String]? = nil) -> CustomCommand {
        CustomCommand(name: "c", allowedTools: allowed, body: body, folder: .claude, path: "/x/c.md")
    }

    final class Asked: @unchecked Sendable {
        // Only touched from the one expansion the test awaits, one call at a time.
        var lines: [String] = []
    }

    @Test func filesAreInlinedAndConfined() async throws {
        try await withProject(limits: ToolLimits(fileMaxBytes: 100)) { project in
            try project.write("src/a.txt", "alpha\n")
            try project.write("big.txt", String(repeating: "x", count: 200))
            let expander = CommandExpander(tools: project.tools, shellRefusal: nil, policy: ApprovalPolicy())
            let ok = await expander.expand(command("Read @$1 please, and @MainActor."), arguments: "src/a.txt") { _ in false }
            #expect(((try? ok.get()) ?? "") == "Read \n`src/a.txt`:\n```\nalpha\n```\n please, and @MainActor.")
            let outside = await expander.expand(command("@../outside/secret"), arguments: "") { _ in false }
            guard case .failure(let refusal) = outside else { Issue.record("read outside the project"); return }
            #expect(refusal.description.contains("outside the project"))
            let big = await expander.expand(command("@big.txt"), arguments: "") { _ in false }
            guard case .failure(let tooBig) = big else { Issue.record("read past the cap"); return }
            #expect(tooBig.description.contains("over the 100-byte limit"))
        }
    }

    @Test func shellIsRefusedUntrustedWithoutRunning() async throws {
        try await withProject { project in
            let expander = CommandExpander(tools: project.tools, shellRefusal: "this folder is not trusted", policy: ApprovalPolicy())
            let asked = Asked()
            let result = await expander.expand(command("x !`touch ran`"), arguments: "") { preview in
                asked.lines.append(preview.keyArgument)
                return true
            }
            guard case .failure(let refusal) = result else { Issue.record("ran untrusted"); return }
            #expect(refusal.description == "/c was not sent: it runs !`touch ran`, and this folder is not trusted")
            #expect(asked.lines.isEmpty)
            #expect(!project.exists("ran"))
        }
    }

    @Test func shellAsksThenRunsAndInlinesEvenInYolo() async throws {
        try await withProject { project in
            let expander = CommandExpander(tools: project.tools, shellRefusal: nil, policy: ApprovalPolicy(mode: .yolo))
            let asked = Asked()
            let yes = await expander.expand(command("out: !`echo hi-$1`"), arguments: "there") { preview in
                asked.lines.append(preview.keyArgument)
                return true
            }
            #expect(asked.lines == ["echo hi-there"])
            #expect(((try? yes.get()) ?? "").contains("hi-there"))
            let no = await expander.expand(command("!`touch ran`"), arguments: "") { _ in false }
            guard case .failure(let refusal) = no else { Issue.record("ran without approval"); return }
            #expect(refusal.notApproved)
            #expect(!project.exists("ran"))
        }
    }

    @Test func allowedToolsPatternsPreApproveAndDenyRulesRefuse() async throws {
        try await withProject { project in
            let deny = PermissionRules(deny: [PermissionRule(tool: "run_command", pattern: "rm *", source: "config")])
            let expander = CommandExpander(tools: project.tools, shellRefusal: nil, policy: ApprovalPolicy(rules: deny))
            let pre = await expander.expand(command("!`echo pre`", allowed: ["Bash(echo:*)"]), arguments: "") { _ in false }
            #expect(((try? pre.get()) ?? "").contains("pre"))
            let denied = await expander.expand(command("!`rm -rf x`", allowed: ["Bash(rm:*)"]), arguments: "") { _ in true }
            guard case .failure(let refusal) = denied else { Issue.record("a deny rule was passed over"); return }
            #expect(refusal.description.contains("deny run_command(rm *)"))
        }
    }
}
