import App
import FoundationEssentials
import Glibc
import Testing
@testable import AppRuntime

/// `models.json`: written atomically, a corrupt file tolerated with a warning.
@Suite(.timeLimit(.minutes(2))) struct ModelPrefsFileTests {
    func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.path + "/prefs-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func savedPrefsLoadBackAndNoTemporaryFileStays() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = ModelPrefsFile(path: folder + "/models.json")
        #expect(file.load() == (ModelPrefs(), nil))
        let prefs = ModelPrefs(favourites: ["local/qwen"], recents: ["cloud/gpt"])
        #expect(file.save(prefs))
        let (loaded, warning) = file.load()
        #expect(loaded == prefs)
        #expect(warning == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["models.json"])
    }

    @Test func aCorruptFileGivesEmptyPrefsAndAWarningThenIsReplaced() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = ModelPrefsFile(path: folder + "/models.json")
        #expect(FileManager.default.createFile(atPath: file.path, contents: Data("{\"favourites\": [1,".utf8)))
        let (loaded, warning) = file.load()
        #expect(loaded == ModelPrefs())
        #expect(warning?.contains("models.json") == true)
        #expect(file.save(ModelPrefs(favourites: ["a/b"])))
        #expect(file.load().0.favourites == ["a/b"])
    }
}
