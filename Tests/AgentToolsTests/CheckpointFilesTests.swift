import AgentCore
import Foundation
import Testing
@testable import AgentTools

/// The file side of `/undo` and `/rewind`: what files are now, and putting them back inside
/// the project only (D132).
@Suite(.timeLimit(.minutes(2))) struct CheckpointFilesTests {
    @Test func currentStatesAndRestoringWritesRecreatesAndDeletes() async throws {
        try await withProject { project in
            try project.write("kept.txt", "now\n")
            try project.write("made.txt", "made by the turn\n")
            let files = CheckpointFiles(projectRoot: project.root)
            let now = await files.current(["kept.txt", "gone.txt", "../outside/x", "."])
            #expect(now["kept.txt"] == .hash(SHA256.hex(Array("now\n".utf8))))
            #expect(now["gone.txt"] == .absent)
            #expect(now["../outside/x"] == .unknown)
            #expect(now["."] == .unknown)

            let old = Array("before\n".utf8)
            let hash = SHA256.hex(old)
            let steps = [FileRestoreStep(path: "kept.txt", expected: .stored(hash: "x"), target: .stored(hash: hash)),
                         FileRestoreStep(path: "sub/gone.txt", expected: .absent, target: .stored(hash: hash)),
                         FileRestoreStep(path: "made.txt", expected: .stored(hash: "y"), target: .absent)]
            let problems = await files.restore(steps, contents: [hash: old])
            #expect(problems.isEmpty)
            #expect(try project.read("kept.txt") == "before\n")
            #expect(try project.read("sub/gone.txt") == "before\n")
            #expect(!project.exists("made.txt"))

            let refused = await files.restore([FileRestoreStep(path: "../outside/evil", expected: .absent,
                                                               target: .stored(hash: hash)),
                                               FileRestoreStep(path: "big", expected: .absent,
                                                               target: .tooLarge(hash: nil, size: 9))],
                                              contents: [hash: old])
            #expect(refused.count == 2)
            #expect(!FileManager.default.fileExists(atPath: project.outside + "/evil"))
        }
    }
}
