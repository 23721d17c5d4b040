import FoundationEssentials

/// Spending limits in USD (config `budget`). A `nil` limit is no limit.
public struct Budget: Sendable, Hashable, Codable {
    public var sessionUSD: Decimal?
    public var dailyUSD: Decimal?

    public init(sessionUSD: Decimal? = nil, dailyUSD: Decimal? = nil) {
        self.sessionUSD = sessionUSD
        self.dailyUSD = dailyUSD
    }
}

/// The top-level settings of `agents.config.json` besides the providers.
public struct AppSettings: Sendable, Hashable {
    /// `approvalMode`: how much runs without asking (default `ask`).
    public var approvalMode: ApprovalMode
    /// `alwaysAllow`: tool names that never ask.
    public var alwaysAllow: [String]
    /// `maxSteps`: requests per turn before the engine stops (default 25).
    public var maxSteps: Int
    /// `theme`: the theme name (a file in `themes/` without `.json`).
    public var theme: String?
    /// `pricing`: per-model price overrides, keyed by model id.
    public var pricing: [String: ModelPricing]
    /// `pricingFile`: a LiteLLM `model_prices_and_context_window.json`-format file.
    public var pricingFile: String?
    /// `budget`: spending limits.
    public var budget: Budget
    /// `permissions`: allow, ask and deny rules.
    public var permissions: PermissionRules = PermissionRules()
    /// `sandbox`: where commands may write and whether they reach the network.
    public var sandbox: SandboxSettings = SandboxSettings()
    /// `passEnv`: variables commands see even when denied or used for a key.
    public var passEnv: [String] = []
    /// `denyEnv`: variables commands never see (`nil`: `EnvironmentPolicy.defaultDeny`).
    public var denyEnv: [String]?
    /// `compaction`: automatic compaction (`auto`, `threshold`, `keepRecentTurns`).
    public var compaction = CompactionSettings()

    public static let defaultMaxSteps = 25

    public init(approvalMode: ApprovalMode = .ask, alwaysAllow: [String] = [], maxSteps: Int = defaultMaxSteps,
                theme: String? = nil, pricing: [String: ModelPricing] = [:], pricingFile: String? = nil,
                budget: Budget = Budget()) {
        self.approvalMode = approvalMode
        self.alwaysAllow = alwaysAllow
        self.maxSteps = maxSteps
        self.theme = theme
        self.pricing = pricing
        self.pricingFile = pricingFile
        self.budget = budget
    }
}
