import FoundationEssentials

/// A command body split into what is sent as written and what must be fetched first
/// (D146): `@path` (a project file's contents) and `` !`command` `` (a command's output).
/// Arguments are substituted after the split, so text typed as arguments never becomes a
/// file reference or a command; they are substituted into the paths and commands the body
/// itself names (`` !`git diff $1` ``), which the approval box then shows in full.
public struct CommandTemplate: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case text(String)
        /// `@path`, as written after the `@`.
        case file(String)
        /// `` !`command` ``: the command between the backquotes.
        case shell(String)
    }

    public var parts: [Part]

    /// Splits `body` in one pass. `@` starts a reference only at the start of the text or after
    /// whitespace or `(`, and runs to the next whitespace (trailing `.,;:!?)` left as text);
    /// `` !` `` starts a command that ends at the next backquote on the same line.
    public init(_ body: String) {
        var parts: [Part] = []
        var text = ""
        var characters = Array(body)[...]
        var previous: Character?
        func flush() {
            if !text.isEmpty { parts.append(.text(text)) }
            text = ""
        }
        while let character = characters.first {
            if character == "!", characters.dropFirst().first == "`",
               let end = characters.dropFirst(2).firstIndex(where: { $0 == "`" || $0 == "\n" }),
               characters[end] == "`", end > characters.startIndex + 2 {
                flush()
                parts.append(.shell(String(characters[(characters.startIndex + 2)..<end])))
                characters = characters[(end + 1)...]
                previous = "`"
                continue
            }
            if character == "@", previous == nil || previous!.isWhitespace || previous == "(" {
                let word = characters.dropFirst().prefix { !$0.isWhitespace }
                var path = Substring(String(word))
                while let last = path.last, ".,;:!?)\"'`".contains(last) { path = path.dropLast() }
                if !path.isEmpty {
                    flush()
                    parts.append(.file(String(path)))
                    characters = characters.dropFirst(1 + path.count)
                    previous = path.last
                    continue
                }
            }
            text.append(character)
            previous = character
            characters = characters.dropFirst()
        }
        flush()
        self.parts = parts
    }

    /// The commands the body runs, with `arguments` substituted.
    public func shellCommands(arguments: String) -> [String] {
        parts.compactMap { if case .shell(let command) = $0 { Self.substitute(command, arguments: arguments) } else { nil } }
    }

    /// The body with arguments substituted and each file and command replaced by what
    /// `resolve` returns for it (already substituted).
    public func render(arguments: String, resolve: (Part) -> String) -> String {
        var output = ""
        for part in parts {
            switch part {
            case .text(let text): output += Self.substitute(text, arguments: arguments)
            case .file(let path): output += resolve(.file(Self.substitute(path, arguments: arguments)))
            case .shell(let command): output += resolve(.shell(Self.substitute(command, arguments: arguments)))
            }
        }
        return output
    }

    /// `$ARGUMENTS` → all of `arguments` (trimmed), `$1`…`$9` → the words of `arguments`
    /// (double or single quotes group words), a missing one → empty. Other `$` text stays.
    public static func substitute(_ text: String, arguments: String) -> String {
        guard text.contains("$") else { return text }
        let all = arguments.trimmed
        let words = splitArguments(all)
        var output = ""
        var rest = text[...]
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.hasPrefix("ARGUMENTS") {
                output += all
                rest = after.dropFirst("ARGUMENTS".count)
            } else if let digit = after.first, let number = digit.wholeNumberValue, (1...9).contains(number),
                      !(after.dropFirst().first?.isNumber ?? false) {
                output += number <= words.count ? words[number - 1] : ""
                rest = after.dropFirst()
            } else {
                output += "$"
                rest = after
            }
        }
        return output + rest
    }

    /// Words separated by whitespace; `"a b"` and `'a b'` are one word (quotes removed).
    public static func splitArguments(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
