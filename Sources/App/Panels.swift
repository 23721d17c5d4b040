import AgentCore
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

    public init(name: String, kind: String, baseURL: String, detected: Bool = false, defaultModel: String? = nil,
                models: ModelListing = .notLoaded) {
        self.defaultModel = defaultModel
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
}

/// The model picker: every provider's models, filtered as the user types.
public struct ModelPicker: Sendable, Hashable {
    public var filter = InputLine()
    /// Index into the filtered rows.
    public var selection = 0
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

/// Money as the meter shows it: `$0.0123`, `$1.23`; `n/a` when unknown.
public enum Money {
    public static func format(_ amount: Decimal?) -> String {
        guard let amount else { return "n/a" }
        return "$" + rounded("\(amount)", decimals: amount < 1 ? 4 : 2, minimumDecimals: 2)
    }

    /// A price per million tokens: `$2.50`, `$0.075`, `$10`.
    public static func perMillion(_ amount: Decimal) -> String {
        "$" + rounded("\(amount)", decimals: amount < 1 ? 3 : 2, minimumDecimals: amount < 10 ? 2 : 0)
    }

    /// Rounds a plain decimal literal (`12.34567`) half-up to `decimals` places, keeping at
    /// least `minimumDecimals` places and dropping further trailing zeros.
    static func rounded(_ literal: String, decimals: Int, minimumDecimals: Int) -> String {
        let negative = literal.hasPrefix("-")
        let body = negative ? String(literal.dropFirst()) : literal
        let parts = body.split(separator: ".", maxSplits: 1)
        var digits = Array(parts.first.map(String.init) ?? "0") + Array(parts.count > 1 ? String(parts[1]) : "")
        let integerCount = digits.count - (parts.count > 1 ? parts[1].count : 0)
        let fractionCount = digits.count - integerCount
        if fractionCount > decimals {
            let roundUp = digits[integerCount + decimals] >= "5"
            digits = Array(digits[0..<(integerCount + decimals)])
            if roundUp {
                var index = digits.count - 1
                while index >= 0 {
                    if digits[index] == "9" { digits[index] = "0"; index -= 1 } else {
                        digits[index] = Character(String(digits[index].wholeNumberValue! + 1))
                        break
                    }
                }
                if index < 0 { digits.insert("1", at: 0) }
            }
        }
        let newIntegerCount = digits.count - min(fractionCount, decimals)
        var integer = String(digits[0..<newIntegerCount])
        var fraction = String(digits[newIntegerCount...])
        while fraction.count > minimumDecimals && fraction.hasSuffix("0") { fraction.removeLast() }
        while fraction.count < minimumDecimals { fraction += "0" }
        if integer.isEmpty { integer = "0" }
        return (negative ? "-" : "") + integer + (fraction.isEmpty ? "" : "." + fraction)
    }
}

/// A set of requests' cost: the sum of known costs and how many had no price.
public struct CostTotal: Sendable, Hashable {
    public var amount = Decimal(0)
    public var unpriced = 0
    public var requests = 0
    public init() {}

    public mutating func add(_ record: UsageRecord) {
        requests += 1
        if let cost = record.cost { amount += cost } else { unpriced += 1 }
    }

    /// `$X`, `n/a` when no request had a price, `≥$X` when some had none.
    public var text: String {
        if requests == 0 { return "–" }
        if unpriced == requests { return "n/a" }
        return (unpriced > 0 ? "≥" : "") + Money.format(amount)
    }
}
