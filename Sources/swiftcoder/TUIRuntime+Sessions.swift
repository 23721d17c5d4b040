import AgentCore
import AgentEngine
import AgentTools
import App
import FoundationEssentials
import Pricing
import SessionModel

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
            guard let (stored, usage, info) = try await sessions.resume(id) else {
                send(.resumeFailed("No session \(id)."))
                return
            }
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
                                                    priorUsage: tokens, priorCost: prior)))
            let note = stored.contains { $0.isInterrupted } ? " Its last reply was interrupted." : ""
            send(.info("Resumed session \(id): \(info.title) (\(messages.count) messages).\(note)", isError: false))
            send(.budget(Self.level(of: costs)))
        } catch {
            send(.resumeFailed("Could not resume session \(id): \(error)"))
        }
    }

    func listSessions() {
        Task { [weak self] in
            guard let self else { return }
            do {
                let rows = try await sessions.sessionsHere().map { info in
                    SessionRow(id: info.id, label: "\(SessionListing.timestamp(info.updatedAt, timeZone: .current))  "
                        + "\(info.messageCount) msgs  \(info.model)  \(info.title)")
                }
                send(.sessionsListed(rows))
            } catch {
                send(.info("Could not list sessions: \(error)", isError: true))
            }
        }
    }

    func loadUsageReport() {
        Task { [weak self] in
            guard let self else { return }
            guard let store = await sessions.reportStore() else {
                send(.info("Usage is not available: the session database could not be opened.", isError: true))
                return
            }
            do {
                let current = await sessions.currentID
                var breakdown = try await UsageBreakdown.load(from: store, sessionID: current,
                                                              today: LocalDay.startOfToday(), since: nil, byDay: false)
                if breakdown.session == nil { breakdown.session = [] }  // nothing sent yet
                send(.report(title: "Usage", lines: UsageReport.lines(breakdown)))
            } catch {
                send(.info("Could not read usage: \(error)", isError: true))
            }
        }
    }

    /// `/export`: the conversation as markdown, by default `swiftcoder-<date>.md` here (an
    /// engine job, so it follows the turns sent before it).
    func export(to path: String?) async {
        let messages = await engine.messages
        let target = path ?? "swiftcoder-\(ConversationExport.fileStamp(Date())).md"
        let absolute = target.hasPrefix("/") ? target : setup.currentDirectory + "/" + target
        let text = ConversationExport.markdown(messages, model: state.provider?.model)
        if FileManager.default.createFile(atPath: absolute, contents: Data(text.utf8)) {
            send(.info("Exported \(messages.count) messages to \(absolute).", isError: false))
        } else {
            send(.info("Could not write \(absolute).", isError: true))
        }
    }

    /// `!command`: runs through the run_command tool (same confinement, timeout and cap).
    func runShell(entryID: Int, command: String) {
        let tools = BuiltinTools(projectRoot: setup.currentDirectory)
        Task.detached { [weak self] in
            let arguments = #"{"command": \#(JSONText.quoted(command))}"#
            let output = await tools.execute(ToolCall(id: "shell-\(entryID)", name: "run_command", arguments: arguments))
            self?.send(.shellFinished(entryID: entryID, output))
        }
    }

    func loadHistory() {
        guard let history else { return }
        Task.detached { [weak self] in
            let entries = history.load()
            if !entries.isEmpty { self?.send(.historyLoaded(entries)) }
        }
    }
}
