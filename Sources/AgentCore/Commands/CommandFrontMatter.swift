import FoundationEssentials

/// The YAML subset command files use in their front matter (D145): `key: value` lines
/// between `---` lines, values plain or quoted, lists inline (`[a, b]`, or a comma-separated
/// string) or as `- item` lines below the key, `#` comments. One pass over the lines;
/// anything else is a problem naming the file and line, and the line is skipped.
public enum CommandFrontMatter {
    /// A value: the text as written (unquoted), or list items.
    public enum Value: Sendable, Hashable {
        case text(String)
        case items([String])

        /// The value as one string (a list joined with ", ").
        public var text: String {
            switch self {
            case .text(let text): text
            case .items(let items): items.joined(separator: ", ")
            }
        }

        /// The value as a list: items, or a string split at commas outside parentheses
        /// (`Bash(git add:*), Read`).
        public var list: [String] {
            switch self {
            case .items(let items): items
            case .text(let text): CommandFrontMatter.splitList(text)
            }
        }
    }

    /// What a file holds: its fields, the body after them, and problems found.
    public struct Parsed: Sendable, Hashable {
        public var fields: [String: Value]
        public var body: String
        public var problems: [String]
    }

    /// Keys whose value is shown as written, brackets included (`argument-hint: [file] [focus]`).
    static let textKeys: Set<String> = ["argument-hint", "description"]

    /// Parses `text` (the whole file); `file` names it in problems.
    public static func parse(_ text: String, file: String) -> Parsed {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.trimmingTrailingCR == "---" else {
            return Parsed(fields: [:], body: text, problems: [])
        }
        lines.removeFirst()
        guard let close = lines.firstIndex(where: { $0.trimmingTrailingCR == "---" }) else {
            return Parsed(fields: [:], body: text,
                          problems: ["\(file):1: the front matter starting here has no closing --- line; the file is used as it is"])
        }
        var fields: [String: Value] = [:]
        var problems: [String] = []
        var listKey: String?
        for (index, raw) in lines[..<close].enumerated() {
            let line = raw.trimmingTrailingCR
            let number = index + 2
            let content = line.trimmed
            if content.isEmpty || content.hasPrefix("#") { continue }
            if content.hasPrefix("- ") || content == "-", let key = listKey, line.first == " " || line.first == "-" {
                let item = unquote(String(content.dropFirst()).trimmed)
                if case .items(let items) = fields[key] ?? .items([]) { fields[key] = .items(items + [item]) }
                continue
            }
            listKey = nil
            guard line.first != " ", line.first != "\t", let colon = line.firstIndex(of: ":") else {
                problems.append("\(file):\(number): expected `key: value` in the front matter, found \(quoteShort(content))")
                continue
            }
            let key = line[..<colon].trimmed.lowercased()
            let value = line[line.index(after: colon)...].trimmed
            guard !key.isEmpty else {
                problems.append("\(file):\(number): a front matter line without a key")
                continue
            }
            if value.isEmpty {
                fields[key] = .items([])
                listKey = key
            } else if value.hasPrefix("["), !textKeys.contains(key) {
                guard value.hasSuffix("]") else {
                    problems.append("\(file):\(number): the list for \(key) has no closing ]")
                    continue
                }
                fields[key] = .items(splitList(String(value.dropFirst().dropLast())).map(unquote))
            } else {
                fields[key] = .text(unquote(value))
            }
        }
        // A key followed by nothing at all is an empty text, not a list.
        for (key, value) in fields where value == .items([]) { fields[key] = .text("") }
        let body = lines[(close + 1)...].joined(separator: "\n")
        return Parsed(fields: fields, body: body, problems: problems)
    }

    /// Splits at commas outside parentheses and quotes; items trimmed, empty ones dropped.
    static func splitList(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "(" {
                depth += 1
            } else if character == ")" {
                depth = max(0, depth - 1)
            } else if character == ",", depth == 0 {
                items.append(current.trimmed)
                current = ""
                continue
            }
            current.append(character)
        }
        items.append(current.trimmed)
        return items.map(unquote).filter { !$0.isEmpty }
    }

    /// Without one pair of surrounding quotes (`"…"` with `\"` and `\\`, or `'…'` with `''`).
    static func unquote(_ value: String) -> String {
        guard value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" else {
            return value
        }
        let inner = value.dropFirst().dropLast()
        var result = ""
        var escaped = false
        for character in inner {
            if first == "'" {
                // '' is one quote inside single quotes.
                if escaped { escaped = false; if character == "'" { continue } }
                if character == "'" { escaped = true }
                result.append(character)
            } else if escaped {
                result.append(character == "n" ? "\n" : character == "t" ? "\t" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func quoteShort(_ text: String) -> String {
        "\"" + (text.count > 40 ? String(text.prefix(39)) + "…" : text) + "\""
    }
}

extension Substring {
    /// Without a final carriage return (files written on Windows).
    var trimmingTrailingCR: Substring { last == "\r" ? dropLast() : self }
}

extension StringProtocol {
    /// Without leading and trailing whitespace.
    var trimmed: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
