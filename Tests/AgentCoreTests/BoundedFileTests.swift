import FoundationEssentials
import Testing
@testable import AgentCore

/// Small files from outside (the config, a pricing file) are read with a limit and only when
/// they are regular files (D51).
@Suite(.timeLimit(.minutes(2))) struct BoundedFileTests {
    let directory: String = {
        let path = FileManager.default.temporaryDirectory.path + "/bounded-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    @Test func readsASmallFileWhole() throws {
        let path = directory + "/small"
        try Data("hello".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try BoundedFile.read(path, limit: 5) == Array("hello".utf8))
        #expect(throws: BoundedFile.TooLarge(limit: 4)) { try BoundedFile.read(path, limit: 4) }
    }

    @Test func aDeviceIsRefusedWithoutReading() {
        #expect(throws: BoundedFile.NotARegularFile()) { try BoundedFile.read("/dev/zero", limit: 1 << 20) }
    }

    @Test func aDirectoryAndAMissingFileAreOSErrors() {
        #expect(throws: POSIXError(.EISDIR)) { try BoundedFile.read(directory, limit: 100) }
        #expect(throws: POSIXError(.ENOENT)) { try BoundedFile.read(directory + "/none", limit: 100) }
    }

    @Test func aConfigPathToADeviceFailsWithAMessage() throws {
        do {
            _ = try ConfigLoader.load(explicitPath: "/dev/zero", environment: [:], currentDirectory: directory)
            Issue.record("/dev/zero was read as a config")
        } catch {
            #expect(error.kind == .unreadable)
            #expect(error.description.contains("cannot read the config file: not a regular file"), "\(error)")
        }
    }

    @Test func aHugeConfigFileFailsNamingTheLimit() throws {
        let path = directory + "/agents.config.json"
        try Data(count: InputLimits.maxConfigFileBytes + 1).write(to: URL(fileURLWithPath: path))
        do {
            _ = try ConfigLoader.load(explicitPath: path, environment: [:], currentDirectory: directory)
            Issue.record("an oversized config was read")
        } catch {
            #expect(error.description.contains("larger than 16 MiB"), "\(error)")
        }
    }
}
