import Foundation
import MockLLMServer
import Testing

/// Costs end to end: prices from the config, the usage ledger across sessions, budgets.
@Suite(.serialized) struct CostEndToEndTests {
    /// A config whose mock model costs $100 000 per million input tokens ($0.10 per token)
    /// and $200 000 per million output tokens, with optional budgets.
    func writeConfig(in sandbox: URL, apiBase: String, budget: String = "") throws -> URL {
        let url = sandbox.appendingPathComponent("agents.config.json")
        let text = """
            {
              "defaultProvider": "mock",
              "providers": {"mock": {"type": "openai-compatible", "apiBase": "\(apiBase)", "model": "mock-model"}},
              "pricing": {"mock-model": {"inputPerMillion": 100000, "outputPerMillion": 200000}}\(budget)
            }
            """
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func runPrintsTheExactCostAndTheLedgerTotalsADayAcrossSessions() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "one two three", chunkCount: 3))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try writeConfig(in: sandbox, apiBase: server.baseURL)
        let first = try Harness.run(["run", "--config", config.path, "hello there"], sandbox: sandbox)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let line = try #require(first.stderr.split(separator: "\n").last.map(String.init))
        // The mock counts words: the prompt's tokens at $0.10 and 3 output tokens at $0.20.
        let usage = try #require(line.wholeMatch(of: /tokens in=(\d+) out=(\d+) cost=\$(.+)/))
        let expected = Decimal(Int(usage.1)!) / 10 + Decimal(Int(usage.2)!) / 5
        #expect(Decimal(string: String(usage.3)) == expected, "\(line)")
        let second = try Harness.run(["run", "--config", config.path, "again"], sandbox: sandbox)
        #expect(second.status == 0, "stderr: \(second.stderr)")

        let report = try Harness.run(["usage", "--json"], sandbox: sandbox)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let days = try #require(json["by_day"] as? [[String: Any]])
        #expect(days.count == 1)
        #expect(days.first?["requests"] as? Int == 2)
        let sessions = try Harness.run(["sessions", "--json"], sandbox: sandbox)
        #expect(sessions.stdout.split(separator: "\n").count == 2)
        let text = try Harness.run(["usage"], sandbox: sandbox)
        #expect(text.stdout.contains("mock/mock-model"))
        #expect(text.stdout.contains("2 req"))
    }

    @Test func aDailyBudgetRefusesTheNextRunAndSaysWhich() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "one two three", chunkCount: 3))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try writeConfig(in: sandbox, apiBase: server.baseURL, budget: #", "budget": {"dailyUSD": 0.5}"#)
        let first = try Harness.run(["run", "--config", config.path, "hello there"], sandbox: sandbox)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let second = try Harness.run(["run", "--config", config.path, "more"], sandbox: sandbox)
        #expect(second.status == 1)
        #expect(second.stderr.contains("daily budget $0.50 reached"), "\(second.stderr)")
        #expect(second.stderr.contains("budget.dailyUSD"))
        #expect(server.requests.filter { $0.path.hasSuffix("/chat/completions") }.count == 1)
    }
}
