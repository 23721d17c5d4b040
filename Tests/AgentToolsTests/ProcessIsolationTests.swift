import AgentCore
import Foundation
import Testing
@testable import AgentTools

/// Commands start in their own session, inherit no descriptor but 0-2, and no secrets.
@Suite(.timeLimit(.minutes(2))) struct ProcessIsolationTests {
    @Test func aCommandSeesNoInheritedDescriptorsBeyondTheStandardThree() async throws {
        // A descriptor opened without close-on-exec, as a library might.
        let leaked = open("/dev/null", O_RDONLY)
        defer { close(leaked) }
        try #require(leaked > 2)
        try await withProject { project in
            // `; true` makes bash fork for ls, so the listing is bash's own descriptors.
            let output = try await project.execute("run_command", ["command": "ls /proc/$$/fd; true"])
            #expect(!output.isError, "\(output.content)")
            let descriptors = output.content.split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.isEmpty }.map(String.init)
            #expect(descriptors == ["0", "1", "2"], "\(output.content)")
        }
    }

    @Test func aCommandRunsInItsOwnSessionWithoutATerminal() async throws {
        try await withProject { project in
            // /proc/PID/stat: pid (comm) state ppid pgrp session tty_nr …
            let output = try await project.execute("run_command", ["command": #"set -- $(cat /proc/$$/stat); echo "$$ $5 $6 $7""#])
            let fields = output.content.split(separator: "\n").first?.split(separator: " ").map(String.init) ?? []
            try #require(fields.count == 4, "\(output.content)")
            #expect(fields[1] == fields[0], "its own process group")
            #expect(fields[2] == fields[0], "its own session")
            #expect(fields[3] == "0", "no controlling terminal")
            #expect(getsid(0) != pid_t(fields[2]))
        }
    }

    @Test func theChildEnvironmentWithholdsKeys() {
        let policy = EnvironmentPolicy(pass: ["GITHUB_TOKEN"], secretVariables: ["MY_PROVIDER_KEY"])
        let environment = ["PATH=/usr/bin", "OPENAI_API_KEY=sk-live", "MY_PROVIDER_KEY=abc", "GITHUB_TOKEN=gh",
                           "NPM_TOKEN=npm", "AWS_SECRET_ACCESS_KEY=aws", "HOME=/home/u", "TOKENIZER=x"]
        let launch = try? CommandLauncher.launch(command: "env", root: "/tmp",
                                                 settings: CommandSettings(environment: policy), environment: environment)
        #expect(launch?.environment == ["PATH=/usr/bin", "GITHUB_TOKEN=gh", "HOME=/home/u", "TOKENIZER=x"])
        #expect(launch?.arguments == ["bash", "-c", "env"])
    }

    @Test func aChildDoesNotSeeTheKeysOfThisProcess() async throws {
        setenv("SWIFTCODER_PROBE_API_KEY", "sk-probe-secret", 1)
        setenv("SWIFTCODER_PROBE_KEY_SOURCE", "from-config", 1)
        setenv("SWIFTCODER_PROBE_TOKEN", "passed-on-purpose", 1)
        setenv("SWIFTCODER_PROBE_PLAIN", "plain", 1)
        let policy = EnvironmentPolicy(pass: ["SWIFTCODER_PROBE_TOKEN"], secretVariables: ["SWIFTCODER_PROBE_KEY_SOURCE"])
        try await withProject { project in
            let tools = BuiltinTools(projectRoot: project.root, commands: CommandSettings(environment: policy))
            let output = await tools.execute(try call("run_command", ["command": "env | grep SWIFTCODER_PROBE | sort"]))
            #expect(output.content.hasPrefix("SWIFTCODER_PROBE_PLAIN=plain\nSWIFTCODER_PROBE_TOKEN=passed-on-purpose\n\n"),
                    "\(output.content)")
            #expect(!output.content.contains("sk-probe-secret"))
            #expect(!output.content.contains("from-config"))
        }
    }
}
