import FoundationEssentials

/// Reads the top-level settings (`approvalMode`, `alwaysAllow`, `maxSteps`, `theme`, `pricing`,
/// `pricingFile`, `budget`, and through `SecuritySettingsDecoder` `permissions`, `sandbox`,
/// `passEnv`, `denyEnv`) with type checks. Absent and `null` fields take their defaults.
struct SettingsDecoder {
    let path: String
    let root: JSONValue
    let interpreter: ConfigInterpreter

    func decode() throws(ConfigError) -> AppSettings {
        var settings = AppSettings()
        if let node = value(root, "approvalMode") {
            let text = try interpreter.topLevelString(node, field: "approvalMode")
            guard let mode = ApprovalMode(rawValue: text) else {
                let known = ApprovalMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw invalid(node, "approvalMode", "\"\(text)\" is not an approval mode; known modes: \(known)")
            }
            settings.approvalMode = mode
        }
        if let node = value(root, "alwaysAllow") {
            guard let elements = node.elements else {
                throw ConfigError.wrongType(path: path, field: "alwaysAllow", at: node, expected: "an array of tool names")
            }
            settings.alwaysAllow = try elements.enumerated().map { (index, element) throws(ConfigError) in
                try interpreter.topLevelString(element, field: "alwaysAllow[\(index)]")
            }
        }
        if let node = value(root, "maxSteps") {
            guard let steps = node.number?.int, steps >= 1, steps <= InputLimits.maxSteps else {
                throw invalid(node, "maxSteps",
                              "must be a whole number of at least 1 and at most \(InputLimits.maxSteps)")
            }
            settings.maxSteps = steps
        }
        if let node = value(root, "theme") { settings.theme = try interpreter.topLevelString(node, field: "theme") }
        if let node = value(root, "pricingFile") {
            settings.pricingFile = try interpreter.topLevelString(node, field: "pricingFile")
        }
        if let node = value(root, "pricing") { settings.pricing = try pricing(node) }
        if let node = value(root, "budget") { settings.budget = try budget(node) }
        if let node = value(root, "compaction") { settings.compaction = try compaction(node) }
        try SecuritySettingsDecoder(path: path).decode(root, into: &settings)
        return settings
    }

    private func value(_ node: JSONValue, _ key: String) -> JSONValue? {
        guard let value = node[key], !value.isNull else { return nil }
        return value
    }

    private func invalid(_ node: JSONValue, _ field: String, _ message: String) -> ConfigError {
        ConfigError(kind: .invalidValue, path: path, position: node.position, field: field, message: message)
    }

    /// A non-negative amount up to `maximum`, kept exact (decimal, from the literal's text).
    private func amount(_ node: JSONValue, field: String, maximum: Decimal) throws(ConfigError) -> Decimal {
        guard let number = node.number else {
            throw ConfigError.wrongType(path: path, field: field, at: node, expected: "a number")
        }
        guard number.double >= 0 else { throw invalid(node, field, "must be a number of at least 0") }
        guard number.double.isFinite, number.double <= Double(maximum.description) ?? .infinity else {
            throw invalid(node, field, "must be at most \(maximum)")
        }
        guard let decimal = Decimal(string: number.text), !decimal.isNaN, decimal <= maximum else {
            throw invalid(node, field, "cannot be read as an exact decimal amount")
        }
        return decimal
    }

    /// The largest budget limit, in USD.
    static let maxBudget: Decimal = 1_000_000_000

    private static let priceKeys = ["inputPerMillion", "outputPerMillion", "cachedInputPerMillion",
                                    "cacheWritePerMillion", "reasoningPerMillion"]

    private func pricing(_ node: JSONValue) throws(ConfigError) -> [String: ModelPricing] {
        guard let members = node.members else {
            throw ConfigError.wrongType(path: path, field: "pricing", at: node, expected: "an object keyed by model id")
        }
        var result: [String: ModelPricing] = [:]
        for member in members {
            let field = "pricing.\(member.key)"
            guard let entries = member.value.members else {
                throw ConfigError.wrongType(path: path, field: field, at: member.value, expected: "an object of prices")
            }
            var rates: [String: Decimal] = [:]
            for entry in entries {
                guard Self.priceKeys.contains(entry.key) else {
                    throw invalid(entry.value, "\(field).\(entry.key)",
                                  "is not a price field; known fields: \(Self.priceKeys.joined(separator: ", "))")
                }
                if entry.value.isNull { continue }
                rates[entry.key] = try amount(entry.value, field: "\(field).\(entry.key)",
                                              maximum: InputLimits.maxPricePerMillion)
            }
            result[member.key] = ModelPricing(
                inputPerMillion: rates["inputPerMillion"], outputPerMillion: rates["outputPerMillion"],
                cachedInputPerMillion: rates["cachedInputPerMillion"], cacheWritePerMillion: rates["cacheWritePerMillion"],
                reasoningPerMillion: rates["reasoningPerMillion"])
        }
        return result
    }

    private func budget(_ node: JSONValue) throws(ConfigError) -> Budget {
        guard node.members != nil else {
            throw ConfigError.wrongType(path: path, field: "budget", at: node, expected: "an object")
        }
        var budget = Budget()
        if let session = value(node, "sessionUSD") {
            budget.sessionUSD = try amount(session, field: "budget.sessionUSD", maximum: Self.maxBudget)
        }
        if let daily = value(node, "dailyUSD") {
            budget.dailyUSD = try amount(daily, field: "budget.dailyUSD", maximum: Self.maxBudget)
        }
        return budget
    }

    private func compaction(_ node: JSONValue) throws(ConfigError) -> CompactionSettings {
        guard node.members != nil else {
            throw ConfigError.wrongType(path: path, field: "compaction", at: node, expected: "an object")
        }
        var result = CompactionSettings()
        if let auto = value(node, "auto") {
            guard let flag = auto.bool else {
                throw ConfigError.wrongType(path: path, field: "compaction.auto", at: auto, expected: "true or false")
            }
            result.auto = flag
        }
        if let threshold = value(node, "threshold") {
            guard let number = threshold.number?.double, number.isFinite, number >= 0.1, number <= 0.95 else {
                throw invalid(threshold, "compaction.threshold", "must be a number from 0.1 to 0.95")
            }
            result.threshold = number
        }
        if let keep = value(node, "keepRecentTurns") {
            guard let turns = keep.number?.int, turns >= 0, turns <= 100 else {
                throw invalid(keep, "compaction.keepRecentTurns", "must be a whole number from 0 to 100")
            }
            result.keepRecentTurns = turns
        }
        return result
    }
}
