import FoundationEssentials
import Glibc
import Testing
@testable import AgentCore

/// `/export`: where the file goes, why it could not be written, and every model in the
/// header (issue 14, bug 16).
@Suite(.timeLimit(.minutes(2))) struct ConversationExportTests {
    static let environment = ["HOME": "/home/u", "XDG_STATE_HOME": "/state"]
    static let now = Date(timeIntervalSince1970: 1_764_000_000)

    @Test func theDefaultFileGoesToTheStateFolderNotTheProject() {
        let path = ConversationExport.destination(nil, currentDirectory: "/work/p", environment: Self.environment,
                                                  now: Self.now)
        #expect(path.hasPrefix("/state/swiftcoder/exports/swiftcoder-"))
        #expect(path.hasSuffix(".md"))
        let fallback = ConversationExport.destination("", currentDirectory: "/work/p", environment: ["HOME": "/h"],
                                                      now: Self.now)
        #expect(fallback.hasPrefix("/h/.local/state/swiftcoder/exports/"))
    }

    @Test func aNamedFileIsRelativeToTheProjectOrHome() {
        let env = Self.environment
        #expect(ConversationExport.destination("a/x.md", currentDirectory: "/w", environment: env, now: Self.now)
            == "/w/a/x.md")
        #expect(ConversationExport.destination("/t/x.md", currentDirectory: "/w", environment: env, now: Self.now)
            == "/t/x.md")
        #expect(ConversationExport.destination("~/x.md", currentDirectory: "/w", environment: env, now: Self.now)
            == "/home/u/x.md")
    }

    @Test func aMissingFolderIsTheReasonAndTheDefaultFolderIsCreated() throws {
        let root = FileManager.default.temporaryDirectory.path + "/export-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let missing = ConversationExport.write("x", to: root + "/missing/x.md", createFolder: false)
        #expect(missing == "the folder \(root)/missing does not exist")
        #expect(ConversationExport.write("hello", to: root + "/made/here/x.md", createFolder: true) == nil)
        #expect(try String(contentsOfFile: root + "/made/here/x.md", encoding: .utf8) == "hello")
        #expect(ConversationExport.write("x", to: root + "/made/here/x.md/y.md", createFolder: false)
            == "\(root)/made/here/x.md is not a folder")
    }

    @Test func theHeaderNamesEveryModelUsed() {
        let messages = [ChatMessage(role: .user, content: "hi")]
        let several = ConversationExport.markdown(messages, models: ["local/qwen", "cloud/gpt-4o"])
        #expect(several.contains("Models: `local/qwen`, `cloud/gpt-4o`"))
        #expect(!several.contains("Model: "))
        #expect(ConversationExport.markdown(messages, models: ["local/qwen"]).contains("Model: `local/qwen`"))
    }
}
