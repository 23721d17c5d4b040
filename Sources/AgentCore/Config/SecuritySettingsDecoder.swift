/// Reads the security settings: `permissions`, `sandbox`, `passEnv` and `denyEnv`. Rules and
/// variable patterns are taken as written (no `${VAR}` expansion: `$` in a command pattern is
/// the shell's).
struct SecuritySettingsDecoder {
    let path: String

    func decode(_ root: JSONValue, into settings: inout AppSettings) throws(ConfigError) {
        if let node = value(root, "permissions") { settings.permissions = try permissions(node) }
        if let node = value(root, "sandbox") { settings.sandbox = try sandbox(node) }
        if let node = value(root, "passEnv") { settings.passEnv = try names(node, field: "passEnv") }
        if let node = value(root, "denyEnv") { settings.denyEnv = try names(node, field: "denyEnv") }
    }

    private func value(_ node: JSONValue, _ key: String) -> JSONValue? {
        guard let value = node[key], !value.isNull else { return nil }
        return value
    }

    private func invalid(_ node: JSONValue, _ field: String, _ message: String) -> ConfigError {
        ConfigError(kind: .invalidValue, path: path, position: node.position, field: field, message: message)
    }

    private static let ruleLists = ["allow", "ask", "deny"]

    private func permissions(_ node: JSONValue) throws(ConfigError) -> PermissionRules {
        guard let members = node.members else {
            throw ConfigError.wrongType(path: path, field: "permissions", at: node,
                                        expected: "an object with \"allow\", \"ask\" and \"deny\" lists")
        }
        var rules = PermissionRules()
        for member in members {
            let field = "permissions.\(member.key)"
            guard Self.ruleLists.contains(member.key) else {
                throw invalid(member.value, field, "is not a rule list; known lists: allow, ask, deny")
            }
            guard !member.value.isNull else { continue }
            guard let elements = member.value.elements else {
                throw ConfigError.wrongType(path: path, field: field, at: member.value,
                                            expected: "an array of rules like \"run_command(git status*)\"")
            }
            var list: [PermissionRule] = []
            for (index, element) in elements.enumerated() {
                guard let text = element.string else {
                    throw ConfigError.wrongType(path: path, field: "\(field)[\(index)]", at: element, expected: "a string")
                }
                guard let rule = PermissionRule.parse(text, source: path) else {
                    throw invalid(element, "\(field)[\(index)]",
                                  "\"\(text)\" is not a rule; write TOOL or TOOL(PATTERN), like \"write_file(docs/**)\"")
                }
                list.append(rule)
            }
            switch member.key {
            case "allow": rules.allow = list
            case "ask": rules.ask = list
            default: rules.deny = list
            }
        }
        return rules
    }

    private func sandbox(_ node: JSONValue) throws(ConfigError) -> SandboxSettings {
        guard let members = node.members else {
            throw ConfigError.wrongType(path: path, field: "sandbox", at: node, expected: "an object like {\"mode\": \"workspace-write\"}")
        }
        var settings = SandboxSettings()
        for member in members where !member.value.isNull {
            let field = "sandbox.\(member.key)"
            switch member.key {
            case "mode":
                let known = SandboxMode.allCases.map(\.rawValue).joined(separator: ", ")
                guard let text = member.value.string else {
                    throw ConfigError.wrongType(path: path, field: field, at: member.value, expected: "a string (\(known))")
                }
                guard let mode = SandboxMode(rawValue: text) else {
                    throw invalid(member.value, field, "\"\(text)\" is not a sandbox mode; known modes: \(known)")
                }
                settings.mode = mode
            case "network":
                guard let flag = member.value.bool else {
                    throw ConfigError.wrongType(path: path, field: field, at: member.value, expected: "true or false")
                }
                settings.network = flag
            default:
                throw invalid(member.value, field, "is not a sandbox setting; known settings: mode, network")
            }
        }
        return settings
    }

    private func names(_ node: JSONValue, field: String) throws(ConfigError) -> [String] {
        guard let elements = node.elements else {
            throw ConfigError.wrongType(path: path, field: field, at: node, expected: "an array of variable names or patterns")
        }
        return try elements.enumerated().map { (index, element) throws(ConfigError) in
            guard let text = element.string, !text.isEmpty else {
                throw ConfigError.wrongType(path: path, field: "\(field)[\(index)]", at: element,
                                            expected: "a variable name or pattern like \"*_TOKEN\"")
            }
            return text
        }
    }
}
