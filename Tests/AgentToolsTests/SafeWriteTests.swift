import AgentCore
import Foundation
import Testing
@testable import AgentTools

/// write_file and edit_file replace files atomically; confinement compares bytes; `~` is refused.
@Suite(.timeLimit(.minutes(2))) struct SafeWriteTests {
    @Test func aWriteKeepsTheModeAndLeavesNoTemporaryFile() async throws {
        try await withProject { project in
            try project.write("run.sh", "echo old\n")
            #expect(chmod(project.root + "/run.sh", 0o751) == 0)
            let output = try await project.execute("write_file", ["path": "run.sh", "content": "echo new\n"])
            #expect(!output.isError, "\(output.content)")
            #expect(try project.read("run.sh") == "echo new\n")
            var info = stat()
            #expect(stat(project.root + "/run.sh", &info) == 0)
            #expect(info.st_mode & 0o7777 == 0o751)
            let edited = try await project.execute("edit_file", ["path": "run.sh", "old_string": "new", "new_string": "edited"])
            #expect(!edited.isError, "\(edited.content)")
            #expect(stat(project.root + "/run.sh", &info) == 0)
            #expect(info.st_mode & 0o7777 == 0o751)
            #expect(try FileManager.default.contentsOfDirectory(atPath: project.root) == ["run.sh"])
        }
    }

    @Test func aNewFileGetsTheUsualModeLessTheUmask() async throws {
        try await withProject { project in
            let output = try await project.execute("write_file", ["path": "a/new.txt", "content": "x"])
            #expect(!output.isError)
            var info = stat()
            #expect(stat(project.root + "/a/new.txt", &info) == 0)
            #expect(info.st_mode & 0o777 == 0o644 & ~AtomicWriter.umaskValue())
        }
    }

    @Test func aFullDiskLeavesTheOriginalIntact() throws {
        try withProjectSync { project in
            try project.write("data.txt", "the original content\n")
            var writer = AtomicWriter(path: project.root + "/data.txt", display: "data.txt")
            var written = 0
            writer.writeChunk = { fd, pointer, count in
                // The first 10 bytes fit; then the disk is full.
                guard written < 10 else { errno = ENOSPC; return -1 }
                let result = write(fd, pointer, min(count, 10))
                written += result
                return result
            }
            #expect(throws: ToolError.self) { try writer.write(Array(repeating: UInt8(ascii: "x"), count: 100_000)) }
            #expect(try project.read("data.txt") == "the original content\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: project.root) == ["data.txt"])
            do {
                try writer.write(Array("more".utf8))
                Issue.record("the write should fail")
            } catch let error as ToolError {
                #expect(error.message.contains("No space left on device"), "\(error.message)")
                #expect(error.message.contains("the file was not changed"))
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func confinementComparesBytesNotCanonicalText() throws {
        let base = FileManager.default.temporaryDirectory.path + "/nfc-" + UUID().uuidString
        let composed = base + "/caf\u{E9}"
        let decomposed = base + "/cafe\u{301}"
        try FileManager.default.createDirectory(atPath: composed, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: decomposed, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        #expect(composed == decomposed, "Swift's String == treats them as equal")
        let paths = ProjectPaths(root: composed)
        #expect(paths.relativePath(decomposed + "/secret") == nil)
        #expect(paths.relativePath(decomposed) == nil)
        #expect(paths.relativePath(composed + "/x") == "x")
        #expect(throws: ToolError.self) { try paths.resolve("../cafe\u{301}/secret") }
        #expect(throws: ToolError.self) { try paths.resolve(decomposed + "/secret") }
    }

    @Test func aTildeIsRefusedNeverTakenLiterally() async throws {
        try await withProject { project in
            for path in ["~", "~/notes.txt", "~root/x"] {
                let output = try await project.execute("write_file", ["path": path, "content": "x"])
                #expect(output.isError, "\(path)")
                #expect(output.content.contains("starts with ~"), "\(output.content)")
            }
            #expect(!project.exists("~"))
            let literal = try await project.execute("write_file", ["path": "./~backup", "content": "x"])
            #expect(!literal.isError, "\(literal.content)")
            #expect(project.exists("~backup"))
        }
    }

    @Test func aWritePreviewReadsNoMoreThanTheCap() async throws {
        try await withProject(limits: ToolLimits(fileMaxBytes: 1000)) { project in
            try project.write("big.txt", String(repeating: "line\n", count: 1000))
            let preparation = try await project.prepare("write_file", ["path": "big.txt", "content": "short\n"])
            let detail = try #require(preparation.preview?.detail)
            #expect(detail.contains("too large to show as a diff"), "\(detail)")
            #expect(detail.contains("5000 bytes"))
        }
    }

    /// A SIGKILL while a 50 MB write_file is under way leaves the old content whole.
    @Test(.enabled(if: ToolProbe.path != nil, "tool-probe not built (swift build builds it)"))
    func aKilledWriteLeavesTheOldContentWhole() async throws {
        try await onOwnThread { try Self.killAWriteMidway() }
    }

    private static func killAWriteMidway() throws {
        try withProjectSync { project in
            let old = String(repeating: "old content line\n", count: 60_000)
            try project.write("big.txt", old)
            let arguments = project.root + "/../arguments.json"
            let content = String(repeating: "n", count: 50 * 1024 * 1024)
            try Data(#"{"path":"big.txt","content":"\#(content)"}"#.utf8).write(to: URL(fileURLWithPath: arguments))
            let child = try ToolProbe.start([project.root, "write_file", arguments])
            var killed = false
            let sawTheWrite = ToolProbe.poll(seconds: 120) {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: project.root)) ?? []
                guard let temporary = names.first(where: { $0.hasPrefix(".big.txt.swiftcoder-") }) else {
                    return !child.isRunning
                }
                guard (FileSystem.size(project.root + "/" + temporary) ?? 0) > 0 else { return false }
                kill(child.processIdentifier, SIGKILL)
                killed = true
                return true
            }
            child.waitUntilExit()
            try #require(sawTheWrite && killed, "the child was killed while writing (it ended first: \(child.terminationStatus))")
            #expect(child.terminationReason == .uncaughtSignal)
            #expect(try project.read("big.txt") == old, "the old content is whole")
        }
    }
}

/// The `tool-probe` executable beside the test bundle.
enum ToolProbe {
    static let path: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return ["debug", "release"].map { root.appendingPathComponent(".build/\($0)/tool-probe").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(path))
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Checks `condition` as fast as it can until it holds or `seconds` pass (the window to
    /// catch is short, so no pause between checks).
    static func poll(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition() { return true }
        }
        return condition()
    }
}

/// Runs `body` with a fresh project that is removed afterwards (synchronous tests).
func withProjectSync(limits: ToolLimits = ToolLimits(), _ body: (TempProject) throws -> Void) throws {
    let project = try TempProject(limits: limits)
    defer { project.remove() }
    try body(project)
}
