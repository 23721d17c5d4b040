import App
import FoundationEssentials

// Reading theme files is I/O, so it lives here, in the runtime, not in the pure `App`.

extension ThemeCatalog {
    /// `$XDG_CONFIG_HOME/swiftcoder/themes` (a relative `$XDG_CONFIG_HOME` is ignored, per the
    /// spec), else `~/.config/swiftcoder/themes`; nil without either.
    public static func userThemeDirectory(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return xdg + "/swiftcoder/themes"
        }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/swiftcoder/themes" }
        return nil
    }

    /// Reads every `*.json` in the user's theme folder (the only I/O here). A missing folder
    /// is no problem; an unreadable file is reported and skipped.
    public static func readUserThemes(environment: [String: String]) -> (themes: [String: UserThemeFile], problems: [String]) {
        guard let directory = userThemeDirectory(environment: environment),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return ([:], []) }
        var themes: [String: UserThemeFile] = [:]
        var problems: [String] = []
        for fileName in names.sorted() where fileName.hasSuffix(".json") {
            let path = directory + "/" + fileName
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                guard let text = String(validating: data, as: UTF8.self) else {
                    problems.append("\(path): not UTF-8 text")
                    continue
                }
                themes[String(fileName.dropLast(5))] = UserThemeFile(path: path, text: text)
            } catch {
                problems.append("\(path): cannot be read")
            }
        }
        return (themes, problems)
    }
}
