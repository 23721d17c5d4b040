import FoundationEssentials

/// The XDG base directories swiftcoder keeps its files under. A relative value is ignored,
/// as the XDG spec says; without the variable, the spec's default under `$HOME`.
public enum XDGDirectories {
    /// `$XDG_DATA_HOME/swiftcoder` (default `~/.local/share/swiftcoder`): sessions, trust.
    public static func data(environment: [String: String]) -> String {
        base("XDG_DATA_HOME", default: ".local/share", environment: environment) + "/swiftcoder"
    }

    /// `$XDG_STATE_HOME/swiftcoder` (default `~/.local/state/swiftcoder`): exports.
    public static func state(environment: [String: String]) -> String {
        base("XDG_STATE_HOME", default: ".local/state", environment: environment) + "/swiftcoder"
    }

    private static func base(_ variable: String, default relative: String, environment: [String: String]) -> String {
        if let value = environment[variable], value.hasPrefix("/") { return value }
        if let home = environment["HOME"], !home.isEmpty { return home + "/" + relative }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/" + relative
    }
}
