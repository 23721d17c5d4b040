/// What a project's gated files would make swiftcoder do, in lines for a person deciding
/// whether to trust the folder. Read from the raw JSON: nothing is interpolated, so no
/// environment variable is read on an untrusted file's say-so (their names are listed).
public enum TrustSummary {
    /// Lines describing `document` (a parsed `agents.config.json` or `.mcp.json`).
    public static func describe(_ document: JSONValue) -> [String] {
        var lines: [String] = []
        lines += providerLines(document["providers"])
        lines += nanocoderLines(document["nanocoder"]?["providers"])
        if let mode = document["approvalMode"]?.string { lines.append("approval mode: \(mode)") }
        if let tools = document["alwaysAllow"]?.elements, !tools.isEmpty {
            lines.append("tools that never ask: " + tools.compactMap(\.string).joined(separator: ", "))
        }
        for kind in ["allow", "ask", "deny"] {
            if let rules = document["permissions"]?[kind]?.elements, !rules.isEmpty {
                lines.append("permissions \(kind): " + rules.compactMap(\.string).joined(separator: ", "))
            }
        }
        if let sandbox = document["sandbox"]?["mode"]?.string { lines.append("command sandbox: \(sandbox)") }
        if let passEnv = document["passEnv"]?.elements, !passEnv.isEmpty {
            lines.append("variables passed to commands: " + passEnv.compactMap(\.string).joined(separator: ", "))
        }
        lines += serverLines(document["mcpServers"])
        if let file = document["pricingFile"]?.string { lines.append("reads prices from: \(file)") }
        let names = referencedVariables(document)
        if !names.isEmpty { lines.append("reads environment variables: " + names.joined(separator: ", ")) }
        return lines
    }

    private static func providerLines(_ providers: JSONValue?) -> [String] {
        (providers?.members ?? []).map { member in
            let entry = member.value
            let base = entry["apiBase"]?.string ?? entry["baseUrl"]?.string ?? entry["baseURL"]?.string
            let type = entry["type"]?.string ?? "openai-compatible"
            var line = "provider \(member.key) (\(type))"
            if let base { line += " → \(base)" }
            if let key = entry["apiKey"]?.string { line += keyNote(key) }
            return line
        }
    }

    private static func nanocoderLines(_ providers: JSONValue?) -> [String] {
        (providers?.elements ?? []).map { entry in
            var line = "provider \(entry["name"]?.string ?? "?")"
            if let base = entry["baseUrl"]?.string { line += " → \(base)" }
            if let key = entry["apiKey"]?.string { line += keyNote(key) }
            return line
        }
    }

    /// How a key is supplied, never the key itself.
    private static func keyNote(_ key: String) -> String {
        let names = variableNames(in: key)
        return names.isEmpty ? ", with a key written in the file" : ", key from $" + names.joined(separator: ", $")
    }

    private static func serverLines(_ servers: JSONValue?) -> [String] {
        (servers?.members ?? []).map { member in
            let server = member.value
            if let command = server["command"]?.string {
                let arguments = (server["args"]?.elements ?? []).compactMap(\.string)
                return "starts MCP server \(member.key): " + ([command] + arguments).joined(separator: " ")
            }
            return "connects to MCP server \(member.key): \(server["url"]?.string ?? "?")"
        }
    }

    /// Every `${NAME}` / `$NAME` referenced by any string in `value`, sorted, once each.
    public static func referencedVariables(_ value: JSONValue) -> [String] {
        var names = Set<String>()
        var stack = [value]
        while let next = stack.popLast() {
            switch next.kind {
            case .string(let text): names.formUnion(variableNames(in: text))
            case .array(let elements): stack += elements
            case .object(let members): stack += members.map(\.value)
            default: break
            }
        }
        return names.sorted()
    }

    /// The variable names `ConfigInterpolation` would read from `text` (`$$` is a literal `$`).
    static func variableNames(in text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var names: [String] = []
        var index = 0
        while index < scalars.count - 1 {
            guard scalars[index] == "$" else { index += 1; continue }
            var start = index + 1
            if scalars[start] == "$" { index += 2; continue }
            if scalars[start] == "{" { start += 1 }
            var end = start
            while end < scalars.count, isNameScalar(scalars[end], first: end == start) { end += 1 }
            if end > start { names.append(String(String.UnicodeScalarView(scalars[start..<end]))) }
            index = max(end, index + 1)
        }
        return names
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar, first: Bool) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "_": true
        case "0"..."9": !first
        default: false
        }
    }
}
