/// Where a provider entry came from: swiftcoder's own shape or nanocoder's.
enum ConfigShape: Sendable {
    /// `{"providers": {"NAME": {"type", "apiBase", …}}}`
    case swiftcoder
    /// `{"nanocoder": {"providers": [{"name", "baseUrl", "apiKey", "models"}]}}`
    case nanocoder

    /// The key holding the base URL in this shape.
    var baseURLKey: String {
        switch self {
        case .swiftcoder: "apiBase"
        case .nanocoder: "baseUrl"
        }
    }
}

/// One provider entry found in the tree, before its fields are read.
struct ProviderEntry: Sendable {
    var name: String
    var node: JSONValue
    /// The entry's field path (`providers.local`, `nanocoder.providers[0]`).
    var field: String
    var shape: ConfigShape
}

/// Turns a parsed `agents.config.json` tree into an `AppConfig`.
///
/// If the top level has `providers`, that is swiftcoder's shape and any `nanocoder` block is
/// left to nanocoder (so one file can serve both tools); otherwise `nanocoder.providers` is read.
/// Unknown keys are not refused: `ConfigKeyCheck` reports them as warnings.
struct ConfigInterpreter: Sendable {
    let path: String
    let environment: [String: String]

    func appConfig(from root: JSONValue) throws(ConfigError) -> AppConfig {
        guard root.members != nil else {
            throw ConfigError.wrongType(path: path, field: "the top level", at: root, expected: "an object")
        }
        let entries = try providerEntries(in: root)
        var config = AppConfig(sourcePath: path)
        for entry in entries {
            var decoder = ProviderEntryDecoder(entry: entry, path: path, environment: environment)
            let decoded = try decoder.decode()
            config.secretVariables.formUnion(decoder.secretVariables)
            switch decoded {
            case .available(let provider): config.providers.append(provider)
            case .unavailable(let unavailable): config.unavailable.append(unavailable)
            }
        }
        config.defaultProvider = try defaultProvider(in: root, names: entries.map(\.name))
        config.settings = try SettingsDecoder(path: path, root: root, interpreter: self).decode()
        config.mcpServers = try MCPServerDecoder(path: path, environment: environment).servers(in: root["mcpServers"])
        config.warnings = ConfigKeyCheck(path: path).warnings(root: root, entries: entries)
        return config
    }

    // MARK: - Entries

    private func providerEntries(in root: JSONValue) throws(ConfigError) -> [ProviderEntry] {
        if let providers = root["providers"] {
            return try swiftcoderEntries(providers)
        }
        if let nanocoder = root["nanocoder"] {
            return try nanocoderEntries(nanocoder)
        }
        return []
    }

    private func swiftcoderEntries(_ providers: JSONValue) throws(ConfigError) -> [ProviderEntry] {
        if providers.isNull { return [] }
        guard let members = providers.members else {
            throw ConfigError.wrongType(path: path, field: "providers", at: providers,
                                        expected: "an object whose keys are provider names")
        }
        var entries: [ProviderEntry] = []
        var seen: [String: SourcePosition] = [:]
        for member in members {
            let field = "providers.\(member.key)"
            try checkName(member.key, field: field, at: member.keyPosition, seen: &seen)
            entries.append(ProviderEntry(name: member.key, node: member.value, field: field, shape: .swiftcoder))
        }
        return entries
    }

    private func nanocoderEntries(_ nanocoder: JSONValue) throws(ConfigError) -> [ProviderEntry] {
        guard nanocoder.members != nil else {
            throw ConfigError.wrongType(path: path, field: "nanocoder", at: nanocoder, expected: "an object")
        }
        guard let list = nanocoder["providers"], !list.isNull else { return [] }
        guard let elements = list.elements else {
            throw ConfigError.wrongType(path: path, field: "nanocoder.providers", at: list,
                                        expected: "an array of provider objects")
        }
        var entries: [ProviderEntry] = []
        var seen: [String: SourcePosition] = [:]
        for (index, element) in elements.enumerated() {
            let field = "nanocoder.providers[\(index)]"
            guard element.members != nil else {
                throw ConfigError.wrongType(path: path, field: field, at: element, expected: "an object")
            }
            guard let nameNode = element["name"] else {
                throw ConfigError(kind: .missingField, path: path, position: element.position,
                                  field: "\(field).name", message: "is required")
            }
            guard let name = nameNode.string else {
                throw ConfigError.wrongType(path: path, field: "\(field).name", at: nameNode, expected: "a string")
            }
            try checkName(name, field: "\(field).name", at: nameNode.position, seen: &seen)
            entries.append(ProviderEntry(name: name, node: element, field: field, shape: .nanocoder))
        }
        return entries
    }

    /// Rejects empty and repeated provider names (a repeat would silently shadow the first).
    private func checkName(_ name: String, field: String, at position: SourcePosition,
                           seen: inout [String: SourcePosition]) throws(ConfigError) {
        if name.isEmpty {
            throw ConfigError(kind: .invalidValue, path: path, position: position, field: field,
                              message: "is empty; a provider needs a name")
        }
        if let first = seen[name] {
            throw ConfigError(kind: .invalidValue, path: path, position: position, field: field,
                              message: "repeats provider name \"\(name)\" (first defined at line \(first.line))")
        }
        seen[name] = position
    }

    // MARK: - Top-level fields

    private func defaultProvider(in root: JSONValue, names: [String]) throws(ConfigError) -> String? {
        guard let node = root["defaultProvider"], !node.isNull else { return nil }
        let name = try topLevelString(node, field: "defaultProvider")
        guard names.contains(name) else {
            // Quote the text as written, not as expanded: a variable's value may be a secret.
            let known = names.isEmpty ? "no providers are configured" : "configured: \(names.joined(separator: ", "))"
            throw ConfigError(kind: .invalidValue, path: path, position: node.position, field: "defaultProvider",
                              message: "\"\(node.string ?? name)\" does not name a provider (\(known))")
        }
        return name
    }

    /// Reads and interpolates a top-level string; here an unset variable is an error.
    func topLevelString(_ node: JSONValue, field: String) throws(ConfigError) -> String {
        guard let text = node.string else {
            throw ConfigError.wrongType(path: path, field: field, at: node, expected: "a string")
        }
        do throws(ConfigInterpolation.Failure) {
            return try ConfigInterpolation.expand(text, environment: environment)
        } catch {
            switch error {
            case .unsetVariable(let variable):
                throw ConfigError(kind: .unsetVariable, path: path, position: node.position, field: field,
                                  message: "uses environment variable \(variable), which is not set")
            case .malformed(let reason):
                throw ConfigError(kind: .invalidValue, path: path, position: node.position, field: field,
                                  message: "has a malformed variable reference: \(reason)")
            }
        }
    }
}
