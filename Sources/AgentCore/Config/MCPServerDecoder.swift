/// Reads `mcpServers` in the shapes users have: Claude Code's `.mcp.json` and nanocoder's
/// `agents.config.json` entries (D159). Each server is `{"command", "args", "env", "cwd"}` for
/// stdio or `{"type": "http" | "sse", "url", "headers"}`; `"transport"` is read as a synonym
/// of `"type"`; `${VAR}` is interpolated in every string; `"enabled": false`, `"timeout"`
/// (seconds) and `"alwaysAllow"` are read. A broken entry names the file, position and field;
/// an entry whose variable is unset is kept, marked unavailable with the reason.
struct MCPServerDecoder {
    let path: String
    let environment: [String: String]

    /// The keys of one server entry (others are warned about).
    static let entryKeys = ["command", "args", "env", "cwd", "type", "transport", "url", "headers", "enabled",
                            "timeout", "alwaysAllow", "description"]

    func servers(in node: JSONValue?) throws(ConfigError) -> [MCPServerConfig] {
        guard let node, !node.isNull else { return [] }
        guard let members = node.members else {
            throw ConfigError.wrongType(path: path, field: "mcpServers", at: node, expected: "an object whose keys are server names")
        }
        var servers: [MCPServerConfig] = []
        for member in members {
            let field = "mcpServers.\(member.key)"
            guard !member.key.isEmpty, member.key.count <= 64 else {
                throw ConfigError(kind: .invalidValue, path: path, position: member.keyPosition, field: field,
                                  message: "a server name must be 1 to 64 characters")
            }
            servers.removeAll { $0.name == member.key }
            servers.append(try server(member.key, member.value, field: field))
        }
        return servers
    }

    private func server(_ name: String, _ node: JSONValue, field: String) throws(ConfigError) -> MCPServerConfig {
        guard node.members != nil else { throw ConfigError.wrongType(path: path, field: field, at: node, expected: "an object") }
        var unavailable: String?
        func text(_ key: String) throws(ConfigError) -> String? {
            guard let value = node[key], !value.isNull else { return nil }
            guard let raw = value.string else {
                throw ConfigError.wrongType(path: path, field: "\(field).\(key)", at: value, expected: "a string")
            }
            return expand(raw, &unavailable)
        }
        func strings(_ key: String) throws(ConfigError) -> [String] {
            guard let value = node[key], !value.isNull else { return [] }
            guard let elements = value.elements, elements.allSatisfy({ $0.string != nil }) else {
                throw ConfigError.wrongType(path: path, field: "\(field).\(key)", at: value, expected: "an array of strings")
            }
            return elements.compactMap(\.string).map { expand($0, &unavailable) }
        }
        func table(_ key: String) throws(ConfigError) -> [String: String] {
            guard let value = node[key], !value.isNull else { return [:] }
            guard let members = value.members, members.allSatisfy({ $0.value.string != nil }) else {
                throw ConfigError.wrongType(path: path, field: "\(field).\(key)", at: value, expected: "an object of strings")
            }
            var result: [String: String] = [:]
            for member in members { result[member.key] = expand(member.value.string ?? "", &unavailable) }
            return result
        }
        var kind = try text("type")
        if kind == nil { kind = try text("transport") }
        let transport: MCPTransportConfig
        switch kind?.lowercased() {
        case nil, "stdio":
            guard let command = try text("command"), !command.isEmpty else {
                throw ConfigError(kind: .missingField, path: path, position: node.position, field: "\(field).command",
                                  message: "a stdio server needs a command (or \"type\": \"http\" with a url)")
            }
            transport = .stdio(command: command, arguments: try strings("args"), environment: try table("env"),
                               workingDirectory: try text("cwd"))
        case "http", "streamable-http", "streamablehttp", "sse":
            guard let url = try text("url"), url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ConfigError(kind: .missingField, path: path, position: node.position, field: "\(field).url",
                                  message: "an \(kind ?? "http") server needs an http:// or https:// url")
            }
            let headers = try table("headers")
            transport = kind?.lowercased() == "sse" ? .sse(url: url, headers: headers) : .http(url: url, headers: headers)
        case let other?:
            throw ConfigError(kind: .invalidValue, path: path, position: node["type"]?.position ?? node.position,
                              field: "\(field).type", message: "\"\(other)\" is not a transport: use stdio, http or sse")
        }
        var server = MCPServerConfig(name: name, transport: transport, source: path)
        server.enabled = node["enabled"]?.bool ?? true
        if let timeout = node["timeout"], !timeout.isNull {
            guard let seconds = timeout.number?.double, seconds > 0, seconds <= 86_400 else {
                throw ConfigError(kind: .invalidValue, path: path, position: timeout.position, field: "\(field).timeout",
                                  message: "must be a number of seconds between 0 and 86400")
            }
            server.timeoutSeconds = seconds
        }
        server.alwaysAllow = try strings("alwaysAllow")
        server.unavailableReason = unavailable
        return server
    }

    /// `${VAR}` expanded; an unset variable marks the server unavailable (the text is kept).
    private func expand(_ text: String, _ unavailable: inout String?) -> String {
        do throws(ConfigInterpolation.Failure) {
            return try ConfigInterpolation.expand(text, environment: environment)
        } catch {
            switch error {
            case .unsetVariable(let name): unavailable = unavailable ?? "${\(name)} is not set"
            case .malformed(let reason): unavailable = unavailable ?? reason
            }
            return text
        }
    }
}

extension ConfigLoader {
    /// The servers of a `.mcp.json` file (Claude Code's: `{"mcpServers": {…}}`), interpolated
    /// from `environment`. Only for a trusted folder (`FolderTrustGate.allowsProjectFiles`).
    public static func mcpServers(inFile path: String, environment: [String: String]) throws(ConfigError) -> [MCPServerConfig] {
        let data: [UInt8]
        do {
            data = try BoundedFile.read(path, limit: InputLimits.maxConfigFileBytes)
        } catch {
            throw ConfigError.unreadable(path: path, underlying: error)
        }
        let root = try document(parsing: data, path: path).root
        guard root.members != nil else {
            throw ConfigError.wrongType(path: path, field: "the top level", at: root, expected: "an object")
        }
        return try MCPServerDecoder(path: path, environment: environment).servers(in: root["mcpServers"])
    }
}
