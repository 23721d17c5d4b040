import AgentCore
import TerminalUI

/// One item in the chat pane.
public struct ChatEntry: Sendable, Hashable, Identifiable {
    public enum Kind: Sendable, Hashable { case user, assistant, tool, error, notice }
    public enum Status: Sendable, Hashable {
        case complete, streaming, cancelled, failed
        /// A resumed reply that did not finish: cancelled, cut off, or saved while streaming by a
        /// run that stopped (a crash, a kill).
        case interrupted
    }

    public var id: Int
    public var kind: Kind
    public var text: String
    public var status: Status
    /// For `.tool` entries: the call and, once it ended, its result.
    public var tool: ToolActivity?
    /// For `.assistant` entries: the model's reasoning, shown dimmed above the reply.
    public var reasoning = ""
    /// Whether the reasoning shows in full (Ctrl-T) or as one summary line.
    public var reasoningExpanded = false
    /// Bumped on every change that alters how the entry is drawn (besides its text).
    public var revision = 0

    public init(id: Int, kind: Kind, text: String, status: Status = .complete, tool: ToolActivity? = nil) {
        self.id = id
        self.tool = tool
        self.kind = kind
        self.text = text
        self.status = status
    }
}

/// One tool call as the chat pane shows it: a line (name, key argument, result summary)
/// that expands to the preview and the full output.
public struct ToolActivity: Sendable, Hashable {
    public enum Phase: Sendable, Hashable {
        case waiting, awaitingApproval, done
        /// The turn was cancelled before the call ended; `liveOutput` keeps what it printed.
        case cancelled
    }
    public var callID: String
    public var name: String
    public var keyArgument: String
    /// The diff or command line shown for approval.
    public var preview: String
    public var phase: Phase = .waiting
    public var output: ToolOutput?
    /// What the call printed while running (`.toolOutput`), the newest
    /// `EngineEvent.liveOutputLimit` bytes; replaced in view by `output` once it ends.
    public var liveOutput = ""
    public var expanded = false

    public init(callID: String, name: String, keyArgument: String, preview: String = "") {
        self.callID = callID
        self.name = name
        self.keyArgument = keyArgument
        self.preview = preview
    }
}

/// A tool call waiting for the user's answer, shown as an overlay.
public struct PendingApproval: Sendable, Hashable {
    public var turn: Int
    public var callID: String
    public var preview: ToolPreview
    /// After `n`: the reason being typed (sent to the model with the denial).
    public var reason: InputLine?
    /// Lines of the preview scrolled past.
    public var scroll = 0
    /// False for a moment after the request arrives (until `.approvalArmed`), so keys
    /// typed for the next message cannot answer a question the user has not seen yet;
    /// meanwhile they go to the input line.
    public var armed = false

    public init(turn: Int, callID: String, preview: ToolPreview) {
        self.turn = turn
        self.callID = callID
        self.preview = preview
    }
}

/// What the app knows about the active provider's reachability.
public enum ConnectionStatus: Sendable, Hashable {
    case unknown
    case checking
    case online(modelCount: Int)
    case offline(reason: String)
}

/// The provider and model requests go to, as shown in the sidebar.
public struct ActiveProvider: Sendable, Hashable {
    public var name: String
    public var kind: String
    public var baseURL: String
    public var model: String?
    public var connection: ConnectionStatus

    public init(name: String, kind: String, baseURL: String, model: String?, connection: ConnectionStatus = .unknown) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.model = model
        self.connection = connection
    }
}

/// The turn in flight, if any.
public struct RunningTurn: Sendable, Hashable {
    public var id: Int
    /// The assistant entry receiving the streamed text (a new one starts after tool calls).
    public var entryID: Int
    /// True once a tool call followed the current assistant entry: the next text opens a new one.
    public var needsNewEntry = false
    public var firstTokenSeen = false
    /// Seconds from Enter to the first token, once seen.
    public var firstTokenSeconds: Double?
    /// Output streamed by the current request, for the `~` estimate until its usage arrives:
    /// the engine's running estimate carried by `.text`/`.reasoning` (the one estimate, D180,
    /// also recorded when the server reports no usage, so the figure does not jump).
    public var streamedTokens = 0
    /// Estimated tokens added to the conversation since the last request ended (the prompt,
    /// tool results): what the next request sends beyond the previous request's context.
    public var pendingInputTokens = 0
    /// The provider's latest word on this turn (a retry, say), shown in the meter.
    public var notice: String?
    /// Seconds the current request has streamed so far (`Action.streamProgress`); nil between
    /// requests.
    public var requestStreamingSeconds: Double?
    /// Whole seconds since the current request's last text, once it has been quiet long
    /// enough to say so (`Action.streamStalled`); nil while text comes and between requests.
    public var stalledSeconds: Int?
}

/// Token counts shown by the meter.
public struct UsageMeter: Sendable, Hashable {
    /// Usage of the last turn as the server reported it: the sum over its requests (nil until
    /// the first usage arrives).
    public var lastTurn: TokenUsage?
    /// The last finished request's usage, kept across turns: every request resends the whole
    /// conversation, so its input plus output is the context in use (not the turn's sum).
    public var lastRequest: TokenUsage?
    /// The engine's context figure (D135), the bar's number: the same value `/context`
    /// prints and automatic compaction compares with its limit. Kept across turns, cancels
    /// and failures; replaced by each `.context` event.
    public var context: ContextFigure?
    /// The last compaction, shown beside the bar until the next message is sent (D136).
    public var lastCompaction: CompactionSummary?
    /// Sum over the session's reported usage.
    public var session = TokenUsage()
    /// Output tokens of the turn's requests that reported how long they streamed.
    public var streamedOutputTokens = 0
    /// Seconds those requests spent streaming (first token to end), tool runs and approval
    /// waits excluded.
    public var streamingSeconds = 0.0
    /// Time to first token of the last turn, in seconds.
    public var firstTokenSeconds: Double?
    /// The budgets' state (the meter's colour: ok, warning at 80%, over at 100%).
    public var budget: BudgetLevel = .ok
    /// Cost of the running or last turn's requests.
    public var turnCost = CostTotal()
    /// Cost of every request of the session, a resumed session's earlier ones included;
    /// kept as a running total so drawing the meter costs the same at request 2,000 as at 2.
    public var sessionCost = CostTotal()
    /// The turn the user cancelled last: a request of it that ends after the cancel was still
    /// billed, so its record still counts (D47).
    public var cancelledTurn: Int?
    /// Whether the cancelled turn's unfinished request had its usage counted already.
    public var cancelledRequestCounted = false
    /// True when a `.usage` arrived after the turn's last `.request`: the request being
    /// streamed has its usage shown already.
    public var usageSinceLastRequest = false

    /// Output tokens per second of generation in the last turn (each request from its first
    /// token to its end), when measurable.
    public var tokensPerSecond: Double? {
        guard streamingSeconds >= Self.minimumMeasuredSeconds, streamedOutputTokens > 0 else { return nil }
        return Double(streamedOutputTokens) / streamingSeconds
    }

    /// Below this much generation time a rate says nothing about the model: a reply that
    /// arrived in one burst (a buffering proxy, a cached answer) would show tens of thousands
    /// of tokens per second.
    public static let minimumMeasuredSeconds = 0.2
}

/// Everything the screen shows. Pure data: the reducer changes it, views draw it.
public struct AppState: Sendable {
    public var size: TerminalSize
    public var entries: [ChatEntry] = []
    /// Entries dropped from the front of a long chat, and the id of the notice saying so (D137).
    public var droppedEntries = 0
    var droppedEntriesNoticeID: Int?
    public var input = InputLine()
    /// `nil` when no provider is configured: the chat pane shows how to set one up.
    public var provider: ActiveProvider?
    /// Lines of help shown when no provider is configured.
    public var setupHelp: [String] = []
    /// Configuration problems to show (unavailable providers and the like).
    public var notices: [String] = []
    public var turn: RunningTurn?
    /// What is drawn over the chat, bottom-up (a panel, the approval box): see
    /// `OverlayLayer`; `overlay` and `approval` read and write it.
    public var layers: [any OverlayLayer] = []
    /// Every provider (configured and detected) with its model list.
    public var providers: [ProviderListing] = []
    /// Configured providers that cannot be used, with why (an unset `${VAR}`): listed greyed.
    public var unavailableProviders: [UnavailableProvider] = []
    /// The configured MCP servers as the sidebar lists them.
    public var mcpServers: [MCPServerLine] = []
    /// What is known of the active model (context window, tools, prices).
    public var activeModel: ModelInfo?
    /// `nil`: the sidebar shows at 100 columns or more; otherwise the user's choice (F2).
    public var sidebarShown: Bool?
    /// Favourite and recent models, on top of the picker.
    public var modelPrefs = ModelPrefs()
    /// Messages typed while a turn ran, sent in order when it finishes.
    public var queued: [String] = []
    /// A saved session is being loaded: messages typed meanwhile are queued.
    public var resuming = false
    /// A message's `@SERVER:URI` resources are being read: messages typed meanwhile are queued.
    public var attaching = false
    /// The external command being expanded (files read, `!` commands run): Esc stops it, and
    /// messages typed meanwhile are queued.
    public var expandingCommand: String?
    /// A new message now would not be sent at once (a turn runs, a session loads, resources
    /// are read, a command expands): it is queued, and a command waits.
    public var isBusy: Bool { turn != nil || resuming || attaching || expandingCommand != nil }
    /// Older messages of a resumed session not loaded yet (D73).
    public var olderHistory: OlderHistory?
    /// Long pastes behind `[pasted N lines #k]` chips in the input.
    public var pastes: [String] = []
    /// Commands from custom command files (D145); a built-in's name is never among them.
    public var customCommands: [ExternalCommand] = []
    /// Commands from outside the table: the custom commands, then the ready MCP servers'
    /// prompts whose name no custom command has (the file the user wrote wins).
    public var externalCommands: [ExternalCommand] {
        let prompts = mcpServers.flatMap(\.prompts)
        guard !prompts.isEmpty else { return customCommands }
        let taken = Set(customCommands.map { $0.name.lowercased() })
        return customCommands + prompts.filter { !taken.contains($0.name.lowercased()) }
    }
    public var history = InputHistory()
    public var approvalMode: ApprovalMode = .ask
    public var themeName = "default-dark"
    public var themeNames: [String] = []
    public var meter = UsageMeter()
    /// Lines scrolled up from the tail of the chat; 0 follows new text.
    public var scrollOffset = 0
    /// The largest useful `scrollOffset` (the top of the conversation is in view), when the
    /// last frame reached the top; `nil` when it did not. The shell copies it from
    /// `FrameRenderer.scrollLimit` after each frame so scrolling stops at the top instead of
    /// piling up steps that scrolling back down must first undo.
    public var scrollLimit: Int?
    /// The newest tool entry on screen in the last frame, copied from
    /// `FrameRenderer.visibleToolEntryID` after each frame: Ctrl-O expands that one, so any
    /// tool call can be opened by scrolling to it.
    public var visibleToolEntryID: Int?
    public var shouldQuit = false
    /// A first Ctrl-C when idle armed quitting (this arm's number): a second one within
    /// `Reducer.quitArmWindow` quits; any other key or the window passing disarms.
    public var quitArmed: Int?
    var nextQuitArm = 1
    /// Increases on every change that needs a new frame.
    public private(set) var revision = 0
    var nextEntryID = 1
    var nextTurnID = 1

    public init(size: TerminalSize, provider: ActiveProvider? = nil, setupHelp: [String] = [], notices: [String] = []) {
        self.size = size
        self.provider = provider
        self.setupHelp = setupHelp
        self.notices = notices
    }

    /// Marks the state as changed (a frame is due).
    mutating func touch() { revision &+= 1 }

    /// Marks the state as changed from outside the reducer (the shell repainting after a
    /// theme change).
    public mutating func touchForRedraw() { touch() }

    /// Appends an entry and returns its id. Past `liveEntryLimit` entries the oldest go (D137).
    @discardableResult
    mutating func append(_ kind: ChatEntry.Kind, _ text: String, status: ChatEntry.Status = .complete,
                         tool: ToolActivity? = nil) -> Int {
        let id = nextEntryID
        nextEntryID += 1
        entries.append(ChatEntry(id: id, kind: kind, text: text, status: status, tool: tool))
        // Never while the user is scrolled back (what they read stays), nor while a resumed
        // session has older pages to offer (they must join what is loaded without a gap).
        if entries.count > Self.liveEntryLimit, scrollOffset == 0, olderHistory == nil { dropOldestEntries() }
        return id
    }

    /// Entries the chat keeps in memory; a longer session keeps its newest `liveEntriesKept`
    /// and a line saying how many older ones are in the session database (D137).
    static let liveEntryLimit = 1_000
    static let liveEntriesKept = 750

    /// Drops the oldest entries down to `liveEntriesKept` (in one step, so the copy is paid
    /// once per 250 entries), behind one notice counting every entry dropped so far.
    private mutating func dropOldestEntries() {
        let notice = entries.first.flatMap { $0.id == droppedEntriesNoticeID ? $0 : nil }
        let old = entries.count - Self.liveEntriesKept
        // Without the notice in front (`/clear`, `/new`, a resume) the count starts again.
        droppedEntries = (notice == nil ? 0 : droppedEntries) + old - (notice == nil ? 0 : 1)
        entries.removeFirst(old)
        let id = nextEntryID
        nextEntryID += 1
        droppedEntriesNoticeID = id
        let text = "\(droppedEntries) older entries are not shown: the session keeps them "
            + "(/export full writes them; --resume pages them back)"
        entries.insert(ChatEntry(id: id, kind: .notice, text: text), at: 0)
        scrollLimit = nil
    }

    /// Index of the entry with `id`, searching from the end (the streaming entry is last).
    func indexOfEntry(_ id: Int) -> Int? {
        entries.lastIndex { $0.id == id }
    }
}
