import Testing
@testable import AgentTools

@Suite(.timeLimit(.minutes(2))) struct GitIgnoreTests {
    @Test func globMatchesStarsSetsAndDoubleStars() {
        #expect(GlobPattern("*.swift").matches("a.swift"))
        #expect(!GlobPattern("*.swift").matches("dir/a.swift"))
        #expect(GlobPattern("**/*.swift").matches("a.swift"))
        #expect(GlobPattern("**/*.swift").matches("x/y/a.swift"))
        #expect(GlobPattern("src/**").matches("src/a/b"))
        #expect(GlobPattern("a/**/b").matches("a/b"))
        #expect(GlobPattern("a/**/b").matches("a/x/y/b"))
        #expect(GlobPattern("file?.[ch]").matches("file1.h"))
        #expect(!GlobPattern("file[!0-9].c").matches("file1.c"))
        #expect(GlobPattern("\\*lit").matches("*lit"))
        #expect(GlobPattern.expandingBraces("*.{ts,tsx}") == ["*.ts", "*.tsx"])
    }

    @Test func rulesFollowGitSemantics() {
        let rules = GitIgnore("""
            # comment
            *.log
            !keep.log
            build/
            /only-root.txt
            docs/**/*.tmp
            \\#hash
            trailing   \n
            """)
        #expect(rules.decision(for: "a.log", isDirectory: false) == true)
        #expect(rules.decision(for: "deep/b.log", isDirectory: false) == true)
        #expect(rules.decision(for: "deep/keep.log", isDirectory: false) == false)
        #expect(rules.decision(for: "build", isDirectory: true) == true)
        #expect(rules.decision(for: "build", isDirectory: false) == nil, "a trailing / matches directories only")
        #expect(rules.decision(for: "x/build", isDirectory: true) == true)
        #expect(rules.decision(for: "only-root.txt", isDirectory: false) == true)
        #expect(rules.decision(for: "sub/only-root.txt", isDirectory: false) == nil)
        #expect(rules.decision(for: "docs/a/b/c.tmp", isDirectory: false) == true)
        #expect(rules.decision(for: "#hash", isDirectory: false) == true)
        #expect(rules.decision(for: "trailing", isDirectory: false) == true)
        #expect(rules.decision(for: "main.swift", isDirectory: false) == nil)
    }

    @Test func deeperFilesTakePrecedence() {
        var stack = IgnoreStack()
        stack.push(base: "", rules: GitIgnore("*.gen\n"))
        stack.push(base: "keep", rules: GitIgnore("!*.gen\n"))
        #expect(stack.isIgnored("a.gen", isDirectory: false))
        #expect(!stack.isIgnored("keep/a.gen", isDirectory: false))
    }

    /// root .gitignore ignores logs and build/; sub/.gitignore re-includes one log and ignores local.txt.
    private func makeIgnoringProject(_ project: TempProject) throws {
        try project.write(".gitignore", "*.log\nbuild/\n")
        try project.write("sub/.gitignore", "!important.log\nlocal.txt\n")
        try project.write(".git/config", "needle\n")
        for file in ["main.swift", "debug.log", "build/out.swift", "sub/important.log", "sub/other.log",
                     "sub/local.txt", "sub/code.swift"] {
            try project.write(file, "needle in \(file)\n")
        }
    }

    @Test func findFilesHonoursNestedGitignoreAndSkipsGit() async throws {
        try await withProject { project in
            try makeIgnoringProject(project)
            let all = try await project.execute("find_files", ["pattern": "**/*"])
            #expect(all.content.split(separator: "\n") == [".gitignore", "main.swift", "sub/.gitignore",
                                                          "sub/code.swift", "sub/important.log"])
            let swift = try await project.execute("find_files", ["pattern": "*.swift"])
            #expect(swift.content == "main.swift\nsub/code.swift")
            #expect(swift.summary == "2 files")
            let inSub = try await project.execute("find_files", ["pattern": "*.{log,txt}", "path": "sub"])
            #expect(inSub.content == "sub/important.log")
        }
    }

    @Test func searchFilesHonoursGitignoreAndShowsContext() async throws {
        try await withProject { project in
            try makeIgnoringProject(project)
            let output = try await project.execute("search_files", ["pattern": "needle"])
            #expect(output.content == """
                main.swift:1:needle in main.swift
                sub/code.swift:1:needle in sub/code.swift
                sub/important.log:1:needle in sub/important.log

                """)
            #expect(output.summary == "3 matches in 3 files")
            try project.write("ctx.txt", "a\nb\nhit\nc\nd\ne\nf\nhit\n")
            let context = try await project.execute("search_files", ["pattern": "HIT", "path": "ctx.txt",
                                                                     "context_lines": 1, "case_insensitive": true])
            #expect(context.content == "ctx.txt-2-b\nctx.txt:3:hit\nctx.txt-4-c\n--\nctx.txt-7-f\nctx.txt:8:hit\n--\n")
        }
    }

    @Test func searchResultsAreCappedWithANote() async throws {
        try await withProject(limits: ToolLimits(searchMaxMatches: 2)) { project in
            try project.write("many.txt", "x\nx\nx\nx\n")
            let output = try await project.execute("search_files", ["pattern": "x"])
            #expect(output.content.contains("[stopped after 2 matches"))
            #expect(output.summary == "2+ matches in 1 file")
            let bad = try await project.prepare("search_files", ["pattern": "(unclosed"]).error
            #expect(bad?.content.contains("invalid regular expression") == true)
        }
    }
}
