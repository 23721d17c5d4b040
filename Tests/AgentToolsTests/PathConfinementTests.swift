import AgentCore
import Foundation
import Testing
@testable import AgentTools

@Suite(.timeLimit(.minutes(2))) struct PathConfinementTests {
    @Test func parentDirectoryEscapeIsRefused() async throws {
        try await withProject { project in
            let error = try await project.prepare("read_file", ["path": "../outside/x"]).error
            #expect(error?.isError == true)
            #expect(error?.content.contains("path \"../outside/x\" is outside the project") == true)
        }
    }

    @Test func absolutePathOutsideIsRefused() async throws {
        try await withProject { project in
            let error = try await project.prepare("read_file", ["path": "/etc/passwd"]).error
            #expect(error?.content.contains("is outside the project") == true)
            let output = try await project.execute("read_file", ["path": "/etc/passwd"])
            #expect(output.isError)
            #expect(!output.content.contains("root:"))
        }
    }

    @Test func symlinkPointingOutsideIsRefused() async throws {
        try await withProject { project in
            try "secret".write(toFile: project.outside + "/secret.txt", atomically: true, encoding: .utf8)
            try project.link("leak.txt", to: project.outside + "/secret.txt")
            let read = try await project.execute("read_file", ["path": "leak.txt"])
            #expect(read.isError)
            #expect(read.content.contains("outside the project"))
            let write = try await project.prepare("write_file", ["path": "leak.txt", "content": "x"]).error
            #expect(write?.content.contains("outside the project") == true)
        }
    }

    @Test func pathsThroughASymlinkedDirectoryOutsideAreRefused() async throws {
        try await withProject { project in
            try "secret".write(toFile: project.outside + "/secret.txt", atomically: true, encoding: .utf8)
            try project.link("out", to: project.outside)
            let read = try await project.prepare("read_file", ["path": "out/secret.txt"]).error
            #expect(read?.content.contains("outside the project") == true)
            // A file that does not exist yet, inside the symlinked directory.
            let write = try await project.execute("write_file", ["path": "out/new/new.txt", "content": "x"])
            #expect(write.isError)
            #expect(write.content.contains("outside the project"))
            #expect(!FileManager.default.fileExists(atPath: project.outside + "/new"))
            let list = try await project.prepare("list_directory", ["path": "out"]).error
            #expect(list?.content.contains("outside the project") == true)
        }
    }

    @Test func danglingSymlinkOutsideAndDotDotTricksAreRefused() async throws {
        try await withProject { project in
            try project.link("dangling", to: project.outside + "/created-by-write.txt")
            let write = try await project.execute("write_file", ["path": "dangling", "content": "x"])
            #expect(write.content.contains("outside the project"))
            #expect(!FileManager.default.fileExists(atPath: project.outside + "/created-by-write.txt"))
            try project.link("out", to: project.outside)
            let trick = try await project.prepare("write_file", ["path": "missing/../out/x.txt", "content": "x"]).error
            #expect(trick?.content.contains("outside the project") == true)
        }
    }

    @Test func searchAndFindSkipSymlinksLeadingOutside() async throws {
        try await withProject { project in
            try "needle outside".write(toFile: project.outside + "/secret.txt", atomically: true, encoding: .utf8)
            try project.link("leak.txt", to: project.outside + "/secret.txt")
            try project.link("outdir", to: project.outside)
            try project.write("inside.txt", "needle inside\n")
            let search = try await project.execute("search_files", ["pattern": "needle"])
            #expect(search.content == "inside.txt:1:needle inside\n")
            let find = try await project.execute("find_files", ["pattern": "**/*"])
            #expect(find.content == "inside.txt")
        }
    }

    @Test func symlinkStayingInsideIsAllowed() async throws {
        try await withProject { project in
            try project.write("src/real.txt", "inside\n")
            try project.link("alias.txt", to: "src/real.txt")
            try project.link("srclink", to: project.root + "/src")
            let viaFile = try await project.execute("read_file", ["path": "alias.txt"])
            #expect(!viaFile.isError)
            #expect(viaFile.content.contains("inside"))
            let viaDirectory = try await project.execute("read_file", ["path": "srclink/real.txt"])
            #expect(viaDirectory.content.contains("inside"))
            let absolute = try await project.execute("read_file", ["path": project.root + "/src/real.txt"])
            #expect(absolute.content.contains("inside"))
            let dotted = try await project.execute("read_file", ["path": "src/../src/./real.txt"])
            #expect(dotted.content.contains("inside"))
        }
    }

    @Test func resolverReportsPathsRelativeToTheRoot() async throws {
        try await withProject { project in
            let paths = ProjectPaths(root: project.root)
            let root = try paths.resolve(".")
            let dotted = try paths.resolve("a/b/../c.txt")
            #expect(root.relative == ".")
            #expect(dotted.relative == "a/c.txt")
            #expect(throws: ToolError.self) { try paths.resolve("..") }
        }
    }
}
