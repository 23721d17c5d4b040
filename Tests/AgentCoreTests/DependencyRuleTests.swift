import FoundationEssentials
import Testing

/// The pure cores stay pure: `TerminalUI` and `App` import no shell (curl, curses,
/// providers, the database, the engine, the runtime) and touch no files.
@Suite(.timeLimit(.minutes(2))) struct DependencyRuleTests {
    static let sourcesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    static let forbiddenModules = ["CCurl", "CCurlShims", "CNcursesw", "NcursesBackend", "Providers", "SessionStore",
                                   "GRDB", "AgentEngine", "AgentTools", "AppRuntime"]

    static func swiftFiles(in target: String) throws -> [(path: String, text: String)] {
        let directory = sourcesDirectory.path + "/" + target
        return try FileManager.default.subpathsOfDirectory(atPath: directory).filter { $0.hasSuffix(".swift") }.map {
            (target + "/" + $0, try String(contentsOfFile: directory + "/" + $0, encoding: .utf8))
        }
    }

    @Test(arguments: ["TerminalUI", "App"])
    func aPureCoreImportsNoShellAndReadsNoFiles(target: String) throws {
        let files = try Self.swiftFiles(in: target)
        #expect(!files.isEmpty)
        for (path, text) in files {
            for line in text.split(separator: "\n") where line.hasPrefix("import ") {
                let module = line.dropFirst("import ".count).split(separator: " ").first.map(String.init) ?? ""
                #expect(!Self.forbiddenModules.contains(module), "\(path) imports \(module)")
            }
            #expect(!text.contains("FileManager"), "\(path) touches the file system")
        }
    }

    @Test func theTerminalShimsIncludeNoCurl() throws {
        let header = Self.sourcesDirectory.path + "/CShims/include/CShims.h"
        let text = try String(contentsOfFile: header, encoding: .utf8)
        #expect(!text.contains("#include <curl"))
    }
}
