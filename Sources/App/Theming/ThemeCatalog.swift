/// A theme file found in the user's theme folder.
public struct UserThemeFile: Sendable, Hashable {
    /// The full path, used in error messages.
    public var path: String
    /// The file's contents.
    public var text: String

    /// A theme file read from `path`.
    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// The theme the app will draw with, and why it is not the one asked for (if it is not).
public struct ThemeSelection: Sendable, Hashable {
    /// The theme to draw with.
    public var theme: Theme
    /// A message to show the user: a broken theme file or an unknown name. Nil when all went well.
    public var problem: String?
}

/// The themes the app knows: the shipped ones (embedded, no files needed) and the user's,
/// which override shipped ones of the same name. Pure: user files are read by `readUserThemes`.
public struct ThemeCatalog: Sendable {
    /// The theme used when none is configured (and when the chosen one cannot be used).
    public static let defaultName = "default-dark"
    /// The theme used when `NO_COLOR` is set: attributes only.
    public static let monochromeName = "monochrome"

    /// User theme files by name (file name without `.json`).
    public var userThemes: [String: UserThemeFile]

    /// A catalog of the shipped themes plus `userThemes` (see `readUserThemes`).
    public init(userThemes: [String: UserThemeFile] = [:]) {
        self.userThemes = userThemes
    }

    /// Names of the shipped themes, sorted.
    public static var shippedNames: [String] { ShippedThemes.json.keys.sorted() }

    /// Every theme name, shipped and user, sorted and without repeats (for `/theme`).
    public var names: [String] { Set(ShippedThemes.json.keys).union(userThemes.keys).sorted() }

    /// True when `name` comes from the user's folder (possibly overriding a shipped theme).
    public func isUserTheme(_ name: String) -> Bool { userThemes[name] != nil }

    /// Parses theme `name` (user file first, then shipped) without resolving its colours.
    public func spec(named name: String) throws(ThemeError) -> ThemeSpec {
        if let file = userThemes[name] { return try ThemeLoader.parse(file.text, file: file.path) }
        guard let json = ShippedThemes.json[name] else {
            throw ThemeError(file: name, key: "", message: "no such theme (available: "
                             + names.joined(separator: ", ") + ")")
        }
        return try ThemeLoader.parse(json, file: "themes/\(name).json")
    }

    /// The theme to draw with: `name` (nil means the default) fitted to `depth`. A broken or
    /// unknown theme falls back to the shipped default, with the reason in `problem`.
    public func load(_ name: String?, depth: ColorDepth) -> ThemeSelection {
        let wanted = name ?? Self.defaultName
        do {
            return ThemeSelection(theme: try spec(named: wanted).resolved(for: depth), problem: nil)
        } catch {
            let problem = "theme \"\(wanted)\": \(error); using \(Self.defaultName)"
            return ThemeSelection(theme: Self.shippedDefault(depth: depth), problem: problem)
        }
    }

    /// The theme for this environment: monochrome when `NO_COLOR` is set and non-empty,
    /// otherwise `name` (or the default) fitted to a terminal of `colorCount` colours.
    public func select(_ name: String?, colorCount: Int, environment: [String: String]) -> ThemeSelection {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty {
            return load(Self.monochromeName, depth: .monochrome)
        }
        let depth = ColorDepth(colorCount: colorCount)
        return load(depth == .monochrome ? Self.monochromeName : name, depth: depth)
    }

    /// The embedded default theme (never a user override, so it always loads).
    static func shippedDefault(depth: ColorDepth) -> Theme {
        guard let json = ShippedThemes.json[defaultName],
              let spec = try? ThemeLoader.parse(json, file: "themes/\(defaultName).json") else { return .fallback }
        return spec.resolved(for: depth)
    }
}
