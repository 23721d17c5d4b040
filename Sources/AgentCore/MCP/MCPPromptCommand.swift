/// An MCP server's prompt as a slash command, `/SERVER:PROMPT args` (issue 13, item 6): its
/// name, its argument hint, and the typed arguments matched to the prompt's arguments.
public enum MCPPromptCommand {
    /// The longest command name kept (a hostile server's 10 KB prompt name is cut).
    static let maxNameLength = 64

    /// `server:prompt`, lowercased, with anything but letters, digits, `-`, `_` and `.` made `-`
    /// in each part, so the name is one word the command line can split and type.
    public static func name(server: String, prompt: String) -> String {
        String((part(server) + ":" + part(prompt)).prefix(maxNameLength))
    }

    private static func part(_ text: String) -> String {
        let cleaned = text.lowercased().map { character -> Character in
            character.isLetter || character.isNumber || "-_.".contains(character) ? character : "-"
        }
        return cleaned.isEmpty ? "-" : String(cleaned)
    }

    /// `<required> [optional]`, from the prompt's arguments in order.
    public static func hint(_ prompt: MCPPromptInfo) -> String {
        prompt.arguments.map { $0.required ? "<\(part($0.name))>" : "[\(part($0.name))]" }.joined(separator: " ")
    }

    /// Matches what was typed after the command to the prompt's arguments: `name=value` pairs
    /// when every word is one for a declared argument, else the words in order (quotes group
    /// words; the last argument takes the words left over; a prompt with one argument takes
    /// the whole text). A missing required argument, or words for a prompt that takes none,
    /// give the reason with the usage.
    public static func arguments(_ text: String, for prompt: MCPPromptInfo,
                                 command: String) -> Result<[String: String], MCPError> {
        let declared = prompt.arguments
        let words = CommandTemplate.splitArguments(text)
        let usage = "Usage: /\(command)" + (declared.isEmpty ? "" : " " + hint(prompt))
        if declared.isEmpty {
            return words.isEmpty ? .success([:]) : .failure(MCPError("/\(command) takes no arguments. \(usage)"))
        }
        var values: [String: String] = [:]
        let names = Set(declared.map(\.name))
        let pairs = words.compactMap { word -> (String, String)? in
            guard let equals = word.firstIndex(of: "="), names.contains(String(word[..<equals])) else { return nil }
            return (String(word[..<equals]), String(word[word.index(after: equals)...]))
        }
        if !words.isEmpty && pairs.count == words.count {
            for (name, value) in pairs { values[name] = value }
        } else if declared.count == 1 {
            let whole = text.trimmed
            if !whole.isEmpty { values[declared[0].name] = words.count == 1 ? words[0] : whole }
        } else {
            for (index, argument) in declared.enumerated() where index < words.count {
                let isLast = index == declared.count - 1
                values[argument.name] = isLast ? words[index...].joined(separator: " ") : words[index]
            }
        }
        let missing = declared.filter { $0.required && (values[$0.name] ?? "").isEmpty }.map(\.name)
        guard missing.isEmpty else {
            return .failure(MCPError("/\(command) needs \(missing.joined(separator: ", ")). \(usage)"))
        }
        return .success(values)
    }
}
