import AgentCore
import TerminalUI

/// A theme file that cannot be used, naming the file and the key at fault:
/// `themes/x.json: roles.diffAdded.fg: unknown colour "grean" (line 12, column 20)`.
public struct ThemeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as shown to the user (`themes/x.json` for shipped themes, a full path otherwise).
    public var file: String
    /// The JSON path of the offending key (`roles.diffAdded.fg`), empty for the whole file.
    public var key: String
    /// What is wrong.
    public var message: String
    /// Where in the file, when known.
    public var position: SourcePosition?

    /// An error in `file` at `key`.
    public init(file: String, key: String, message: String, position: SourcePosition? = nil) {
        self.file = file
        self.key = key
        self.message = message
        self.position = position
    }

    /// `file: key: message (line L, column C)`.
    public var description: String {
        var text = file + ": " + (key.isEmpty ? "" : key + ": ") + message
        if let position { text += " (line \(position.line), column \(position.column))" }
        return text
    }
}

/// One role's look as written in a theme file, colours not yet fitted to the terminal.
public struct RoleSpec: Sendable, Hashable {
    /// `fg`.
    public var foreground: ThemeColor
    /// `bg` (the terminal's default when absent).
    public var background: ThemeColor
    /// `attributes`.
    public var attributes: TextAttributes

    /// A role's colours and attributes.
    public init(foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault,
                attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The style for a terminal of `depth`.
    public func style(for depth: ColorDepth) -> Style {
        Style(foreground: foreground.resolved(for: depth), background: background.resolved(for: depth),
              attributes: attributes)
    }
}

/// A parsed theme file: every role's colours and attributes, independent of the terminal.
public struct ThemeSpec: Sendable, Hashable {
    /// The kind of background a theme is made for.
    public enum Appearance: String, Sendable, Hashable { case dark, light }

    /// `name`, or the file name without `.json`.
    public var name: String
    /// `appearance`, when given.
    public var appearance: Appearance?
    /// Every role the file defines (all required ones, maybe `meter` and `input`).
    public var roles: [ThemeRole: RoleSpec]

    /// The theme fitted to a terminal of `depth` (optional roles take their defaults).
    public func resolved(for depth: ColorDepth) -> Theme {
        var theme = Theme(name: name)
        for role in ThemeRole.allCases {
            if let spec = roles[role] { theme.set(role, spec.style(for: depth)) }
        }
        if roles[.meter] == nil { theme.meter = theme.text.adding(.reverse) }
        if roles[.input] == nil { theme.input = theme.text }
        return theme
    }
}

/// Reads theme JSON (pure: text in, `ThemeSpec` or a `ThemeError` out).
///
/// Format: `{"name", "appearance": "dark"|"light", "description", "palette": {name: colour},
/// "roles": {role: {"fg": colour, "bg": colour, "attributes": ["bold", …]} or colour}}`.
/// A colour is a palette name, `#rrggbb`, a 0-255 index (number or string), an ANSI name
/// (`red`, `brightBlue`, `bright-blue`, `gray`) or `default`.
public enum ThemeLoader {
    static let topLevelKeys: Set<String> = ["$schema", "name", "appearance", "description", "palette", "roles"]
    static let ansiNames: [String] = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
    static let attributeNames: [String: TextAttributes] = [
        "bold": .bold, "dim": .dim, "italic": .italic, "underline": .underline, "reverse": .reverse,
    ]

    /// Parses `text`; `file` names the file in error messages and gives the default name.
    public static func parse(_ text: String, file: String) throws(ThemeError) -> ThemeSpec {
        let root: JSONValue
        do {
            root = try JSONReader.parse(text)
        } catch {
            throw ThemeError(file: file, key: "", message: error.message, position: error.position)
        }
        guard let members = root.members else { throw ThemeError(file: file, key: "", message: "expected a JSON object") }
        for member in members where !topLevelKeys.contains(member.key) {
            throw ThemeError(file: file, key: member.key, message: "unknown key (expected one of "
                             + topLevelKeys.sorted().joined(separator: ", ") + ")", position: member.keyPosition)
        }
        var reader = Reader(file: file)
        var spec = ThemeSpec(name: defaultName(file), appearance: nil, roles: [:])
        if let name = root["name"] { spec.name = try reader.string(name, key: "name") }
        if let appearance = root["appearance"] {
            let value = try reader.string(appearance, key: "appearance")
            guard let parsed = ThemeSpec.Appearance(rawValue: value) else {
                throw reader.error("appearance", "expected \"dark\" or \"light\", got \"\(value)\"", at: appearance)
            }
            spec.appearance = parsed
        }
        if let palette = root["palette"] { try reader.readPalette(palette) }
        guard let roles = root["roles"] else { throw ThemeError(file: file, key: "roles", message: "missing") }
        spec.roles = try reader.readRoles(roles)
        return spec
    }

    /// `themes/solarized-dark.json` → `solarized-dark`.
    static func defaultName(_ file: String) -> String {
        var name = Substring(file)
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if name.hasSuffix(".json") { name = name.dropLast(5) }
        return String(name)
    }

    /// Parses one colour outside a palette (`#rrggbb`, index, ANSI name, `default`).
    static func plainColor(_ text: String) -> ThemeColor? {
        let lower = text.lowercased()
        if lower == "default" || lower == "none" { return .terminalDefault }
        if lower.hasPrefix("#") { return hexColor(lower.dropFirst()) }
        if let index = Int(lower) { return (0...255).contains(index) ? .indexed(UInt8(index)) : nil }
        var name = lower.filter { $0 != "-" && $0 != "_" && $0 != " " }
        if name == "gray" || name == "grey" { return .ansi(8) }
        var offset: UInt8 = 0
        if name.hasPrefix("bright") { offset = 8; name.removeFirst(6) }
        if let base = ansiNames.firstIndex(of: name) { return .ansi(UInt8(base) + offset) }
        return nil
    }

    static func hexColor(_ digits: Substring) -> ThemeColor? {
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        return .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }
}
