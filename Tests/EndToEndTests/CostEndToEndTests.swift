import AgentCore
import Foundation
import MockLLMServer
import Pricing
import Testing

/// Costs end to end: prices from the config, the usage ledger across sessions, budgets.
@Suite(.timeLimit(.minutes(5)), .serialized) struct CostEndToEndTests {
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
        let sessions = try Harness.run(["sessions", "--json", "--all"], sandbox: sandbox)
        #expect(sessions.stdout.split(separator: "\n").count == 2)
        let text = try Harness.run(["usage"], sandbox: sandbox)
        #expect(text.stdout.contains("mock/mock-model"))
        #expect(text.stdout.contains("2 req"))
        // Into a pipe the 30-day chart is plain numbers: one line for today's provider.
        #expect(text.stdout.contains("day\tprovider\tcost_usd\ttokens\n"), "\(text.stdout)")
        #expect(text.stdout.split(separator: "\n").contains { $0.contains("\tmock\t") })
    }

    /// The ledger's days are the user's days: 25 hours apart, Kiritimati (UTC+14) and Pago Pago
    /// (UTC-11) never share a date. The release binary carries ICU's time zone data, filtered
    /// to what an English-only app uses (D205), and a Japanese locale changes nothing.
    @Test func theLedgerCountsDaysInTheUsersTimeZone() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "one two three", chunkCount: 3))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try writeConfig(in: sandbox, apiBase: server.baseURL)
        let ran = try Harness.run(["run", "--config", config.path, "hello"], sandbox: sandbox)
        #expect(ran.status == 0, "stderr: \(ran.stderr)")
        var days: [String] = []
        for zone in ["Pacific/Kiritimati", "Pacific/Pago_Pago"] {
            let before = Self.today(in: zone)
            let report = try Harness.run(["usage", "--json"], sandbox: sandbox,
                                         extraEnvironment: ["TZ": zone, "LANG": "ja_JP.UTF-8"])
            let after = Self.today(in: zone)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
            let day = try #require((json["by_day"] as? [[String: Any]])?.first?["day"] as? String, "\(report.stdout)")
            #expect(day == before || day == after, "\(zone): \(day), expected \(before)")
            days.append(day)
        }
        #expect(days[0] != days[1], "\(days)")
    }

    /// Today's date (`yyyy-MM-dd`) in the time zone `identifier`.
    static func today(in identifier: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: identifier)!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
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

extension CostEndToEndTests {
    /// The meter in the app (tmux) against a priced mock model: the estimate while a reply is
    /// held mid-stream, the exact figures once its usage arrives; `/budget override`.
    @Suite(.timeLimit(.minutes(5)), .serialized, .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
    struct InTheApp {
        /// Starts the app on `server` with the priced config (and `budget`); the caller kills the session.
        func start(_ server: MockLLMServer, budget: String = "") throws -> (TmuxSession, URL) {
            let sandbox = try Harness.makeSandbox()
            let config = try CostEndToEndTests().writeConfig(in: sandbox, apiBase: server.baseURL, budget: budget)
            let session = try TUIEndToEndTests().startApp(config: config, sandbox: sandbox)
            try session.waitFor("● online · 1 model", "Type a prompt")
            return (session, sandbox)
        }

        /// The meter row (the one with the session's figures).
        func meterRow(_ session: TmuxSession) -> String? {
            (try? session.screen())?.first { $0.contains("session ") && $0.contains(" · ") && $0.hasPrefix(" turn") }
        }

        /// Waits until the meter row satisfies `condition`; records the row if it never does.
        @discardableResult
        func waitForMeter(_ session: TmuxSession, _ what: String, sourceLocation: SourceLocation = #_sourceLocation,
                          _ condition: (String) -> Bool) -> String? {
            let found = Harness.poll { meterRow(session).map(condition) ?? false }
            if !found { Issue.record("meter never showed \(what): \(meterRow(session) ?? "(none)")", sourceLocation: sourceLocation) }
            return meterRow(session)
        }

        /// The mock's prompt tokens for `request`: words over every message, as it counts them.
        static func promptTokens(_ request: RecordedRequest) throws -> Int {
            try ChatRequestBody(request).messages.reduce(0) { $0 + $1.content.split(separator: " ").count }
        }

        /// `MeterView.compact` for counts below 100k.
        static func compact(_ value: Int) -> String {
            guard value >= 1000 else { return "\(value)" }
            let tenths = Int((Double(value) / 100).rounded())
            return value % 1000 == 0 ? "\(value / 1000)k" : "\(tenths / 10).\(tenths % 10)k"
        }

        @Test func theMeterEstimatesWhileTheReplyIsHeldThenShowsTheExactTokensAndCost() throws {
            // Eight pieces; the gate holds the reply after four ("one two three four ").
            let reply = "one two three four five six seven eight"
            let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: reply, chunkCount: 8))
            defer { server.stop() }
            let (session, _) = try start(server)
            defer { session.kill() }
            try session.type("[[gate]] price this")
            try session.send("Enter")
            try session.waitFor("one two three four")
            #expect(Harness.poll { server.isWaiting() })

            // Output estimated with the shared heuristic, priced at $0.20 an output token.
            let estimate = UsageEstimator.tokens(in: "one two three four ")
            let estimatedCost = MoneyFormat.usd(Decimal(estimate) / 5, estimate: true)
            let held = waitForMeter(session, "~\(estimate) and \(estimatedCost)") {
                $0.hasPrefix(" turn out ~\(estimate) \(estimatedCost) · session out ~\(estimate) \(estimatedCost)")
            }
            #expect(held?.contains("streaming…") == true, "\(held ?? "")")
            #expect(!(try session.screenText().contains("five six")), "the reply went on past the gate")

            server.openGate()
            try session.waitFor(reply)
            let request = try #require(server.requests.first { $0.path.hasSuffix("/chat/completions") })
            let input = try Self.promptTokens(request)
            let cost = MoneyFormat.usd(Decimal(input) / 10 + Decimal(8) / 5)
            let exact = "in \(Self.compact(input)) out 8 \(cost)"
            let final = waitForMeter(session, exact) { $0.hasPrefix(" turn \(exact) · session \(exact)") }
            #expect(final?.contains("~") == false, "\(final ?? "")")
            try session.send("C-d")
        }

        @Test func overTheSessionBudgetARefusedRequestGoesThroughAfterBudgetOverride() throws {
            let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "one two three", chunkCount: 3))
            defer { server.stop() }
            // The first request costs more than $1 (three output tokens alone are $0.60, plus the prompt).
            let (session, _) = try start(server, budget: #", "budget": {"sessionUSD": 1}"#)
            defer { session.kill() }
            try session.type("hello")
            try session.send("Enter")
            try session.waitFor("one two three", "session budget $1.00 reached")
            try session.type("and again")
            try session.send("Enter")
            // The refusal repeats the message the warning line gave after the first reply.
            let refused = Harness.poll {
                ((try? session.screenText()) ?? "").components(separatedBy: "session budget $1.00 reached").count > 2
            }
            #expect(refused, "no refusal: \((try? session.screenText()) ?? "")")
            #expect(server.requests.filter { $0.path.hasSuffix("/chat/completions") }.count == 1, "refused, not sent")
            #expect(try meterIsOverBudget(session), "the meter is in the over-budget colour")

            try session.type("/budget override")
            try session.send("Enter")
            try session.waitFor("Budget overridden for this session.", "budget override · ready")
            // Still over budget: the colour stays, with the marker.
            #expect(try meterIsOverBudget(session))
            try session.type("third message")
            try session.send("Enter")
            #expect(Harness.poll { server.requests.filter { $0.path.hasSuffix("/chat/completions") }.count == 2 },
                    "the request went through after the override")
            try session.waitFor("budget override · ready")
            let last = try #require(server.requests.last)
            #expect(try ChatRequestBody(last).lastUserText == "third message")
            try session.send("C-d")
        }

        /// The meter's left text is drawn in `meterOver` (bold red in the default theme), not
        /// the plain reversed meter.
        func meterIsOverBudget(_ session: TmuxSession) throws -> Bool {
            let grid = StyledGrid(capture: try session.styledScreen())
            guard let row = grid.rows.first(where: { String($0.map(\.character)).hasPrefix(" turn") }),
                  row.count > 2 else { return false }
            return row[1].style.attributes.contains(1) && !row[1].style.attributes.contains(7)
        }
    }
}
