import AgentCore
import Foundation
import Testing
@testable import MCPClient

/// Lifecycle against `fake_mcp_server.py`: a server that writes 1 MB to stderr before
/// answering still starts (stderr is drained), and a server killed mid-session is started
/// again once, on the next call; killed again, it is marked failed with the reason.
@Suite(.timeLimit(.minutes(2))) struct MCPLifecycleTests {
    /// The pids the fake server logged, one per start.
    func pids(_ log: String) -> [Int32] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return (object["pid"] as? Int).map(Int32.init)
        }
    }

    @Test func aServerWritingAMegabyteToStderrFirstStillStarts() async {
        let servers = MCPServers(servers: [StdioClientTests.server("noisy", timeout: 20)], connector: StdioClientTests.connector)
        await servers.start()
        defer { Task { await servers.stopAll() } }
        #expect(servers.entries[0].status == .ready && servers.entries[0].tools.count == 4)
    }

    @Test func aKilledServerIsStartedAgainOnceOnTheNextCall() async throws {
        let log = NSTemporaryDirectory() + "mcp-restart-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let servers = MCPServers(servers: [StdioClientTests.server("normal", log: log)], connector: StdioClientTests.connector)
        await servers.start()
        defer { Task { await servers.stopAll() } }
        let echo = MCPToolKey(server: "fake", tool: "echo")
        let first = try #require(pids(log).first)
        kill(first, SIGKILL)
        let answered = try await servers.call(echo, argumentsJSON: #"{"text":"a"}"#, timeoutSeconds: 10)
        #expect(answered.content == [.text(#"echo: {"text": "a"}"#)])
        #expect(pids(log).count == 2 && servers.entries[0].status == .ready)
        // Once only: killed again, the call fails and says why.
        kill(try #require(pids(log).last), SIGKILL)
        await #expect(throws: MCPError.self) {
            try await servers.call(echo, argumentsJSON: #"{"text":"a"}"#, timeoutSeconds: 10)
        }
        guard case .failed(let why) = servers.entries[0].status else {
            Issue.record("not failed: \(servers.entries[0].status)")
            return
        }
        #expect(why.contains("signal 9") || why.contains("closed") || why.contains("exited"), "\(why)")
        #expect(pids(log).count == 2)
    }
}
