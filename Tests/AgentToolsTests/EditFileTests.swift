import AgentCore
import Testing
@testable import AgentTools

@Suite(.timeLimit(.minutes(2))) struct EditFileTests {
    @Test func successReplacesTheTextAndShowsADiff() async throws {
        try await withProject { project in
            try project.write("a.swift", "let a = 1\nlet b = 2\nlet c = 3\n")
            let arguments: [String: Any] = ["path": "a.swift", "old_string": "let b = 2", "new_string": "let b = 20"]
            let preview = try #require(try await project.prepare("edit_file", arguments).preview)
            #expect(preview.keyArgument == "a.swift")
            #expect(preview.detail == """
                --- a/a.swift
                +++ b/a.swift
                @@ -1,3 +1,3 @@
                 let a = 1
                -let b = 2
                +let b = 20
                 let c = 3

                """)
            #expect(try project.read("a.swift") == "let a = 1\nlet b = 2\nlet c = 3\n", "prepare changes nothing")
            let output = try await project.execute("edit_file", arguments)
            #expect(!output.isError)
            #expect(output.summary == "edited · +1 −1")
            #expect(output.content.contains("     2\tlet b = 20"))
            #expect(try project.read("a.swift") == "let a = 1\nlet b = 20\nlet c = 3\n")
        }
    }

    @Test func absentTextIsAClearError() async throws {
        try await withProject { project in
            try project.write("a.txt", "hello\n")
            let arguments: [String: Any] = ["path": "a.txt", "old_string": "goodbye", "new_string": "x"]
            let error = try #require(try await project.prepare("edit_file", arguments).error)
            #expect(error.content.contains("old_string was not found in a.txt"))
            let output = try await project.execute("edit_file", arguments)
            #expect(output.isError)
            #expect(try project.read("a.txt") == "hello\n")
        }
    }

    @Test func ambiguousTextSaysHowManyMatches() async throws {
        try await withProject { project in
            try project.write("a.txt", "x = 1\ny = 1\nz = 1\n")
            let output = try await project.execute("edit_file", ["path": "a.txt", "old_string": "= 1", "new_string": "= 2"])
            #expect(output.isError)
            #expect(output.content.contains("matches 3 places in a.txt"))
            #expect(try project.read("a.txt") == "x = 1\ny = 1\nz = 1\n")
        }
    }

    @Test func crlfFileMatchesLFTextAndKeepsCRLF() async throws {
        try await withProject { project in
            try project.write("win.txt", "one\r\ntwo\r\nthree\r\n")
            let output = try await project.execute("edit_file", ["path": "win.txt", "old_string": "one\ntwo\n",
                                                                 "new_string": "uno\ndos\nextra\n"])
            #expect(!output.isError, "\(output.content)")
            #expect(try project.read("win.txt") == "uno\r\ndos\r\nextra\r\nthree\r\n")
        }
    }

    @Test func fileWithoutTrailingNewlineStaysWithoutOne() async throws {
        try await withProject { project in
            try project.write("a.txt", "first\nlast")
            _ = try await project.execute("edit_file", ["path": "a.txt", "old_string": "last", "new_string": "final"])
            #expect(try project.read("a.txt") == "first\nfinal")
            // old_string with a newline the file does not have still matches the last line.
            let output = try await project.execute("edit_file", ["path": "a.txt", "old_string": "final\n",
                                                                 "new_string": "end\n"])
            #expect(!output.isError, "\(output.content)")
            #expect(try project.read("a.txt") == "first\nend")
        }
    }

    @Test func emptyOrIdenticalStringsAreRefused() throws {
        #expect(throws: ToolError.self) { try EditFileTool.replace("", with: "x", in: Array("a".utf8), name: "a") }
        #expect(throws: ToolError.self) { try EditFileTool.replace("a", with: "a", in: Array("a".utf8), name: "a") }
    }

    @Test func missingFileIsReported() async throws {
        try await withProject { project in
            let output = try await project.execute("edit_file", ["path": "nope.txt", "old_string": "a", "new_string": "b"])
            #expect(output.isError)
            #expect(output.summary == "not found: nope.txt")
        }
    }
}
