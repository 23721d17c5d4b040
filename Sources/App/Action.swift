import AgentCore
import FoundationEssentials
import TerminalUI

/// Everything that can change the app's state.
public enum Action: Sendable, Hashable {
    case key(KeyEvent)
    case resize(TerminalSize)
    /// What the engine published about a turn, as it published it (the reducer drops events
    /// of a turn it no longer shows: the one place turn ids are filtered).
    case turn(EngineEvent)
    case connection(ConnectionStatus)
    /// The active provider listed its models (the first becomes the model when none is set).
    case modelsListed([ModelInfo])
    /// A provider became active (for example a local server found on its default port).
    case providerChanged(ActiveProvider, notice: String?)
    /// A signal asked the app to quit (SIGINT/SIGTERM/SIGHUP from outside).
    case quitRequested
    /// The window for a second Ctrl-C (armed as `arm`) has passed.
    case quitDisarmed(arm: Int)
    /// The providers the app knows (configured and detected), replacing the list.
    case providersListed([ProviderListing])
    /// One provider's model list arrived (or failed).
    case providerModels(name: String, ModelListing)
    /// Earlier sessions for the resume picker.
    case sessionsListed([SessionRow])
    /// A read-only report to show (the `/usage` breakdown).
    case report(title: String, lines: [String])
    /// A line for the chat pane (an export done, a theme changed, a problem).
    case info(String, isError: Bool)
    /// What a running `!command` printed since the last such action (throttled at the source).
    case shellOutput(entryID: Int, String)
    /// A `!command` ended.
    case shellFinished(entryID: Int, ToolOutput)
    /// Saved input history, loaded at start.
    case historyLoaded([String])
    /// Theme names available to /theme, and the active one.
    case themes(active: String, available: [String])
    /// Loading a session failed (or there was none); the message says why.
    case resumeFailed(String)
    /// The approval for this call has been on screen long enough to be answered.
    case approvalArmed(callID: String)
    /// The budgets' state, for the meter's colour (and a warning line when it changes).
    case budget(BudgetLevel)
    /// The answer to a `/budget` command (`summary`) and the budgets' level after it: one
    /// notice, whatever the level became.
    case budgetReport(summary: String, BudgetLevel)
    /// A resumed session's conversation and its earlier cost.
    case conversationLoaded(ResumedSession)
    /// A page of a resumed session's older messages, read as the user scrolled up (D73).
    case olderMessagesLoaded(OlderMessages)
    /// Problems to show above the chat (theme files, configuration), appended.
    case notices([String])
    /// What is known of the active model (its context window, tools, prices).
    case activeModel(ModelInfo?)
    /// Every cell must be drawn again (a theme changed every style).
    case redraw
    /// Seconds the turn's current request has streamed since its first token (the runtime's
    /// clock), for the meter's live rate.
    case streamProgress(turn: Int, seconds: Double)
    /// No text has come for the current request of `turn` for `seconds` (at least
    /// `StreamClock.stallAfter`): the meter says so instead of the last rate.
    case streamStalled(turn: Int, seconds: Int)
    /// Favourite and recent models read at startup.
    case modelPrefsLoaded(ModelPrefs)
    /// The MCP servers' status changed (one started, failed, listed new tools).
    case mcpServers([MCPServerLine])
    /// What the last frame found out about the layout: how far the chat can scroll and the
    /// newest tool call on screen. Changes no pixels, so it asks for no frame.
    case frameDrawn(scrollLimit: Int?, visibleToolEntryID: Int?)
    /// The session's earlier user messages for `/rewind`'s picker, newest first.
    case rewindPoints([RewindPoint])
    /// `/rewind` took the conversation back to `messages`; `prompt` (the message rewound to)
    /// goes back into the input line, and `report` says what else was restored.
    case conversationRewound(messages: [ChatMessage], prompt: String, report: String)
    /// The external commands found (custom command files), with problems to show once (D145).
    case externalCommandsLoaded([ExternalCommand], problems: [String])
    /// An external command's `` !`command` `` waits for the user's answer in the approval box.
    case commandApprovalNeeded(callID: String, ToolPreview)
    /// An external command expanded: send `prompt` (with the command's model and tools).
    case externalCommandExpanded(ExpandedCommand)
    /// A message's `@SERVER:URI` resource could not be read: `message` was not sent and goes
    /// back into an empty input line.
    case attachmentFailed(message: String, reason: String)
    /// An external command was not sent: refused, not approved, failed or stopped (`reason`).
    case externalCommandNotSent(reason: String)
}

/// Work the reducer asks the outside world to do; results come back as actions.
public enum Effect: Sendable, Hashable {
    /// Send `prompt` as a new user message and stream the reply under `turn`.
    case submit(turn: Int, prompt: String, model: String)
    case cancel(turn: Int)
    /// The user's answer to a tool approval.
    case answer(callID: String, ApprovalAnswer)
    /// Use `model` on `provider` from the next request.
    case switchModel(provider: String, model: String)
    /// List these providers' models again.
    case refreshModels(providers: [String])
    case setApprovalMode(ApprovalMode)
    case setTheme(String)
    /// Start a new conversation and session.
    case newConversation
    case listSessions
    /// `/sessions --all`: with the sessions `swiftcoder run` made.
    case listAllSessions
    case resumeSession(Int64)
    /// Build the `/usage` report.
    case loadUsage
    /// `/permissions`: list the rules in force (the answer comes back as `.info`).
    case showPermissions
    /// Read the page of the resumed session's messages before this stored position.
    case loadOlder(before: Int64)
    /// Write the conversation as markdown (`nil`: a name in the working directory).
    case export(path: String?)
    /// Stores the favourite and recent models (`models.json`).
    case saveModelPrefs(ModelPrefs)
    /// `/export full [file]`: every message ever said in the session, before any compaction.
    case exportFull(path: String?)
    /// `/compact [instructions]` (`undo`: restore the conversation before the last compaction);
    /// the result comes back as `.info`.
    case compact(instructions: String?, undo: Bool)
    /// `/undo`: revert the last turn's file changes; the answer comes back as `.info`.
    case undoFiles
    /// `/rewind`: list the points to go back to (the answer is `.rewindPoints`).
    case listRewindPoints
    /// Go back to just before `point`'s message: the conversation, the files, or both.
    case rewind(RewindPoint, RewindScope)
    /// `/context`: the next request's size by part; the answer comes back as `.info`.
    case showContext
    /// Run `command` for a `!` line; the result comes back as `.shellFinished`.
    case runShell(entryID: Int, command: String)
    /// Stop that `!` command (its process group); its result still comes back.
    case cancelShell(entryID: Int)
    /// Append a sent line to the persisted history.
    case recordHistory(String)
    /// `/budget`: show the budgets, override them for the session, or set a limit.
    case budget(BudgetRequest)
    /// Expand and send `/name arguments`, an external command (D145); the prompt comes back
    /// as `.externalCommandExpanded`, a refusal as `.externalCommandNotSent`.
    case runExternalCommand(name: String, arguments: String)
    /// Stop the external command being expanded (its running `!` command's process group);
    /// `.externalCommandNotSent` follows.
    case cancelExternalCommand
    /// Read the resources `mentions` name and send `message` with them attached; the result
    /// comes back as `.externalCommandExpanded`, a failure as `.attachmentFailed`.
    case attachResources(message: String, mentions: [MCPResourceMention])
    /// The answer to a `.commandApprovalNeeded` (true: run it).
    case answerCommandApproval(callID: String, approved: Bool)
    /// The next turn's tools are only these, and these rules pre-approve calls (`allowed-tools`).
    case restrictNextTurn(tools: Set<String>, rules: [PermissionRule])
    case quit
    /// Send `.quitDisarmed(arm:)` after `Reducer.quitArmWindow` (a first Ctrl-C when idle).
    case disarmQuit(arm: Int)
}

/// How close the spend is to the budgets (the meter's colour: `meter`, `meterOk`,
/// `meterWarn`, `meterOver`).
public enum BudgetLevel: Sendable, Hashable {
    /// No budget is set.
    case ok
    /// A budget is set and the spend is below 80% of it.
    case within
    /// At or over 80% of a limit; the text says which.
    case warning(String)
    /// A limit is reached: requests are refused until raised or overridden.
    case exceeded(String)
    /// A limit is reached but `/budget override` lets requests through for this session; the
    /// meter stays in the over-budget colour and says so.
    case overridden(String)
}

/// What `/budget` asked for.
public enum BudgetRequest: Sendable, Hashable {
    case status
    case override
    case setSession(Decimal)
    case setDaily(Decimal)
}

/// A saved session as the app reopens it.
public struct ResumedSession: Sendable, Hashable {
    public var messages: [ChatMessage]
    /// Indexes of messages the previous run was still writing when it stopped.
    public var interrupted: Set<Int>
    /// Tokens and cost of the session's earlier requests.
    public var priorUsage: TokenUsage
    public var priorCost: CostTotal
    /// Where older messages, left in the database, start (`nil`: all are loaded).
    public var older: OlderHistory?

    public init(messages: [ChatMessage], interrupted: Set<Int> = [], priorUsage: TokenUsage = TokenUsage(),
                priorCost: CostTotal = CostTotal(), older: OlderHistory? = nil) {
        self.older = older
        self.messages = messages
        self.interrupted = interrupted
        self.priorUsage = priorUsage
        self.priorCost = priorCost
    }
}

/// What `/rewind` restores (D133).
public enum RewindScope: String, Sendable, Hashable, CaseIterable {
    case conversation
    case files
    case both

    /// The picker's wording.
    public var label: String {
        switch self {
        case .conversation: "Restore the conversation only"
        case .files: "Restore the files only"
        case .both: "Restore the conversation and the files"
        }
    }
}
