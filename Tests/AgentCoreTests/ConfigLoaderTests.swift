import FoundationEssentials
import Testing
@testable import AgentCore

private let home = "/home/u"
private let cwd = "/work/project"
private let localPath = "/work/project/agents.config.json"
private let userPath = "/home/u/.config/swiftcoder/agents.config.json"

/// Locates with a fake file system holding exactly `files`.
private func locate(explicit: String? = nil, environment: [String: String] = ["HOME": home],
                    files: Set<String>) throws(ConfigError) -> String? {
    try ConfigLoader.locate(explicitPath: explicit, environment: environment, currentDirectory: cwd,
                            fileExists: { files.contains($0) })
}

private func locateError(explicit: String? = nil, environment: [String: String], files: Set<String>) -> ConfigError? {
    do {
        _ = try locate(explicit: explicit, environment: environment, files: files)
        return nil
    } catch {
        return error
    }
}

@Suite(.timeLimit(.minutes(2))) struct ConfigLocateTests {
    private let all: Set<String> = ["/etc/explicit.json", "/etc/fromenv.json", localPath, userPath]
    private let withVariable = ["HOME": home, "SWIFTCODER_CONFIG": "/etc/fromenv.json"]

    @Test func explicitPathWinsOverEverything() throws {
        #expect(try locate(explicit: "/etc/explicit.json", environment: withVariable, files: all) == "/etc/explicit.json")
    }

    @Test func environmentVariableWinsOverTheSearchedLocations() throws {
        #expect(try locate(environment: withVariable, files: all) == "/etc/fromenv.json")
    }

    @Test func currentDirectoryWinsOverTheUserConfig() throws {
        #expect(try locate(files: all) == localPath)
    }

    @Test func userConfigIsTheLastResort() throws {
        #expect(try locate(files: [userPath]) == userPath)
    }

    @Test func xdgConfigHomeReplacesTheDefault() throws {
        let xdg = "/xdg/swiftcoder/agents.config.json"
        let environment = ["HOME": home, "XDG_CONFIG_HOME": "/xdg/"]
        #expect(try locate(environment: environment, files: [xdg, userPath]) == xdg)
        #expect(try locate(environment: environment, files: [userPath]) == nil)
        // A relative XDG_CONFIG_HOME is invalid per the spec and ignored.
        #expect(try locate(environment: ["HOME": home, "XDG_CONFIG_HOME": "rel"], files: [userPath]) == userPath)
    }

    @Test func nothingFoundIsNotAnError() throws {
        #expect(try locate(files: []) == nil)
        #expect(try locate(environment: [:], files: [userPath]) == nil)
    }

    @Test func relativeAndTildePathsAreResolved() throws {
        #expect(try locate(explicit: "conf/a.json", files: ["/work/project/conf/a.json"]) == "/work/project/conf/a.json")
        #expect(try locate(explicit: "~/a.json", files: ["/home/u/a.json"]) == "/home/u/a.json")
        let environment = ["HOME": home, "SWIFTCODER_CONFIG": "b.json"]
        #expect(try locate(environment: environment, files: ["/work/project/b.json"]) == "/work/project/b.json")
    }

    @Test func missingExplicitFileIsAnErrorNamingIt() throws {
        let error = try #require(locateError(explicit: "/nope/x.json", environment: withVariable, files: all))
        #expect(error.kind == .fileNotFound)
        #expect(error.description == "/nope/x.json: config file not found (given with --config)")
    }

    @Test func missingVariableFileIsAnErrorNamingFileAndVariable() throws {
        let environment = ["HOME": home, "SWIFTCODER_CONFIG": "/nope/y.json"]
        let error = try #require(locateError(environment: environment, files: [localPath]))
        #expect(error.description == "/nope/y.json: config file not found (named by $SWIFTCODER_CONFIG)")
    }

    @Test func emptyVariableIsIgnored() throws {
        #expect(try locate(environment: ["HOME": home, "SWIFTCODER_CONFIG": ""], files: [localPath]) == localPath)
    }

    @Test func searchPathsListTheLookupOrder() {
        #expect(ConfigLoader.searchPaths(environment: ["HOME": home], currentDirectory: cwd) == [localPath, userPath])
        #expect(ConfigLoader.searchPaths(environment: withVariable, currentDirectory: cwd + "/")
            == ["/etc/fromenv.json", localPath, userPath])
        #expect(ConfigLoader.searchPaths(environment: ["XDG_CONFIG_HOME": "/x"], currentDirectory: cwd)
            == [localPath, "/x/swiftcoder/agents.config.json"])
    }
}

/// Real files under a fresh temporary directory, removed after each test.
@Suite(.timeLimit(.minutes(2))) final class ConfigLoadTests {
    private let directory: String

    init() throws {
        directory = "/tmp/swiftcoder-config-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func noFileGivesAnEmptyConfig() throws {
        let config = try ConfigLoader.load(explicitPath: nil, environment: ["HOME": directory + "/home"],
                                           currentDirectory: directory)
        #expect(config == AppConfig())
        #expect(config.sourcePath == nil)
        #expect(try ConfigLoader.loadDocument(explicitPath: nil, environment: [:], currentDirectory: directory) == nil)
    }

    @Test func loadsTheFileInTheCurrentDirectory() throws {
        let path = try write("agents.config.json", #"{"providers": {"local": {"apiBase": "http://127.0.0.1:8080/v1"}}}"#)
        let config = try ConfigLoader.load(explicitPath: nil, environment: [:], currentDirectory: directory)
        #expect(config.sourcePath == path)
        #expect(config.providers.map(\.name) == ["local"])
    }

    @Test func errorsNameTheRealFile() throws {
        let path = try write("broken.json", "{\n  \"providers\": {,}\n}")
        do {
            _ = try ConfigLoader.load(explicitPath: path, environment: [:], currentDirectory: "/")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.kind == .syntax)
            #expect(error.description.hasPrefix("\(path):2:17: expected a string key"))
        }
    }

    @Test func unreadableFileNamesItAndTheReason() throws {
        do {
            _ = try ConfigLoader.load(explicitPath: directory, environment: [:], currentDirectory: "/")
            Issue.record("expected a read error")
        } catch {
            #expect(error.kind == .unreadable)
            #expect(error.description == "\(directory): cannot read the config file: Is a directory")
        }
    }
}
