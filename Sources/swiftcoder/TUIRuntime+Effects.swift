import AgentCore
import AgentEngine
import AgentTools
import App
import AppRuntime
import FoundationEssentials
import Pricing
import Providers
import SessionModel

extension TUIRuntime {
    /// Runs the effects `AppRuntime` leaves to the app (all but the engine's). Slow work
    /// goes to tasks or the engine queue, so input and drawing stay live.
    func perform(_ effect: Effect, _ runtime: AppRuntime) {
        switch effect {
        case .switchModel(let provider, let model):
            switchModel(provider: provider, model: model)
            saveModelPrefs(state.modelPrefs)  // the reducer put the model first among the recents
        case .saveModelPrefs(let prefs): saveModelPrefs(prefs)
        case .refreshModels(let names): refreshModels(names)
        case .setTheme(let name): applyTheme(named: name)
        case .budget(let request): handleBudget(request)
        case .newConversation:
            let (costs, sessions, engine) = (self.costs, self.sessions, self.engine)
            enqueue {
                costs.startSession(spent: 0)
                await sessions.startNew()
                await engine.reset(recorder: nil)
            }
        case .listSessions: listSessions()
        case .listAllSessions: listSessions(includeRuns: true)
        case .resumeSession(let id): enqueue { [weak self] in await self?.resume(id) }
        case .loadUsage: loadUsageReport()
        case .showPermissions: showPermissions()
        case .loadOlder(let before): loadOlder(before: before)
        case .export(let path): enqueue { [weak self] in await self?.export(to: path) }
        case .exportFull(let path): enqueue { [weak self] in await self?.export(to: path, full: true) }
        case .showContext:
            let engine = self.engine
            enqueue { [weak self] in self?.send(.info(await engine.contextBreakdown(), isError: false)) }
        case .compact(let instructions, let undo):
            let engine = self.engine
            enqueue { [weak self] in
                let report = undo ? await engine.undoCompaction() : await engine.compactNow(instructions: instructions)
                self?.send(.info(report, isError: report.hasPrefix("could not")))
            }
        case .undoFiles: undoFiles()
        case .listRewindPoints: listRewindPoints()
        case .rewind(let point, let scope): rewind(to: point, scope)
        case .runShell(let entryID, let command): runShell(entryID: entryID, command: command)
        case .cancelShell(let entryID): shellTasks[entryID]?.cancel()
        case .recordHistory(let line): history?.append(line)
        case .runExternalCommand(let name, let arguments): runCustomCommand(name, arguments: arguments)
        case .cancelExternalCommand: expansion?.cancel()
        case .attachResources(let message, let mentions): attachResources(mentions, to: message)
        case .answerCommandApproval(let callID, let approved): commandApprovals.removeValue(forKey: callID)?.resume(returning: approved)
        case .restrictNextTurn(let tools, let rules):
            let engine = self.engine
            enqueue { await engine.restrictNextTurn(TurnRestriction(tools: tools, rules: rules)) }
        case .submit, .cancel, .answer, .setApprovalMode, .quit, .disarmQuit: break // run by AppRuntime
        }
    }

    /// Creates the session (and its recorder) when the first message of a conversation is
    /// sent; says so once when sessions cannot be saved.
    func ensureRecorder(provider: String, model: String) async {
        guard await !engine.isRecording else { return }
        do {
            if let recorder = try await sessions.recorder(provider: provider, model: model) {
                await engine.setRecorder(recorder)
            } else if case .failure(let failure) = await sessions.open(), !warnedUnsaved {
                warnedUnsaved = true
                send(.info("This conversation is not saved: \(failure.message)", isError: true))
            }
        } catch {
            send(.info("The session could not be saved: \(error)", isError: true))
        }
    }

    // MARK: Providers and models

    static func listing(_ config: ProviderConfig) -> ProviderListing {
        ProviderListing(name: config.name, kind: config.kind.rawValue, baseURL: config.displayBase,
                        defaultModel: config.defaultModel, outputLimits: config.outputLimits)
    }

    /// Lists the named providers' models concurrently; each result arrives as an action.
    /// These listings are the availability probes: one attempt, a short connect timeout.
    func refreshModels(_ names: [String]) {
        let configs = names.compactMap { name in allProviders.first { $0.name == name } }
        let makeProbe = setup.providers.probe
        for config in configs {
            Task.detached { [weak self] in
                let provider = makeProbe(config)
                let listing: ModelListing
                do throws(ProviderError) {
                    let listed = try await provider.listModels().map(ModelCapabilities.filling)
                    self?.costs.learn(provider: config.name, models: listed)
                    listing = .loaded(self?.costs.pricing(provider: config.name, models: listed) ?? listed)
                } catch {
                    listing = .failed(error.reason)
                }
                self?.send(.providerModels(name: config.name, listing))
            }
        }
    }

    /// Configured providers, then detected ones.
    var allProviders: [ProviderConfig] { setup.config.providers + detected }

    /// Probes the default ports of local servers; any found (and not configured) joins the
    /// list, and becomes active when nothing is configured.
    func detectLocalServers() {
        guard !setup.isDemo else { return }
        let router = setup.router
        Task.detached { [weak self] in
            let found = await LocalServers.detect(router)
            guard !found.isEmpty else { return }
            await self?.addDetected(found)
        }
    }

    private func addDetected(_ found: [ProviderConfig]) async {
        detected = found
        found.forEach(costs.learn(provider:))
        let listings = allProviders.map(Self.listing).map { listing in
            var listing = listing
            listing.detected = detected.contains { $0.name == listing.name }
            return listing
        }
        dispatch(.providersListed(listings))
        refreshModels(found.map(\.name))
        for config in found { probeAnswers[config.name] = true } // they answered the detection probe
        if setup.providerConfig == nil, let first = found.first {
            choosesProviderByProbes = false
            setup.use(first)
            guard let provider = setup.provider else { return }
            await engine.use(provider: provider, model: setup.model, nativeTools: EngineFactory.nativeTools(model: setup.model))
            dispatch(.providerChanged(
                ActiveProvider(name: first.name, kind: first.kind.rawValue, baseURL: provider.baseURL,
                               model: setup.model, connection: .online(modelCount: first.models.count)),
                notice: "Found \(first.kind.rawValue) running at \(provider.baseURL): using it. "
                    + "Add it to agents.config.json to keep this choice."))
        } else {
            chooseProviderIfDecided()
        }
    }

    /// Points the engine at `model` on `provider` for the next request.
    private func switchModel(provider name: String, model: String) {
        choosesProviderByProbes = false
        guard let config = allProviders.first(where: { $0.name == name }) else { return }
        setup.use(config, model: model)
        guard let provider = setup.provider else { return }
        let listed = state.providers.first { $0.name == name }?.loadedModels.first { $0.id == model }
        if listed == nil {
            // An unlisted model (`/model ID`): its price comes from the same book the engine
            // charges with, so the sidebar and the meter agree (issue 14, bug 15).
            send(.activeModel(costs.pricing(provider: name, models: [ModelCapabilities.filling(ModelInfo(id: model))]).first))
        }
        let native = listed?.supportsTools ?? EngineFactory.nativeTools(model: model)
        let (engine, sessions) = (self.engine, self.sessions)
        let windows = (configured: config.contextWindow, reported: listed?.contextWindow)
        enqueue {
            await engine.use(provider: provider, model: model, nativeTools: native)
            await engine.setWindows(configured: windows.configured, reported: windows.reported)
            await sessions.switched(provider: name, model: model)
        }
    }
}

extension TUIRuntime {
    /// The budgets as the meter shows them.
    func budgetLevel() -> BudgetLevel {
        Self.level(of: costs)
    }

    /// The budgets' state for the meter: no budget, within one, warning, reached, or reached and
    /// overridden (still the over-budget colour, with a marker).
    nonisolated static func level(of costs: CostAccounting) -> BudgetLevel {
        switch costs.status {
        case .ok: costs.hasLimits ? .within : .ok
        case .warning(let scope, let fraction):
            .warning("\(scope.rawValue.capitalized) budget \(DecimalText.rounded(fraction * 100, places: 0))% used. "
                + "\(costs.summary).")
        case .exceeded(let exceeded): .exceeded(exceeded.message)
        case .overridden(let exceeded): .overridden(exceeded.message)
        }
    }

    func handleBudget(_ request: BudgetRequest) {
        switch request {
        case .status: break
        case .override: costs.override()
        case .setSession(let amount): costs.setLimit(session: amount, daily: nil)
        case .setDaily(let amount):
            costs.setLimit(session: nil, daily: amount)
            loadTodaySpend(force: true)
        }
        let note = request == .override ? "Budget overridden for this session. " : ""
        dispatch(.budgetReport(summary: note + costs.summary + ".", budgetLevel()))
    }

    /// Today's spend across sessions, so the daily budget counts earlier runs. Only with a
    /// daily budget: otherwise the database is not opened before the first message.
    func loadTodaySpend(force: Bool = false) {
        guard force || setup.config.settings.budget.dailyUSD != nil else { return }
        Task { [weak self] in
            guard let self, let today = await sessions.spentToday() else { return }
            costs.setToday(spent: today, day: LocalDay.startOfToday())
            send(.budget(budgetLevel()))
        }
    }
}
