/// The outcome for one provider entry: usable, or skipped with a reason.
enum DecodedProvider: Sendable {
    case available(ProviderConfig)
    case unavailable(UnavailableProvider)
}

/// Reads one provider entry's fields with type checks and `${VAR}` interpolation.
///
/// Type and syntax problems throw; an unset variable only marks the entry unavailable, and all
/// fields are still checked so a wrong type is reported even then. Absent and `null` fields are
/// the same. Unknown fields are ignored.
struct ProviderEntryDecoder {
    let entry: ProviderEntry
    let path: String
    let environment: [String: String]
    /// Variables read by fields that carry keys (`apiKey`, `headers.*`, the base URL).
    private(set) var secretVariables: Set<String> = []
    /// Unset variables met so far: the variable, the field within the entry, and where.
    private var unset: [(variable: String, field: String, position: SourcePosition)] = []

    init(entry: ProviderEntry, path: String, environment: [String: String]) {
        self.entry = entry
        self.path = path
        self.environment = environment
    }

    mutating func decode() throws(ConfigError) -> DecodedProvider {
        guard entry.node.members != nil else {
            throw ConfigError.wrongType(path: path, field: entry.field, at: entry.node, expected: "an object")
        }
        let kind = try providerKind()
        let baseURLKey = entry.shape.baseURLKey
        let apiBase = try string(baseURLKey)
        let apiKey = try string("apiKey")
        let model = try string("model").flatMap { $0.isEmpty ? nil : $0 }
        let (models, perModel) = try modelEntries()
        let maxOutput = try integer("maxOutputTokens", minimum: 1, maximum: InputLimits.maxContextTokens)
        let headers = try stringMap("headers")
        let contextWindow = try integer("contextWindow", minimum: 1, maximum: InputLimits.maxContextTokens)
        let timeoutSeconds = try positiveNumber("timeoutSeconds", maximum: InputLimits.maxWaitSeconds)
        let maxRetries = try integer("maxRetries", minimum: 0, maximum: InputLimits.maxRetries)

        if let first = unset.min(by: { $0.position < $1.position }) {
            let file = path.split(separator: "/").last.map(String.init) ?? path
            // Without the provider's name: every place that shows it names the provider first.
            let reason = "environment variable \(first.variable) is not set "
                + "(\(file) line \(first.position.line), field \(first.field))"
            return .unavailable(UnavailableProvider(name: entry.name, reason: reason))
        }
        let base = try resolveBaseURL(apiBase, kind: kind, key: baseURLKey)
        return .available(ProviderConfig(
            name: entry.name, kind: kind, apiBase: base,
            apiKey: apiKey.flatMap { $0.isEmpty ? nil : Secret($0) },
            model: model ?? (entry.shape == .nanocoder ? models.first : nil),
            models: models, headers: headers, contextWindow: contextWindow,
            timeoutSeconds: timeoutSeconds, maxRetries: maxRetries,
            outputLimits: OutputTokenLimits(provider: maxOutput, perModel: perModel)))
    }

    // MARK: - Fields

    private func fieldPath(_ relative: String) -> String { "\(entry.field).\(relative)" }

    /// The field's node, treating `null` as absent.
    private func node(_ key: String) -> JSONValue? {
        guard let value = entry.node[key], !value.isNull else { return nil }
        return value
    }

    private func wrongType(_ relative: String, _ node: JSONValue, _ expected: String) -> ConfigError {
        ConfigError.wrongType(path: path, field: fieldPath(relative), at: node, expected: expected)
    }

    private mutating func providerKind() throws(ConfigError) -> ProviderKind {
        guard let text = try string("type") else { return .openAICompatible }
        if let kind = ProviderKind(rawValue: text) { return kind }
        if unset.contains(where: { $0.field == "type" }) { return .openAICompatible }
        let known = ProviderKind.allCases.map(\.rawValue).joined(separator: ", ")
        // Quote the text as written, not as expanded: a variable's value may be a secret.
        let written = node("type")?.string ?? text
        throw ConfigError(kind: .unknownProviderType, path: path, position: node("type")?.position,
                          field: fieldPath("type"),
                          message: "\"\(written)\" is not a known provider type; known types: \(known)")
    }

    private mutating func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = node(key) else { return nil }
        guard let text = value.string else { throw wrongType(key, value, "a string") }
        return try expand(text, field: key, at: value.position)
    }

    private mutating func stringArray(_ key: String) throws(ConfigError) -> [String] {
        guard let value = node(key) else { return [] }
        guard let elements = value.elements else { throw wrongType(key, value, "an array of strings") }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            let relative = "\(key)[\(index)]"
            guard let text = element.string else { throw wrongType(relative, element, "a string") }
            result.append(try expand(text, field: relative, at: element.position))
        }
        return result
    }

    /// `models`: each a string, or `{"id": "...", "maxOutputTokens": N}`; the ids in order and
    /// the per-model output caps.
    private mutating func modelEntries() throws(ConfigError) -> ([String], [String: Int]) {
        guard let value = node("models") else { return ([], [:]) }
        guard let elements = value.elements else { throw wrongType("models", value, "an array of strings") }
        var ids: [String] = []
        var caps: [String: Int] = [:]
        for (index, element) in elements.enumerated() {
            let relative = "models[\(index)]"
            if let text = element.string {
                ids.append(try expand(text, field: relative, at: element.position))
                continue
            }
            guard element.members != nil else { throw wrongType(relative, element, "a string") }
            guard let idNode = element["id"], let text = idNode.string else {
                throw wrongType(relative, element, "an object with a string \"id\"")
            }
            let id = try expand(text, field: relative + ".id", at: idNode.position)
            ids.append(id)
            if let cap = try integer(relative + ".maxOutputTokens", in: element["maxOutputTokens"], minimum: 1,
                                     maximum: InputLimits.maxContextTokens) {
                caps[id] = cap
            }
        }
        return (ids, caps)
    }

    private mutating func stringMap(_ key: String) throws(ConfigError) -> [String: String] {
        guard let value = node(key) else { return [:] }
        guard let members = value.members else { throw wrongType(key, value, "an object of strings") }
        var result: [String: String] = [:]
        for member in members {
            let relative = "\(key).\(member.key)"
            guard let text = member.value.string else { throw wrongType(relative, member.value, "a string") }
            result[member.key] = try expand(text, field: relative, at: member.value.position)
        }
        return result
    }

    /// A whole number in `minimum...maximum` (the upper bounds are `InputLimits`': D50).
    private func integer(_ key: String, minimum: Int, maximum: Int) throws(ConfigError) -> Int? {
        try integer(key, in: node(key), minimum: minimum, maximum: maximum)
    }

    /// `integer` for a node found elsewhere than at the entry's top level (`key` names it).
    private func integer(_ key: String, in found: JSONValue?, minimum: Int, maximum: Int) throws(ConfigError) -> Int? {
        guard let value = found, !value.isNull else { return nil }
        guard let number = value.number else { throw wrongType(key, value, "a number") }
        guard number.double.rounded() == number.double else { throw wrongType(key, value, "a whole number") }
        guard let integer = number.int, integer >= minimum, integer <= maximum else {
            throw ConfigError(kind: .invalidValue, path: path, position: value.position, field: fieldPath(key),
                              message: number.double < Double(minimum) ? "must be at least \(minimum)"
                                  : "must be at most \(maximum)")
        }
        return integer
    }

    private func positiveNumber(_ key: String, maximum: Double) throws(ConfigError) -> Double? {
        guard let value = node(key) else { return nil }
        guard let number = value.number else { throw wrongType(key, value, "a number") }
        guard number.double > 0 else {
            throw ConfigError(kind: .invalidValue, path: path, position: value.position, field: fieldPath(key),
                              message: "must be greater than 0")
        }
        guard number.double.isFinite, number.double <= maximum else {
            throw ConfigError(kind: .invalidValue, path: path, position: value.position, field: fieldPath(key),
                              message: "must be at most \(Int(maximum)) (seconds)")
        }
        return number.double
    }

    /// Interpolates one string; an unset variable is recorded (and "" returned) instead of thrown.
    private mutating func expand(_ text: String, field: String,
                                 at position: SourcePosition) throws(ConfigError) -> String {
        if field == "apiKey" || field.hasPrefix("headers.") || field == entry.shape.baseURLKey {
            secretVariables.formUnion(ConfigInterpolation.variables(in: text))
        }
        do throws(ConfigInterpolation.Failure) {
            return try ConfigInterpolation.expand(text, environment: environment)
        } catch {
            switch error {
            case .unsetVariable(let variable):
                unset.append((variable, field, position))
                return ""
            case .malformed(let reason):
                throw ConfigError(kind: .invalidValue, path: path, position: position, field: fieldPath(field),
                                  message: "has a malformed variable reference: \(reason)")
            }
        }
    }

    /// The entry's base URL, else the kind's default; it must be an http(s) URL.
    private func resolveBaseURL(_ given: String?, kind: ProviderKind, key: String) throws(ConfigError) -> String {
        guard let base = given ?? kind.defaultBaseURL else {
            throw ConfigError(kind: .missingField, path: path, position: entry.node.position, field: fieldPath(key),
                              message: "is required for provider \"\(entry.name)\" of type \(kind.rawValue), "
                                  + "which has no default base URL")
        }
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw ConfigError(kind: .invalidValue, path: path, position: node(key)?.position ?? entry.node.position,
                              field: fieldPath(key), message: "must start with http:// or https://")
        }
        return base
    }
}
