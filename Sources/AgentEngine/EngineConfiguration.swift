import AgentCore
import FoundationEssentials

/// Prices one request's usage: the cost in USD (`nil` when unknown) and the source's name.
public typealias UsagePricer = @Sendable (_ provider: String, _ model: String, _ usage: TokenUsage)
    -> (cost: Decimal?, source: String?)

/// How the engine runs turns: the tools it offers, what needs approval, where the
/// conversation is saved and how usage is priced.
public struct EngineConfiguration: Sendable {
    /// The system prompt (see `SystemPrompt.build`); `nil` sends none.
    public var systemPrompt: String?
    /// The tools the model may call; `nil` offers none.
    public var tools: (any ToolExecutor)?
    public var policy: ApprovalPolicy
    /// Requests per turn before the engine stops the loop.
    public var maxSteps: Int
    public var recorder: (any SessionRecorder)?
    public var pricer: UsagePricer?
    /// Whether the model calls tools natively: `true`/`nil` send tools on the wire (and fall
    /// back to the prompt form if the server says it does not support tools); `false` uses
    /// the prompt fallback from the start.
    public var nativeTools: Bool?
    /// How often the partial reply is saved while streaming.
    public var draftInterval: Duration
    /// Checked before every request: a message when a budget is reached (the turn ends with
    /// `.refused`), `nil` to go ahead.
    public var budgetGate: (@Sendable () -> String?)?
    /// The configured context window (config `contextWindow`); `nil`: the server's or the
    /// capability table's figure (D123).
    public var contextWindow: Int?
    /// Config `compaction`.
    public var compaction = CompactionSettings()

    public init(systemPrompt: String? = nil, tools: (any ToolExecutor)? = nil, policy: ApprovalPolicy = ApprovalPolicy(),
                maxSteps: Int = AppSettings.defaultMaxSteps, recorder: (any SessionRecorder)? = nil,
                pricer: UsagePricer? = nil, nativeTools: Bool? = nil, draftInterval: Duration = .seconds(1),
                budgetGate: (@Sendable () -> String?)? = nil) {
        self.budgetGate = budgetGate
        self.systemPrompt = systemPrompt
        self.tools = tools
        self.policy = policy
        self.maxSteps = maxSteps
        self.recorder = recorder
        self.pricer = pricer
        self.nativeTools = nativeTools
        self.draftInterval = draftInterval
    }
}
