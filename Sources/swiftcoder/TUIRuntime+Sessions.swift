import AgentCore
import AgentEngine
import AgentTools
import App
import FoundationEssentials
import Pricing
import SessionModel
import Synchronization

extension TUIRuntime {
    /// `--continue` / `--resume ID` at start, queued before any message can be sent.
    func restoreSession() {
        switch start {
        case .fresh: return
        case .resume(let id): enqueue { [weak self] in await self?.resume(id) }
        case .continueLatest:
            let sessions = self.sessions
            enqueue { [weak self] in
                do {
                    if let latest = try await sessions.latest() {
                        await self?.resume(latest.id)
                    } else {
                        self?.send(.resumeFailed("No earlier session in this directory; starting a new one."))
                    }
                } catch {
                    self?.send(.resumeFailed("Could not read sessions: \(error)"))
                }
            }
        }
    }

    /// Loads session `id` into the engine and then the screen. Runs as an engine job, so a
    /// message sent meanwhile follows it (the reducer queues it until the session is loaded).
    nonisolated func resume(_ id: Int64) async {
        do {
            guard let (page, usage, info, forkedFrom) = try await sessions.resume(id) else {
                send(.resumeFailed("No session \(id)."))
                return
            }
            let stored = page.messages
            let messages = stored.map(\.message)
            await engine.reset(recorder: nil)
            await engine.load(messages)
            if let recorder = try await sessions.recorder(provider: info.provider, model: info.model) {
                await engine.setRecorder(recorder)
            }
            costs.startSession(spent: usage.cost)
            var prior = CostTotal()
            prior.requests = usage.requests
            prior.unpriced = usage.unpricedRequests
            prior.amount = usage.cost
            prior.isEstimate = usage.estimatedRequests > 0 && usage.unpricedRequests < usage.requests
            let tokens = TokenUsage(inputTokens: usage.inputTokens, outputTokens: usage.outputTokens,
                                    cachedInputTokens: usage.cachedInputTokens,
                                    cacheWriteTokens: usage.cacheWriteTokens, reasoningTokens: usage.reasoningTokens,
                                    isEstimate: usage.estimatedRequests > 0)
            let interrupted = Set(stored.indices.filter { stored[$0].isInterrupted })
            send(.conversationLoaded(ResumedSession(messages: messages, interrupted: interrupted,
                                                    priorUsage: tokens, priorCost: prior,
                                                    older: Self.older(page))))
            let note = stored.contains { $0.isInterrupted } ? " Its last reply was interrupted." : ""
            let shown = page.hasOlder ? "\(info.messageCount) messages, the last \(messages.count) loaded" : "\(messages.count) messages"
            if let forkedFrom {
                send(.info("Session \(forkedFrom) is open in another swiftcoder; continuing in a copy, session "
                    + "\(info.id): \(info.title) (\(shown)).\(note)", isError: false))
            } else {
                send(.info("Resumed session \(id): \(info.title) (\(shown)).\(note)", isError: false))
            }
            send(.budget(Self.level(of: costs)))
        } catch {
            send(.resumeFailed("Could not resume session \(id): \(error)"))
        }
    }

    func listSessions(includeRuns: Bool = false) {
        Task { [weak self] in
            guard let self else { return }
            do {
                let found = try await sessions.sessionsHere(includeRuns: includeRuns)
                let rows = zip(found, SessionListing.labels(found)).map { SessionRow(id: $0.id, label: $1) }
                send(.sessionsListed(rows))
            } catch {
                send(.info("Could not list sessions: \(error)", isError: true))
            }
        }
    }

    /// Where older messages start, when the page did not reach the first one.
    nonisolated static func older(_ page: MessagePage) -> OlderHistory? {
        guard page.hasOlder, let first = page.firstPosition else { return nil }
        return OlderHistory(before: first)
    }

    /// Reads the page before `position` as the user scrolls up (D73).
    func loadOlder(before position: Int64) {
        let sessions = self.sessions
        Task.detached { [weak self] in
            do {
                guard let page = try await sessions.olderMessages(before: position) else { return }
                self?.send(.olderMessagesLoaded(OlderMessages(messages: page.messages.map(\.message),
                                                              older: Self.older(page))))
            } catch {
                self?.send(.info("Could not read older messages: \(error)", isError: true))
            }
        }
    }

    /// `/usage`: computed by SQLite on a detached task, off the UI loop; a placeholder is shown
    /// only when it takes longer than a frame, and nothing is kept once the report is closed.
    func loadUsageReport() {
        let sessions = self.sessions
        let work = Task.detached { () -> Action in
            guard let store = await sessions.reportStore() else {
                return .info("Usage is not available: the session database could not be opened.", isError: true)
            }
            do {
                let current = await sessions.currentID
                var breakdown = try await UsageBreakdown.load(from: store, sessionID: current,
                                                              today: LocalDay.startOfToday(), since: nil, byDay: false)
                if breakdown.session == nil { breakdown.session = [] }  // nothing sent yet
                let today = LocalDay.startOfToday()
                let days = try await store.usageByDayAndProviderModel(since: UsageChart.firstDay(today: today))
                return .report(title: "Usage", lines: UsageReport.lines(breakdown) + [""]
                    + UsageChart.lines(days, today: today, style: .blocks))
            } catch {
                return .info("Could not read usage: \(error)", isError: true)
            }
        }
        // The placeholder and the result are sent under one lock, so the placeholder can
        // never replace the report it stands for.
        let race = ReportRace()
        Task { [weak self] in  // on the loop's actor: it looks at what the screen shows
            try? await Task.sleep(for: .milliseconds(16))  // a frame
            var frame = 0
            while let self, race.isPending, frame == 0 || self.showsUsagePlaceholder {
                let line = ReportRace.spinner[frame % ReportRace.spinner.count] + " " + ReportRace.placeholderText
                race.placeholder { self.send(.report(title: "Usage", lines: [line])) }
                frame += 1
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        Task.detached { [weak self] in
            let action = await work.value
            race.result { self?.send(action) }
        }
    }

    /// The usage placeholder is on screen (not closed by the user).
    private var showsUsagePlaceholder: Bool {
        guard case .report("Usage", let lines, _) = state.overlay else { return false }
        return lines.count == 1 && lines[0].hasSuffix(ReportRace.placeholderText)
    }

    /// `/export`: the conversation as markdown, by default `swiftcoder-<date>.md` here (an
    /// engine job, so it follows the turns sent before it).
    func export(to path: String?, full: Bool = false) async {
        let older = (try? await sessions.unloadedMessages()) ?? []  // a long resumed session's start
        var messages = older + (await engine.messages)
        if full, let history = try? await sessions.fullHistory(), !history.isEmpty { messages = history }
        let absolute = ConversationExport.destination(path, currentDirectory: setup.currentDirectory,
                                                      environment: setup.environment, now: Date())
        var models = await sessions.modelsUsed()
        if models.isEmpty, let provider = state.provider, let model = provider.model {
            models = ["\(provider.name)/\(model)"]
        }
        // A key a model or a command echoed never leaves in an export.
        let redactor = SecretRedactor(secrets: setup.config.providers.flatMap(\.secrets))
        let text = redactor.redact(ConversationExport.markdown(messages, models: models))
        let isDefault = path?.isEmpty ?? true
        let failure = ConversationExport.write(text, to: absolute, createFolder: isDefault)
        if let failure {
            send(.info("Could not export to \(absolute): \(failure).", isError: true))
        } else {
            send(.info("Exported \(messages.count) message\(messages.count == 1 ? "" : "s") to \(absolute)"
                + (isDefault ? " (the default folder; /export FILE writes elsewhere)." : "."), isError: false))
        }
    }

    /// `/permissions`: the engine's rules (config and this session's) with their sources.
    func showPermissions() {
        let engine = engine
        let commands = setup.config.commandSettings
        Task { [weak self] in
            let policy = await engine.policy
            self?.send(.info(PermissionReport.text(policy: policy, commands: commands), isError: false))
        }
    }

    /// `!command`: runs through the run_command tool (same confinement, timeout and cap).
    func runShell(entryID: Int, command: String) {
        let tools = EngineFactory.tools(setup: setup)
        let printed: @Sendable (String) -> Void = { [weak self] in self?.send(.shellOutput(entryID: entryID, $0)) }
        shellTasks[entryID] = Task.detached { [weak self] in
            let arguments = #"{"command": \#(JSONText.quoted(command))}"#
            let call = ToolCall(id: "shell-\(entryID)", name: "run_command", arguments: arguments)
            let output = await tools.execute(call, progress: printed)
            self?.send(.shellFinished(entryID: entryID, output))
            await self?.forgetShell(entryID)
        }
    }

    private func forgetShell(_ entryID: Int) {
        shellTasks[entryID] = nil
    }

    /// Reads the favourite and recent models off the UI's path; a corrupt file is a notice.
    func loadModelPrefs() {
        guard let modelPrefs else { return }
        Task.detached { [weak self] in
            let (prefs, warning) = modelPrefs.load()
            if let warning { self?.send(.info(warning, isError: true)) }
            if prefs != ModelPrefs() { self?.send(.modelPrefsLoaded(prefs)) }
        }
    }

    /// Stores the favourite and recent models off the UI's path.
    func saveModelPrefs(_ prefs: ModelPrefs) {
        modelPrefsWriter?.save(prefs)
    }

    func loadHistory() {
        guard let history else { return }
        Task.detached { [weak self] in
            let entries = history.load()
            if !entries.isEmpty { self?.send(.historyLoaded(entries)) }
        }
    }
}

/// Orders a report's placeholder (a spinner) before the report it stands for.
final class ReportRace: Sendable {
    static let spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    static let placeholderText = "Reading the usage ledger…"
    private let finished = Mutex(false)

    /// The report has not been sent yet.
    var isPending: Bool { finished.withLock { !$0 } }

    /// Runs `send` unless the report was sent already.
    func placeholder(_ send: () -> Void) { finished.withLock { if !$0 { send() } } }

    /// Marks the report sent and runs `send`, under the same lock.
    func result(_ send: () -> Void) {
        finished.withLock {
            $0 = true
            send()
        }
    }
}
