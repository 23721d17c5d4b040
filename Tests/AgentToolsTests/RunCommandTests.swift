import AgentCore
import Foundation
import Testing
@testable import AgentTools

@Suite(.timeLimit(.minutes(2))) struct RunCommandTests {
    @Test func reportsOutputAndExitCode() async throws {
        try await withProject { project in
            let ok = try await project.execute("run_command", ["command": "pwd; echo err >&2"])
            #expect(!ok.isError)
            #expect(ok.content == "\(project.tools.projectRoot)\nerr\n\n\nexit code: 0")
            #expect(ok.summary == "exit 0 · 2 lines of output")
            let failed = try await project.execute("run_command", ["command": "exit 3"])
            #expect(failed.isError)
            #expect(failed.content == "(no output)\n\nexit code: 3")
            #expect(failed.summary == "exit 3 · no output")
        }
    }

    @Test func outputIsCappedKeepingStartAndEnd() async throws {
        try await withProject(limits: ToolLimits(commandOutputMaxBytes: 1000)) { project in
            let output = try await project.execute("run_command", ["command": "seq 1 10000"])
            #expect(output.content.hasPrefix("1\n2\n3\n"))
            #expect(output.content.contains("bytes of output omitted"))
            #expect(output.content.hasSuffix("9999\n10000\n\n\nexit code: 0"))
            #expect(output.content.utf8.count < 1200)
            #expect(output.summary == "exit 0 · 10000 lines of output")
        }
    }

    @Test func timeoutStopsTheCommand() async throws {
        try await withProject(limits: ToolLimits(killGraceSeconds: 0.2)) { project in
            let output = try await project.execute("run_command", ["command": "echo started; sleep 1000",
                                                                   "timeout_seconds": 1])
            #expect(output.isError)
            #expect(output.summary == "timed out after 1 s")
            #expect(output.content.contains("started"))
        }
    }

    @Test func cancellationKillsTheWholeProcessGroup() async throws {
        try await withProject(limits: ToolLimits(killGraceSeconds: 0.5)) { project in
            let tools = project.tools
            let command = "echo $$ > pgid.tmp && mv pgid.tmp pgid.txt; sleep 1000 & sleep 1000; "
            let running = Task { await tools.execute(try call("run_command", ["command": command])) }
            var pgid: pid_t = 0
            let started = await eventually {
                pgid = (try? project.read("pgid.txt")).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
                return pgid > 0
            }
            try #require(started)
            #expect(kill(-pgid, 0) == 0, "the group is running")
            running.cancel()
            let output = try await running.value
            #expect(output.isError)
            #expect(output.summary == "cancelled")
            let gone = await eventually { kill(-pgid, 0) == -1 && errno == ESRCH }
            #expect(gone, "every process of group \(pgid) is gone")
        }
    }

    @Test func leftoverBackgroundProcessesHoldingOutputAreStopped() async throws {
        try await withProject(limits: ToolLimits(killGraceSeconds: 0.2)) { project in
            let output = try await project.execute("run_command", ["command": "echo $$; sleep 1000 &"])
            #expect(output.summary == "exit 0 · 1 line of output")
            #expect(output.content.contains("background processes still holding the output were stopped"))
            let pgid = try #require(pid_t(output.content.prefix(while: { $0 != "\n" })))
            #expect(await eventually { kill(-pgid, 0) == -1 && errno == ESRCH })
        }
    }

    @Test func childrenGetACleanSignalMaskAndDefaultDispositions() async throws {
        try await withProject { project in
            // Ignoring a signal here would be inherited across exec without SETSIGDEF.
            let previous = signal(SIGUSR2, SIG_IGN)
            defer { signal(SIGUSR2, previous) }
            var blocked = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGUSR1)
            var old = sigset_t()
            pthread_sigmask(SIG_BLOCK, &blocked, &old)
            defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
            let output = try await project.execute("run_command", ["command": "grep -E '^Sig(Blk|Ign)' /proc/self/status"])
            #expect(output.content.contains("SigBlk:\t0000000000000000"))
            #expect(output.content.contains("SigIgn:\t0000000000000000"))
        }
    }

    @Test func badArgumentsNeverRun() async throws {
        try await withProject { project in
            let empty = try await project.prepare("run_command", ["command": "  "]).error
            #expect(empty?.content.contains("the command is empty") == true)
            let timeout = try await project.prepare("run_command", ["command": "true", "timeout_seconds": 9999]).error
            #expect(timeout?.content.contains("timeout_seconds must be between 1 and 600") == true)
            let preview = try await project.prepare("run_command", ["command": "make test"]).preview
            #expect(preview == ToolPreview(toolName: "run_command", keyArgument: "make test", detail: "make test", target: "make test"))
        }
    }
}
