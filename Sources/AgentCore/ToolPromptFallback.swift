import FoundationEssentials

/// Tool calling for models without native support: tools are described in the system prompt
/// and calls are parsed back from the reply text.
///
/// Understood call forms: fenced JSON blocks (```` ```json ````, ```` ```tool_call ```` or unlabeled)
/// holding `{"name": …, "arguments": {…}}` or an array of such objects; Hermes/Qwen
/// `<tool_call>{…}</tool_call>`; and `<tool_name><param>value</param></tool_name>` for known tools.
public enum ToolPromptFallback {
    /// The system-prompt section describing `tools` and exactly how to call them; empty without tools.
    public static func systemPrompt(for tools: [ToolDefinition]) -> String {
        guard !tools.isEmpty else { return "" }
        var lines = ["# Tools", "", "You can use the following tools.", ""]
        for tool in tools {
            lines += ["## \(tool.name)", tool.description, "Parameters (JSON Schema):", tool.parameters, ""]
        }
        lines += [
            "# How to call a tool",
            "",
            "To call a tool, reply with a fenced code block labelled json that holds exactly one JSON object "
                + "with the tool's name and its arguments:",
            "",
            "```json",
            #"{"name": "TOOL_NAME", "arguments": {"PARAMETER": "value"}}"#,
            "```",
            "",
            "- Put nothing else in that block: no comments, no text, only that one JSON object.",
            #"- "arguments" is a JSON object matching the tool's parameters; use {} when there are none."#,
            "- For several calls, write one block per call.",
            "- After your calls, stop and wait: the results come back in the next message.",
            "- When you need no tool, answer normally without such a block.",
        ]
        return lines.joined(separator: "\n")
    }

    /// Extracts tool calls from a reply.
    ///
    /// - Parameters:
    ///   - reply: The model's reply text.
    ///   - knownTools: Tool names the XML form is recognized for (so prose XML is left alone);
    ///     also used to decide whether invalid JSON was meant as a call.
    /// - Returns: The reply without the extracted blocks (trimmed; unchanged when nothing was
    ///   extracted), the calls in order of appearance with ids `fallback_1`, `fallback_2`, …,
    ///   and a message for each block that was clearly a call but could not be read.
    public static func parseToolCalls(
        from reply: String, knownTools: Set<String> = []
    ) -> (text: String, calls: [ToolCall], problems: [String]) {
        var found: [Extraction] = []
        for fence in fencedBlocks(in: reply) {
            if let extraction = readFence(fence, knownTools: knownTools) { found.append(extraction) }
        }
        var taken = found.map(\.range)
        for extraction in taggedBlocks(in: reply, tag: "tool_call", skipping: taken) {
            found.append(extraction)
            taken.append(extraction.range)
        }
        // Outermost first, so a tool's tag quoted inside another call's parameter stays a value.
        let xml = knownTools.flatMap { xmlCalls(in: reply, tool: $0, skipping: taken) }
        for extraction in xml.sorted(by: { $0.range.lowerBound < $1.range.lowerBound })
        where !taken.contains(where: { $0.overlaps(extraction.range) }) {
            found.append(extraction)
            taken.append(extraction.range)
        }
        guard !found.isEmpty else { return (reply, [], []) }
        found.sort { $0.range.lowerBound < $1.range.lowerBound }

        var calls: [ToolCall] = []
        var problems: [String] = []
        var text = ""
        var cursor = reply.startIndex
        for extraction in found {
            text += reply[cursor..<extraction.range.lowerBound]
            cursor = extraction.range.upperBound
            for (name, arguments) in extraction.calls {
                calls.append(ToolCall(id: "fallback_\(calls.count + 1)", name: name, arguments: arguments))
            }
            if let problem = extraction.problem { problems.append(problem) }
        }
        text += reply[cursor...]
        return (String(trimmed(text[...])), calls, problems)
    }

    // MARK: - Extractions

    /// A region of the reply that is removed from the text: the calls it held, or why it failed.
    private struct Extraction {
        var range: Range<String.Index>
        var calls: [(name: String, arguments: String)] = []
        var problem: String?
    }

    private struct Fence {
        var range: Range<String.Index>
        var label: String
        var body: Substring
    }

    private static let callLabels: Set<String> = ["", "json", "tool_call", "tool_calls", "tool", "jsonc", "json5"]

    /// Fenced code blocks, line by line; an unclosed fence runs to the end of the reply.
    private static func fencedBlocks(in text: String) -> [Fence] {
        var fences: [Fence] = []
        var open: (start: String.Index, label: String, bodyStart: String.Index)?
        var lineStart = text.startIndex
        while lineStart < text.endIndex {
            let lineEnd = text[lineStart...].firstIndex(where: \.isNewline) ?? text.endIndex
            let next = lineEnd < text.endIndex ? text.index(after: lineEnd) : text.endIndex
            let line = trimmed(text[lineStart..<lineEnd])
            if line.hasPrefix("```") {
                if let current = open {
                    if line == "```" {
                        fences.append(Fence(range: current.start..<next, label: current.label,
                                            body: text[current.bodyStart..<lineStart]))
                        open = nil
                    }
                } else {
                    open = (lineStart, String(trimmed(line.dropFirst(3))).lowercased(), next)
                }
            }
            lineStart = next
        }
        if let current = open {
            fences.append(Fence(range: current.start..<text.endIndex, label: current.label,
                                body: text[current.bodyStart...]))
        }
        return fences
    }

    private static func readFence(_ fence: Fence, knownTools: Set<String>) -> Extraction? {
        guard callLabels.contains(fence.label) else { return nil }
        let body = trimmed(fence.body)
        guard body.first == "{" || body.first == "[" else { return nil }
        do {
            let value = try JSONReader.parse(String(body))
            guard let calls = calls(in: value, knownTools: knownTools) else { return nil }
            return Extraction(range: fence.range, calls: calls)
        } catch {
            guard let name = guessedName(in: body),
                  knownTools.contains(name) || (knownTools.isEmpty && body.contains("\"arguments\""))
            else { return nil }
            return Extraction(range: fence.range, problem: invalidJSON(name: name, error: error))
        }
    }

    /// `<tag>{json}</tag>` blocks; their JSON must be a call, otherwise they become problems.
    private static func taggedBlocks(
        in text: String, tag: String, skipping taken: [Range<String.Index>]
    ) -> [Extraction] {
        elements(named: tag, in: text, skipping: taken).map { element in
            let body = trimmed(element.body)
            do throws(JSONSyntaxError) {
                let value = try JSONReader.parse(String(body))
                if let calls = calls(in: value, knownTools: []) { return Extraction(range: element.range, calls: calls) }
                return Extraction(range: element.range,
                                  problem: "A <\(tag)> block does not hold a {\"name\", \"arguments\"} object.")
            } catch {
                return Extraction(range: element.range,
                                  problem: invalidJSON(name: guessedName(in: body) ?? tag, error: error))
            }
        }
    }

    /// `<tool><param>value</param>…</tool>` calls; parameters become a JSON object of strings.
    private static func xmlCalls(
        in text: String, tool: String, skipping taken: [Range<String.Index>]
    ) -> [Extraction] {
        elements(named: tool, in: text, skipping: taken).map { element in
            if let pairs = xmlParameters(element.body) {
                let members = pairs.map { "\(quoted($0.name)):\(quoted($0.value))" }
                return Extraction(range: element.range, calls: [(tool, "{" + members.joined(separator: ",") + "}")])
            }
            let body = trimmed(element.body)
            if let value = try? JSONReader.parse(String(body)), value.members != nil {
                return Extraction(range: element.range, calls: [(tool, serialize(value))])
            }
            return Extraction(range: element.range, problem: "The parameters of <\(tool)> could not be read: "
                + "write each one as <parameter_name>value</parameter_name> inside <\(tool)>…</\(tool)>.")
        }
    }

    /// Each `<name>…</name>` outside `taken`, with its inner text.
    private static func elements(
        named name: String, in text: String, skipping taken: [Range<String.Index>]
    ) -> [(range: Range<String.Index>, body: Substring)] {
        var result: [(range: Range<String.Index>, body: Substring)] = []
        var searchStart = text.startIndex
        while let open = text[searchStart...].firstRange(of: "<\(name)>"),
              let close = text[open.upperBound...].firstRange(of: "</\(name)>") {
            let range = open.lowerBound..<close.upperBound
            if !taken.contains(where: { $0.overlaps(range) }) {
                result.append((range, text[open.upperBound..<close.lowerBound]))
            }
            searchStart = close.upperBound
        }
        return result
    }

    /// `<a>x</a><b>y</b>` as pairs; `nil` when the text is not only such elements. Empty text is `[]`.
    private static func xmlParameters(_ body: Substring) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        var rest = trimmed(body)
        while !rest.isEmpty {
            guard rest.first == "<", let end = rest.firstIndex(of: ">") else { return nil }
            let name = rest[rest.index(after: rest.startIndex)..<end]
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }),
                  let close = rest[end...].firstRange(of: "</\(name)>") else { return nil }
            var value = rest[rest.index(after: end)..<close.lowerBound]
            if value.first?.isNewline == true { value = value.dropFirst() }
            if value.last?.isNewline == true { value = value.dropLast() }
            pairs.append((String(name), String(value)))
            rest = trimmed(rest[close.upperBound...])
        }
        return pairs
    }

    // MARK: - JSON calls

    /// The calls a JSON value holds: one call object or an array of them; `nil` when it is not calls.
    private static func calls(in value: JSONValue, knownTools: Set<String>) -> [(name: String, arguments: String)]? {
        if let elements = value.elements {
            let calls = elements.compactMap { call(in: $0, knownTools: knownTools) }
            return !calls.isEmpty && calls.count == elements.count ? calls : nil
        }
        return call(in: value, knownTools: knownTools).map { [$0] }
    }

    /// One call object: `name`/`tool`/`function` plus `arguments`/`parameters`, or OpenAI's
    /// `{"function": {"name", "arguments"}}`. Without arguments the name must be a known tool.
    private static func call(in value: JSONValue, knownTools: Set<String>) -> (name: String, arguments: String)? {
        guard value.members != nil else { return nil }
        if let function = value["function"], function.members != nil {
            return call(in: function, knownTools: knownTools)
        }
        guard let name = (value["name"] ?? value["tool"] ?? value["function"])?.string, !name.isEmpty else {
            return nil
        }
        guard let arguments = value["arguments"] ?? value["parameters"] else {
            return knownTools.contains(name) ? (name, "{}") : nil
        }
        if let text = arguments.string, let parsed = try? JSONReader.parse(text), parsed.members != nil {
            return (name, text)
        }
        guard arguments.members != nil || arguments.isNull else { return nil }
        return (name, arguments.isNull ? "{}" : serialize(arguments))
    }

    /// The string after the first `"name":` in text that is not valid JSON.
    private static func guessedName(in body: Substring) -> String? {
        guard let key = body.firstRange(of: "\"name\"") else { return nil }
        var rest = body[key.upperBound...].drop(while: \.isWhitespace)
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop(while: \.isWhitespace)
        guard rest.first == "\"" else { return nil }
        let name = rest.dropFirst().prefix(while: { $0 != "\"" && !$0.isNewline })
        return name.isEmpty ? nil : String(name)
    }

    private static func invalidJSON(name: String, error: JSONSyntaxError) -> String {
        "The call to \"\(name)\" is not valid JSON (\(error)); nothing was run. "
            + #"Send it again as one JSON object: {"name": "\#(name)", "arguments": {…}}."#
    }

    // MARK: - Text helpers

    private static func trimmed(_ text: Substring) -> Substring {
        var result = text.drop(while: \.isWhitespace)
        while result.last?.isWhitespace == true { result = result.dropLast() }
        return result
    }

    /// Compact JSON text for a parsed value, keeping member order and number spelling.
    private static func serialize(_ value: JSONValue) -> String {
        switch value.kind {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): number.text
        case .string(let text): quoted(text)
        case .array(let elements): "[" + elements.map(serialize).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.map { quoted($0.key) + ":" + serialize($0.value) }.joined(separator: ",") + "}"
        }
    }

    /// `text` as a JSON string literal.
    private static func quoted(_ text: String) -> String { JSONText.quoted(text) }
}
