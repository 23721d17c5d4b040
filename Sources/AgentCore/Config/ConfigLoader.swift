import FoundationEssentials

/// A config file's parsed JSON, kept so later loaders can read their own keys (theme, pricing, …).
public struct ConfigDocument: Sendable, Hashable {
    /// The file it was read from.
    public var path: String
    /// The whole tree, with positions and object members in file order.
    public var root: JSONValue

    public init(path: String, root: JSONValue) {
        self.path = path
        self.root = root
    }
}

/// Finds, reads and interprets `agents.config.json`.
///
/// Lookup order: `--config FILE`, then `$SWIFTCODER_CONFIG`, then `./agents.config.json`, then
/// `$XDG_CONFIG_HOME/swiftcoder/agents.config.json` (default `~/.config/swiftcoder/…`).
/// No file at all is not an error: it yields an empty `AppConfig` whose `sourcePath` is `nil`.
public enum ConfigLoader {
    /// The config file's name.
    public static let fileName = "agents.config.json"
    /// Config files larger than this are refused (real ones are a few KiB).
    public static let fileSizeLimit = InputLimits.maxConfigFileBytes
    /// The environment variable naming a config file.
    public static let environmentVariable = "SWIFTCODER_CONFIG"

    // MARK: - Locating

    /// The file to load, or `nil` when none exists.
    ///
    /// A file named by `explicitPath` or `$SWIFTCODER_CONFIG` must exist; relative paths are taken
    /// from `currentDirectory`, and a leading `~/` from `$HOME`.
    /// With `skippingProjectFile`, `./agents.config.json` is passed over (its folder is not
    /// trusted, see `FolderTrustGate`).
    public static func locate(explicitPath: String?, environment: [String: String], currentDirectory: String,
                              skippingProjectFile: Bool = false,
                              fileExists: (String) -> Bool) throws(ConfigError) -> String? {
        if let explicitPath {
            let path = resolve(explicitPath, environment: environment, currentDirectory: currentDirectory)
            guard fileExists(path) else {
                throw ConfigError(kind: .fileNotFound, path: path,
                                  message: "config file not found (given with --config)")
            }
            return path
        }
        if let named = environment[environmentVariable], !named.isEmpty {
            let path = resolve(named, environment: environment, currentDirectory: currentDirectory)
            guard fileExists(path) else {
                throw ConfigError(kind: .fileNotFound, path: path,
                                  message: "config file not found (named by $\(environmentVariable))")
            }
            return path
        }
        let project = projectPath(currentDirectory: currentDirectory)
        return implicitPaths(environment: environment, currentDirectory: currentDirectory)
            .first { fileExists($0) && !(skippingProjectFile && $0 == project) }
    }

    /// Whether a config is named explicitly (`--config` or `$SWIFTCODER_CONFIG`): the user's
    /// choice, never gated by folder trust.
    public static func isNamedExplicitly(explicitPath: String?, environment: [String: String]) -> Bool {
        explicitPath != nil || !(environment[environmentVariable] ?? "").isEmpty
    }

    /// The project's own config file: `agents.config.json` in `currentDirectory`.
    public static func projectPath(currentDirectory: String) -> String {
        join(currentDirectory, fileName)
    }

    /// The user's own config file (`$XDG_CONFIG_HOME/swiftcoder/agents.config.json`), if a
    /// home is known.
    public static func userPath(environment: [String: String]) -> String? {
        implicitPaths(environment: environment, currentDirectory: "/").dropFirst().first
    }

    /// Every place looked at without `--config`, in order, for on-screen help.
    public static func searchPaths(environment: [String: String], currentDirectory: String) -> [String] {
        var paths: [String] = []
        if let named = environment[environmentVariable], !named.isEmpty {
            paths.append(resolve(named, environment: environment, currentDirectory: currentDirectory))
        }
        return paths + implicitPaths(environment: environment, currentDirectory: currentDirectory)
    }

    /// `./agents.config.json`, then the XDG location (a relative `$XDG_CONFIG_HOME` is ignored, per the spec).
    private static func implicitPaths(environment: [String: String], currentDirectory: String) -> [String] {
        var paths = [join(currentDirectory, fileName)]
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            paths.append(join(join(xdg, "swiftcoder"), fileName))
        } else if let home = environment["HOME"], !home.isEmpty {
            paths.append(join(join(home, ".config/swiftcoder"), fileName))
        }
        return paths
    }

    private static func resolve(_ path: String, environment: [String: String], currentDirectory: String) -> String {
        if path.hasPrefix("/") { return path }
        if let home = environment["HOME"], !home.isEmpty {
            if path == "~" { return home }
            if path.hasPrefix("~/") { return join(home, String(path.dropFirst(2))) }
        }
        return join(currentDirectory, path)
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    // MARK: - Loading

    /// Locates and loads the configuration; an empty `AppConfig` when no file exists.
    public static func load(explicitPath: String?, environment: [String: String], currentDirectory: String,
                            skippingProjectFile: Bool = false) throws(ConfigError) -> AppConfig {
        guard let document = try loadDocument(explicitPath: explicitPath, environment: environment,
                                              currentDirectory: currentDirectory,
                                              skippingProjectFile: skippingProjectFile) else { return AppConfig() }
        return try appConfig(from: document, environment: environment)
    }

    /// Locates, reads and parses the file without interpreting it; `nil` when no file exists.
    public static func loadDocument(explicitPath: String?, environment: [String: String], currentDirectory: String,
                                    skippingProjectFile: Bool = false) throws(ConfigError) -> ConfigDocument? {
        let path = try locate(explicitPath: explicitPath, environment: environment,
                              currentDirectory: currentDirectory, skippingProjectFile: skippingProjectFile,
                              fileExists: { FileManager.default.fileExists(atPath: $0) })
        guard let path else { return nil }
        return try document(parsing: readFile(path), path: path)
    }

    /// Parses and interprets file contents (`path` is only used in messages and `sourcePath`).
    public static func parse(data: [UInt8], path: String,
                             environment: [String: String]) throws(ConfigError) -> AppConfig {
        try appConfig(from: document(parsing: data, path: path), environment: environment)
    }

    /// Parses file contents into a tree, turning a JSON syntax error into `FILE:LINE:COL: …`.
    public static func document(parsing data: [UInt8], path: String) throws(ConfigError) -> ConfigDocument {
        do throws(JSONSyntaxError) {
            return ConfigDocument(path: path, root: try JSONReader.parse(data))
        } catch {
            throw ConfigError(kind: .syntax, path: path, position: error.position, message: error.message)
        }
    }

    /// Builds the `AppConfig` from a parsed file, interpolating `${VAR}` from `environment`.
    public static func appConfig(from document: ConfigDocument,
                                 environment: [String: String]) throws(ConfigError) -> AppConfig {
        try ConfigInterpreter(path: document.path, environment: environment).appConfig(from: document.root)
    }

    private static func readFile(_ path: String) throws(ConfigError) -> [UInt8] {
        do {
            return try BoundedFile.read(path, limit: InputLimits.maxConfigFileBytes)
        } catch {
            throw ConfigError.unreadable(path: path, underlying: error)
        }
    }

    // MARK: - Help

    /// A starting config shown when no provider is configured: a local OpenAI-compatible server
    /// and OpenAI with its key taken from `$OPENAI_API_KEY`.
    public static let exampleConfig: String = """
        {
          "defaultProvider": "local",
          "providers": {
            "local": {
              "type": "openai-compatible",
              "apiBase": "http://127.0.0.1:8080/v1"
            },
            "openai": {
              "type": "openai",
              "apiKey": "${OPENAI_API_KEY}",
              "model": "gpt-4o-mini"
            }
          }
        }
        """
}
