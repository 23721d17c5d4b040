import AgentCore
import Testing
@testable import AgentTools

@Suite(.timeLimit(.minutes(2))) struct ReadWriteTests {
    @Test func readsNumberedLinesAndRanges() async throws {
        try await withProject { project in
            try project.write("f.txt", "a\nb\nc\nd\ne\n")
            let whole = try await project.execute("read_file", ["path": "f.txt"])
            #expect(whole.content == "     1\ta\n     2\tb\n     3\tc\n     4\td\n     5\te\n")
            #expect(whole.summary == "5 lines")
            let range = try await project.execute("read_file", ["path": "f.txt", "start_line": 2, "end_line": 3])
            #expect(range.content == "     2\tb\n     3\tc\n[lines 2-3 of 5]\n")
            #expect(range.summary == "lines 2-3 of 5")
            let past = try await project.execute("read_file", ["path": "f.txt", "start_line": 9])
            #expect(past.isError)
            #expect(past.content.contains("past the end"))
        }
    }

    @Test func oneLineIsSaidInTheSingular() async throws {
        try await withProject { project in
            let created = try await project.execute("write_file", ["path": "one.txt", "content": "hi there\n"])
            #expect(created.summary == "created · 1 line")
            #expect(created.content == "Created one.txt (1 line, 9 bytes)")
            #expect(try await project.execute("read_file", ["path": "one.txt"]).summary == "1 line")
        }
    }

    @Test func longFilesAreCutWithANoteOnHowToContinue() async throws {
        try await withProject(limits: ToolLimits(readMaxLines: 3)) { project in
            try project.write("long.txt", (1...10).map { "line \($0)" }.joined(separator: "\n") + "\n")
            let first = try await project.execute("read_file", ["path": "long.txt"])
            #expect(first.content.hasPrefix("     1\tline 1\n     2\tline 2\n     3\tline 3\n"))
            #expect(first.content.contains("showing lines 1-3 of 10; call read_file with start_line=4 to read more"))
            let next = try await project.execute("read_file", ["path": "long.txt", "start_line": 4])
            #expect(next.content.hasPrefix("     4\tline 4\n"))
        }
    }

    @Test func byteCapAlsoCutsAndBinaryAndDirectoriesAreExplained() async throws {
        try await withProject(limits: ToolLimits(readMaxBytes: 40)) { project in
            try project.write("wide.txt", String(repeating: "0123456789\n", count: 10))
            let cut = try await project.execute("read_file", ["path": "wide.txt"])
            #expect(cut.content.contains("start_line=3"))
            try project.write("bin.dat", "ab\u{0}cd")
            #expect(try await project.execute("read_file", ["path": "bin.dat"]).content.contains("binary"))
            try project.write("dir/x.txt", "x")
            #expect(try await project.execute("read_file", ["path": "dir"]).content.contains("is a directory"))
            #expect(try await project.execute("read_file", ["path": "none.txt"]).summary == "not found: none.txt")
        }
    }

    @Test func writePreviewIsAUnifiedDiffAndChangesNothing() async throws {
        try await withProject { project in
            try project.write("w.txt", "a\nb\nc\n")
            let arguments: [String: Any] = ["path": "w.txt", "content": "a\nB\nc\nd\n"]
            let preview = try #require(try await project.prepare("write_file", arguments).preview)
            #expect(preview.detail == "--- a/w.txt\n+++ b/w.txt\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n")
            #expect(try project.read("w.txt") == "a\nb\nc\n")
            let output = try await project.execute("write_file", arguments)
            #expect(output.summary == "wrote 4 lines")
            #expect(try project.read("w.txt") == "a\nB\nc\nd\n")
        }
    }

    @Test func writeCreatesFilesAndParentDirectories() async throws {
        try await withProject { project in
            let arguments: [String: Any] = ["path": "new/deep/file.txt", "content": "x\ny"]
            let preview = try #require(try await project.prepare("write_file", arguments).preview)
            #expect(preview.detail == "--- /dev/null\n+++ b/new/deep/file.txt\n@@ -0,0 +1,2 @@\n+x\n+y\n\\ No newline at end of file\n")
            #expect(!project.exists("new"))
            let output = try await project.execute("write_file", arguments)
            #expect(output.summary == "created · 2 lines")
            #expect(try project.read("new/deep/file.txt") == "x\ny")
        }
    }

    @Test func listDirectoryMarksDirectoriesAndSkipsGit() async throws {
        try await withProject { project in
            try project.write("b.txt", "")
            try project.write("a/x.txt", "")
            try project.write(".git/HEAD", "")
            let output = try await project.execute("list_directory", [:])
            #expect(output.content == "a/\nb.txt")
            #expect(output.summary == "2 entries")
        }
    }
}
