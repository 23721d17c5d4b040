import AgentCore
import MCPClient
import AgentEngine
import ArgumentParser
import FoundationEssentials
import Pricing

/// `swiftcoder run PROMPT`: one headless turn through the same engine as the TUI.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Send one prompt, let the agent work, and stream the reply to stdout.",
        discussion: """
            The reply goes to stdout; tool activity, errors and a final usage line \
            (tokens in=N out=N cost=$X, or cost=n/a when no price is known) go to stderr. \
            Exit status: 0 on success, 1 on a provider or configuration error, 2 when a tool \
            needed approval that --yes did not give.
            """
    )

    @OptionGroup var options: ProviderOptions

    @Flag(name: .long, help: "Approve every tool call (writes and commands included).")
    var yes = false

    @Flag(name: .long, help: "Print one JSON object per event (JSON Lines) instead of text.")
    var json = false

    @Option(name: .long, help: "Requests per turn before the agent stops (default: maxSteps in the config, else 25).")
    var maxSteps: Int?

    @Argument(help: "The prompt to send.")
    var prompt: String

    mutating func validate() throws {
        if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
        if prompt.allSatisfy(\.isWhitespace) {
            throw ValidationError("empty prompt: say what the agent should do, e.g. swiftcoder run \"explain main.swift\"")
        }
    }

    mutating func run() async throws {
        var setup = try await Setup.loadOrExit(options, requireProvider: true)
        await setup.useFirstAvailable(model: options.model)
        guard let provider = setup.provider else { throw CleanExit.message("no provider", code: 1) }
        var model = try await resolveModel(setup: setup, provider: provider)
        let command = try await expandCustomCommand(setup: setup)
        if let commandModel = command?.model { model = commandModel }
        setup.model = model
        let sessions = SessionController(environment: setup.environment, projectDirectory: setup.currentDirectory)
        await sessions.markSessionsAsRun()
        var recorder: (any SessionRecorder)?
        do {
            recorder = try await sessions.recorder(provider: provider.name, model: model)
            if recorder == nil, case .failure(let failure) = await sessions.open() {
                StandardError.write("swiftcoder: \(failure.message)\n")
            }
        } catch {
            StandardError.write("swiftcoder: sessions are not saved: \(error)\n")
        }
        let (book, pricingProblem) = CostAccounting.book(for: setup.config, environment: setup.environment)
        if let pricingProblem { StandardError.write("swiftcoder: \(pricingProblem)\n") }
        let costs = CostAccounting(book: book, budget: setup.config.settings.budget, providers: [setup.providerConfig].compactMap { $0 })
        if let today = await sessions.spentToday() { costs.setToday(spent: today, day: LocalDay.startOfToday()) }
        let mcp = await startMCPServers(setup)
        let message = try await withMCP(command?.prompt ?? prompt, isCustomCommand: command != nil, mcp: mcp)
        var configuration = EngineFactory.configuration(setup: setup, approveAll: yes, maxSteps: maxSteps,
                                                        recorder: recorder, pricer: costs.price, mcp: mcp)
        configuration.budgetGate = costs.refusal
        let engine = AgentEngine(provider: provider, model: model, configuration: configuration)
        let events = await engine.subscribe()
        let printer = RunPrinter(json: json)
        if let tools = command?.tools {
            await engine.restrictNextTurn(TurnRestriction(tools: tools, rules: command?.rules ?? []))
        }
        let interrupt = RunInterrupt { await engine.cancel(turn: 1) }
        await engine.submit(turn: 1, prompt: message)
        var status: Int32 = 1
        loop: while let batch = await events.next() {
            for event in batch {
                printer.print(event)
                switch event {
                case .approvalNeeded(let turn, _, let preview):
                    printer.printApprovalRefusal(preview)
                    await engine.cancel(turn: turn)
                    status = 2
                    break loop
                case .finished: status = 0; break loop
                case .failed, .refused, .cancelled: status = 1; break loop
                default: continue
                }
            }
        }
        await engine.waitForIdle()
        printer.printSummary()
        if interrupt.wasPressed { status = 130 }
        interrupt.end()
        await mcp?.stopAll()
        if status != 0 { throw ExitCode(status) }
    }

    /// The MCP servers, started before the turn (each bounded by its timeout); one that fails
    /// is reported on stderr and the run goes on without its tools. Nil when none is configured.
    private func startMCPServers(_ setup: Setup) async -> MCPServers? {
        let servers = setup.mcpServerSet { StandardError.write("swiftcoder: \($0)\n") }
        guard !servers.entries.isEmpty else { return nil }
        await servers.start()
        for entry in servers.entries {
            if case .failed(let why) = entry.status {
                StandardError.write("swiftcoder: MCP server \(entry.config.name) failed: \(why)\n")
            }
        }
        return servers
    }

    /// The configured model, else the first chat model the server lists.
    private func resolveModel(setup: Setup, provider: any LLMProvider) async throws -> String {
        if let configured = setup.model { return configured }
        let listed: [ModelInfo]
        do throws(ProviderError) {
            listed = try await provider.listModels()
        } catch {
            throw CleanExit.message(error.description, code: 1)
        }
        guard let first = listed.preferredChatModel else {
            throw CleanExit.message("provider \"\(provider.name)\" lists no models: pass --model", code: 1)
        }
        return first.id
    }
}
