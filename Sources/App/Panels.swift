import AgentCore
import Pricing
import FoundationEssentials

/// What a provider's model list looks like right now.
public enum ModelListing: Sendable, Hashable {
    case notLoaded
    case loading
    case loaded([ModelInfo])
    case failed(String)
}

/// One provider as the sidebar and the model picker show it.
public struct ProviderListing: Sendable, Hashable {
    public var name: String
    public var kind: String
    public var baseURL: String
    /// Found running on its default port rather than configured.
    public var detected: Bool
    /// The configured model, used when switching to this provider.
    public var defaultModel: String?
    public var models: ModelListing
    /// The configured `maxOutputTokens` (shown under the model).
    public var outputLimits: OutputTokenLimits

    public init(name: String, kind: String, baseURL: String, detected: Bool = false, defaultModel: String? = nil,
                models: ModelListing = .notLoaded, outputLimits: OutputTokenLimits = OutputTokenLimits()) {
        self.defaultModel = defaultModel
        self.outputLimits = outputLimits
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.detected = detected
        self.models = models
    }

    /// The listed models, empty unless loaded.
    public var loadedModels: [ModelInfo] {
        if case .loaded(let models) = models { return models }
        return []
    }

    /// The connection its model list shows: listed is online, a failed listing is offline
    /// with the reason (the sidebar's header and its list never disagree).
    public var connection: ConnectionStatus {
        switch models {
        case .loaded(let models): .online(modelCount: models.count)
        case .failed(let reason): .offline(reason: reason)
        case .loading: .checking
        case .notLoaded: .unknown
        }
    }
}

/// The model picker: every provider's models, filtered as the user types.
public struct ModelPicker: Sendable, Hashable {
    public var filter = InputLine()
    /// Index into the filtered rows.
    public var selection = 0
    /// True until the user moves or filters: the selection then follows the active model,
    /// also when a list arrives after the picker opened (issue 14, bug 15).
    public var followsActive = true
    public init() {}
}

/// A row of the sessions picker.
public struct SessionRow: Sendable, Hashable {
    public var id: Int64
    public var label: String
    public init(id: Int64, label: String) {
        self.id = id
        self.label = label
    }
}

/// A panel drawn over the chat pane.
public enum Overlay: Sendable, Hashable {
    /// Every key binding and slash command.
    case help(scroll: Int)
    case modelPicker(ModelPicker)
    case sessions(rows: [SessionRow], selection: Int)
    /// A read-only report (`/usage`), as lines.
    case report(title: String, lines: [String], scroll: Int)
}

/// Money in the app: costs through `MoneyFormat` (`n/a` when unknown, never `$0.00`), and
/// prices per million tokens.
public enum Money {
    public static func format(_ amount: Decimal?) -> String { MoneyFormat.usd(amount) }

    /// A price per million tokens: `$2.50`, `$0.075`, `$10.00`.
    public static func perMillion(_ amount: Decimal) -> String {
        var text = DecimalText.rounded(amount, places: amount < 1 ? 3 : 2)
        if amount < 1, text.hasSuffix("0"), let dot = text.firstIndex(of: "."),
           text.distance(from: dot, to: text.endIndex) > 3 {
            text.removeLast()
        }
        return "$" + text
    }
}

/// A set of requests' cost: the sum of known costs, how many had no price, and whether any
/// known cost came from estimated token counts.
public struct CostTotal: Sendable, Hashable {
    public var amount = Decimal(0)
    public var unpriced = 0
    public var requests = 0
    /// True when a known cost was computed from estimated tokens (shown with a `~`).
    public var isEstimate = false
    public init() {}

    /// Adds one request's cost; estimated tokens make the cost an estimate too.
    public mutating func add(_ record: UsageRecord) {
        requests += 1
        if let cost = record.cost {
            amount += cost
            isEstimate = isEstimate || record.usage.isEstimate
        } else {
            unpriced += 1
        }
    }

    /// This total plus the estimated cost of the request being streamed.
    public func adding(estimate: Decimal) -> CostTotal {
        var total = self
        total.requests += 1
        total.amount += estimate
        total.isEstimate = true
        return total
    }

    /// `$X`, `~$X` when estimated, `n/a` when no request had a price, `≥$X` when some had none.
    public var text: String {
        if requests == 0 { return "–" }
        if unpriced == requests { return "n/a" }
        return (unpriced > 0 ? "≥" : "") + MoneyFormat.usd(amount, estimate: isEstimate)
    }
}
