import AgentCore
import FoundationEssentials

/// A problem with a LiteLLM-format pricing file, naming the file, the model key and the field.
public struct LiteLLMPriceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file, or `<text>` when parsed from a string.
    public var path: String
    /// The model key (`gpt-4o`), or `nil` for whole-file problems.
    public var key: String?
    /// The field within the entry (`input_cost_per_token`), when one is at fault.
    public var field: String?
    /// Where in the file, when known.
    public var position: SourcePosition?
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(path: String, key: String? = nil, field: String? = nil, position: SourcePosition? = nil,
                message: String) {
        self.path = path
        self.key = key
        self.field = field
        self.position = position
        self.message = message
    }

    /// `FILE:LINE:COL: "gpt-4o".input_cost_per_token: must be a number of at least 0`.
    public var description: String {
        var text = path
        if let position { text += ":\(position)" }
        text += ": "
        if let key { text += "\"\(key)\"" + (field.map { ".\($0)" } ?? "") + ": " }
        return text + message
    }
}

/// Prices read from a file in LiteLLM's `model_prices_and_context_window.json` format: one object
/// keyed by model id whose entries give USD per token (`input_cost_per_token: 2.5e-06`). Numbers are
/// read exactly from their text; rates are converted to per-million `Decimal`s.
public struct LiteLLMPriceTable: Sendable, Hashable {
    /// Quotes (source `.litellm`) by lowercase model key, plus first-party keys without their
    /// provider prefix (`xai/grok-4.3` is also filed as `grok-4.3`) when that key is not taken.
    public private(set) var entries: [String: PriceQuote]

    /// How many priced entries the file has (its own keys, aliases included).
    public private(set) var modelCount: Int

    /// Providers whose keys are also filed without the `provider/` prefix.
    static let firstPartyProviders: Set<String> = ["openai", "anthropic", "gemini", "mistral", "deepseek", "xai", "groq"]

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(LiteLLMPriceError) -> LiteLLMPriceTable {
        let bytes: [UInt8]
        do {
            bytes = try BoundedFile.read(path, limit: InputLimits.maxConfigFileBytes)
        } catch {
            throw LiteLLMPriceError(path: path, message: "cannot read the pricing file: \(Self.readFailure(error))")
        }
        return try LiteLLMPriceTable(bytes: bytes, path: path)
    }

    /// The reason a file could not be read, in words.
    static func readFailure(_ error: any Error) -> String {
        var posix = error as? POSIXError
        if posix == nil, let cocoa = error as? CocoaError { posix = cocoa.underlying as? POSIXError }
        switch posix?.code {
        case .ENOENT?: return "No such file or directory"
        case .EACCES?: return "Permission denied"
        case .EISDIR?: return "Is a directory"
        default: return String(describing: error)
        }
    }

    /// Parses JSON text (`path` is only used in messages).
    public init(jsonText: String, path: String = "<text>") throws(LiteLLMPriceError) {
        try self.init(bytes: Array(jsonText.utf8), path: path)
    }

    /// Parses JSON bytes (`path` is only used in messages).
    public init(bytes: [UInt8], path: String) throws(LiteLLMPriceError) {
        let root: JSONValue
        do throws(JSONSyntaxError) {
            root = try JSONReader.parse(bytes)
        } catch {
            throw LiteLLMPriceError(path: path, position: error.position, message: error.message)
        }
        guard let members = root.members else {
            throw LiteLLMPriceError(path: path, position: root.position,
                                    message: "expected an object keyed by model id, found \(root.typeDescription)")
        }
        var own: [String: PriceQuote] = [:]
        var aliases: [(key: String, target: String)] = []
        var providers: [String: String] = [:]
        for member in members where member.key != "sample_spec" {
            let reader = EntryReader(path: path, key: member.key)
            let entry = try reader.read(member.value)
            let key = member.key.lowercased()
            if let target = entry.aliasOf { aliases.append((key, target.lowercased())) }
            if let quote = entry.quote { own[key] = quote }
            if let provider = entry.provider { providers[key] = provider }
        }
        for alias in aliases where own[alias.key] == nil {
            if let target = own[alias.target] { own[alias.key] = target }
        }
        modelCount = own.count
        entries = own
        for (key, quote) in own.sorted(by: { $0.key < $1.key }) {
            guard let slash = key.firstIndex(of: "/") else { continue }
            let prefix = String(key[..<slash])
            let bare = String(key[key.index(after: slash)...])
            guard Self.firstPartyProviders.contains(prefix), providers[key] == prefix || providers[key] == nil,
                  entries[bare] == nil else { continue }
            entries[bare] = quote
        }
    }

    /// The quote filed under the first of `keys` that has one.
    public func quote(forKeys keys: [String]) -> PriceQuote? {
        for key in keys { if let quote = entries[key] { return quote } }
        return nil
    }

    /// The quote for a model id, normalized as `ModelID.candidates` does.
    public func quote(forModel model: String) -> PriceQuote? {
        quote(forKeys: ModelID.candidates(for: model))
    }
}

/// Reads one entry of a LiteLLM file.
private struct EntryReader {
    let path: String
    let key: String

    struct Entry {
        var quote: PriceQuote?
        var aliasOf: String?
        var provider: String?
    }

    func read(_ node: JSONValue) throws(LiteLLMPriceError) -> Entry {
        guard let members = node.members else {
            throw LiteLLMPriceError(path: path, key: key, position: node.position,
                                    message: "expected an object, found \(node.typeDescription)")
        }
        var entry = Entry(aliasOf: node["alias_of"]?.string, provider: node["litellm_provider"]?.string)
        var base = ModelPricing()
        var tiers: [Int: ModelPricing] = [:]
        for member in members {
            if let slot = RateField(rawValue: member.key) {
                slot.set(try perMillion(member.value, field: member.key), in: &base)
            } else if let (threshold, slot) = Self.tierField(member.key) {
                slot.set(try perMillion(member.value, field: member.key), in: &tiers[threshold, default: ModelPricing()])
            }
        }
        guard base.inputPerMillion != nil || base.outputPerMillion != nil else { return entry }
        let priceTiers = tiers.map { PriceTier(aboveInputTokens: $0.key, pricing: $0.value) }
            .sorted { $0.aboveInputTokens < $1.aboveInputTokens }
        entry.quote = PriceQuote(pricing: base, source: .litellm, tiers: priceTiers)
        return entry
    }

    /// `input_cost_per_token_above_200k_tokens` → (200_000, \.inputPerMillion); `nil` for other keys
    /// (including `_priority`, `_batches` and `_above_1hr` variants, which are not standard rates).
    static func tierField(_ name: String) -> (Int, RateField)? {
        guard name.hasSuffix("k_tokens") else { return nil }
        for slot in RateField.allCases {
            let prefix = slot.rawValue + "_above_"
            guard name.hasPrefix(prefix) else { continue }
            let number = name.dropFirst(prefix.count).dropLast("k_tokens".count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), let thousands = Int(number),
                  thousands <= InputLimits.maxContextTokens / 1000 else {
                return nil // also a threshold beyond any context (its tokens would not fit an Int)
            }
            return (thousands * 1000, slot)
        }
        return nil
    }

    /// A per-token USD price as USD per million tokens; `null` is no price.
    private func perMillion(_ node: JSONValue, field: String) throws(LiteLLMPriceError) -> Decimal? {
        if node.isNull { return nil }
        guard let number = node.number else {
            throw LiteLLMPriceError(path: path, key: key, field: field, position: node.position,
                                    message: "expected a number, found \(node.typeDescription)")
        }
        guard let value = DecimalText.parse(number.text), value >= 0 else {
            throw LiteLLMPriceError(path: path, key: key, field: field, position: node.position,
                                    message: "must be a number of at least 0, found \(number.text)")
        }
        let rate = value * 1_000_000
        guard !rate.isNaN, rate <= InputLimits.maxPricePerMillion else {
            throw LiteLLMPriceError(path: path, key: key, field: field, position: node.position,
                                    message: "must be at most \(InputLimits.maxPricePerMillion / 1_000_000) "
                                        + "(USD per token), found \(number.text)")
        }
        return rate
    }
}

/// The LiteLLM per-token rate fields swiftcoder reads, and where each goes in `ModelPricing`.
enum RateField: String, CaseIterable {
    case input = "input_cost_per_token"
    case output = "output_cost_per_token"
    case cachedInput = "cache_read_input_token_cost"
    case cacheWrite = "cache_creation_input_token_cost"
    case reasoning = "output_cost_per_reasoning_token"

    /// Stores a per-million rate in its slot.
    func set(_ rate: Decimal?, in pricing: inout ModelPricing) {
        switch self {
        case .input: pricing.inputPerMillion = rate
        case .output: pricing.outputPerMillion = rate
        case .cachedInput: pricing.cachedInputPerMillion = rate
        case .cacheWrite: pricing.cacheWritePerMillion = rate
        case .reasoning: pricing.reasoningPerMillion = rate
        }
    }
}
