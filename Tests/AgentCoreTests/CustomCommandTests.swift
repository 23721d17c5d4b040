import FoundationEssentials
import Testing
@testable import AgentCore

@Suite(.timeLimit(.minutes(2))) struct CommandFrontMatterTests {
    @Test func readsTheSubsetTheToolsWrite() {
        let text = """
            ---
            description: "Review: a \\"file\\""
            argument-hint: [file] [focus]
            model: 'gpt-4o'
            # a comment
            allowed-tools: Bash(git add:*), Bash(git status:*), Read
            agent: build
            ---
            Body $1
            """
        let parsed = CommandFrontMatter.parse(text, file: "x.md")
        #expect(parsed.problems.isEmpty)
        #expect(parsed.fields["description"]?.text == "Review: a \"file\"")
        #expect(parsed.fields["model"]?.text == "gpt-4o")
        #expect(parsed.fields["argument-hint"]?.text == "[file] [focus]")
        #expect(parsed.fields["allowed-tools"]?.list == ["Bash(git add:*)", "Bash(git status:*)", "Read"])
        #expect(parsed.body == "Body $1")
    }

    @Test func listsBelowTheKey() {
        let parsed = CommandFrontMatter.parse("---\nallowed-tools:\n  - Read\n  - \"Bash(ls:*)\"\nempty:\n---\nb", file: "x.md")
        #expect(parsed.fields["allowed-tools"] == .items(["Read", "Bash(ls:*)"]))
        #expect(parsed.fields["empty"] == .text(""))
    }

    @Test func brokenFrontMatterIsNamedByFileAndLineAndNeverFatal() {
        let unclosed = CommandFrontMatter.parse("---\ndescription: x\nbody", file: "/p/a.md")
        #expect(unclosed.problems == ["/p/a.md:1: the front matter starting here has no closing --- line; the file is used as it is"])
        #expect(unclosed.body == "---\ndescription: x\nbody")
        let bad = CommandFrontMatter.parse("---\ndescription: ok\nnot a pair\nlist: [a, b\n---\nbody", file: "b.md")
        #expect(bad.problems.count == 2)
        #expect(bad.problems[0].hasPrefix("b.md:3: expected `key: value`"))
        #expect(bad.problems[1] == "b.md:4: the list for list has no closing ]")
        #expect(bad.fields["description"]?.text == "ok")
        #expect(bad.body == "body")
    }

    @Test func noFrontMatterIsAllBody() {
        let parsed = CommandFrontMatter.parse("Just a prompt\n---\n", file: "c.md")
        #expect(parsed.fields.isEmpty && parsed.problems.isEmpty)
        #expect(parsed.body == "Just a prompt\n---\n")
    }

    @Test func hostileFrontMatterParsesInLinearTime() {
        // 60 000 unclosed brackets and quotes on one line, and 20 000 lines: one pass each.
        let line = "k: [" + String(repeating: "(\"'", count: 20_000)
        let many = "---\n" + String(repeating: "x\n", count: 20_000) + "---\n"
        #expect(CommandFrontMatter.parse("---\n" + line + "\n---\n", file: "h.md").problems.count == 1)
        #expect(CommandFrontMatter.parse(many, file: "h.md").problems.count == 20_000)
    }

    @Test func descriptionFallsBackToTheFirstLine() {
        let (command, _) = CustomCommand.parse(name: "n", text: "\n# Fix the bug\nmore", folder: .claude, path: "p")
        #expect(command.description == "Fix the bug")
    }
}

@Suite(.timeLimit(.minutes(2))) struct CommandTemplateTests {
    @Test func substitutesArguments() {
        #expect(CommandTemplate.substitute("a $1 b $2 c $3 all=$ARGUMENTS $ x$10", arguments: " one \"two words\" ")
            == "a one b two words c  all=one \"two words\" $ x$10")
        #expect(CommandTemplate.substitute("$9$1", arguments: "a b c d e f g h i") == "ia")
        #expect(CommandTemplate.splitArguments("a 'b c' \"\" d") == ["a", "b c", "", "d"])
    }

    @Test func splitsFilesAndCommands() {
        let template = CommandTemplate("See @src/a.swift, then !`git diff $1` (and @b.md). mail me@x.org @")
        #expect(template.parts == [
            .text("See "), .file("src/a.swift"), .text(", then "), .shell("git diff $1"), .text(" (and "), .file("b.md"),
            .text("). mail me@x.org @"),
        ])
        #expect(template.shellCommands(arguments: "HEAD") == ["git diff HEAD"])
    }

    @Test func argumentsNeverBecomeFilesOrCommands() {
        let template = CommandTemplate("Do $ARGUMENTS")
        #expect(template.shellCommands(arguments: "!`rm -rf /` @/etc/passwd").isEmpty)
        #expect(template.render(arguments: "!`x` @y") { _ in "NO" } == "Do !`x` @y")
    }

    @Test func unclosedOrEmptyCommandsStayText() {
        #expect(CommandTemplate("a !`b\nc` !`` d").parts == [.text("a !`b\nc` !`` d")])
    }

    @Test func renderReplacesInOrder() {
        let template = CommandTemplate("1 @f 2 !`c $1` 3")
        let output = template.render(arguments: "X") { part in
            switch part {
            case .file(let path): "<file \(path)>"
            case .shell(let command): "<out \(command)>"
            case .text: ""
            }
        }
        #expect(output == "1 <file f> 2 <out c X> 3")
    }

    @Test(arguments: ["@a`b` !`x` @. (@p) @@q !`` !`open", "x@y @z!`w` \n!`a\nb` @\u{301}e", "", "@", "!`"])
    func writingThePartsBackGivesTheBody(body: String) {
        let back = CommandTemplate(body).render(arguments: "") { part in
            switch part {
            case .text(let text): text
            case .file(let path): "@" + path
            case .shell(let command): "!`" + command + "`"
            }
        }
        #expect(back == body)
    }

    @Test func hostileBodiesSplitInLinearTime() {
        let body = String(repeating: "!`", count: 50_000) + String(repeating: " @", count: 50_000)
            + String(repeating: "$", count: 50_000)
        #expect(!CommandTemplate(body).parts.isEmpty)
        #expect(CommandTemplate.substitute(body, arguments: "a").count > 0)
    }
}

@Suite(.timeLimit(.minutes(2))) struct CommandToolGrantTests {
    @Test func mapsClaudeNamesAndPatterns() {
        let grant = CommandToolGrant(["Bash(git status:*)", "Read", "Grep", "mcp__s__t", "Edit"])
        #expect(grant.tools == ["run_command", "read_file", "search_files", "mcp__s__t", "edit_file"])
        #expect(grant.rules.map(\.description) == ["run_command(git status*)"])
        #expect(CommandToolGrant(nil).tools == nil)
        #expect(CommandToolGrant([]).tools == [])
    }
}

@Suite(.timeLimit(.minutes(2))) struct CommandDiscoveryTests {
    private func world() throws -> (root: String, project: String, environment: [String: String]) {
        let root = FileManager.default.temporaryDirectory.path + "/cmds-\(UUID().uuidString.prefix(8))"
        let project = root + "/project"
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        return (root, project, ["XDG_CONFIG_HOME": root + "/config", "HOME": root])
    }

    private func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: String(path[..<path.lastIndex(of: "/")!]),
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func namesComeFromPathsAndProjectFoldersWinInOrder() throws {
        let (root, project, environment) = try world()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(project + "/.claude/commands/frontend/review.md", "---\ndescription: fe\n---\nbody")
        try write(project + "/.claude/commands/fix.md", "claude fix")
        try write(project + "/.swiftcoder/commands/fix.md", "swiftcoder fix")
        try write(project + "/.opencode/command/a/b/deep.md", "deep")
        try write(project + "/.nanocoder/commands/nano.md", "nano")
        try write(project + "/.opencode/commands/notes.txt", "not markdown")
        try write(root + "/config/swiftcoder/commands/fix.md", "user fix")
        try write(root + "/config/swiftcoder/commands/mine.md", "user mine")
        let found = CommandDiscovery.discover(project: project, environment: environment)
        #expect(found.commands.map(\.name) == ["fix", "frontend:review", "a:b:deep", "nano", "mine"])
        #expect(found.commands.first?.body == "swiftcoder fix")
        #expect(found.commands.first?.folder == .swiftcoder)
        #expect(found.commands.last?.folder == .user)
        #expect(found.shadowed.map(\.folder) == [.claude, .user])
        #expect(found.commands[1].description == "fe")
        #expect(found.problems.isEmpty)
    }

    @Test func boundsAndBadFilesAreProblemsNotFailures() throws {
        let (root, project, environment) = try world()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = project + "/.swiftcoder/commands"
        for index in 0..<(CommandDiscovery.maxFiles + 5) { try write(folder + "/c\(index).md", "x") }
        try write(project + "/.claude/commands/big.md", String(repeating: "x", count: CommandDiscovery.maxFileBytes + 1))
        try write(project + "/.claude/commands/bad name.md", "x")
        try write(project + "/.claude/commands/broken.md", "---\ndescription: x\n")
        let found = CommandDiscovery.discover(project: project, environment: environment)
        #expect(found.commands.count == CommandDiscovery.maxFiles)
        #expect(found.problems.contains { $0.contains("only the first \(CommandDiscovery.maxFiles) command files") })
    }

    @Test func problemsNameTheFile() throws {
        let (root, project, environment) = try world()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(project + "/.claude/commands/big.md", String(repeating: "x", count: CommandDiscovery.maxFileBytes + 1))
        try write(project + "/.claude/commands/bad name.md", "x")
        try write(project + "/.claude/commands/broken.md", "---\ndescription: x\n")
        let found = CommandDiscovery.discover(project: project, environment: environment)
        #expect(found.commands.map(\.name) == ["broken"])
        #expect(found.problems.count == 3)
        #expect(found.problems.contains { $0.hasPrefix(project + "/.claude/commands/big.md: left out: the file is larger") })
        #expect(found.problems.contains { $0.hasPrefix(project + "/.claude/commands/bad name.md: left out") })
        #expect(found.problems.contains { $0.hasPrefix(project + "/.claude/commands/broken.md:1:") })
    }

    @Test func aProjectFileLeadingOutsideIsLeftOut() throws {
        let (root, project, environment) = try world()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(root + "/secret.md", "PRIVATE KEY")
        try write(project + "/.claude/commands/inside.md", "fine")
        try FileManager.default.createSymbolicLink(atPath: project + "/.claude/commands/leak.md", withDestinationPath: root + "/secret.md")
        try FileManager.default.createSymbolicLink(atPath: project + "/.claude/commands/alias.md", withDestinationPath: "inside.md")
        let found = CommandDiscovery.discover(project: project, environment: environment)
        #expect(found.commands.map(\.name) == ["alias", "inside"])
        #expect(found.problems == [project + "/.claude/commands/leak.md: left out: it leads outside the project"])
    }

    @Test func validNames() {
        #expect(CommandDiscovery.isValidName("a:b-c_d.e"))
        #expect(!CommandDiscovery.isValidName("a b"))
        #expect(!CommandDiscovery.isValidName("a::b"))
        #expect(!CommandDiscovery.isValidName(""))
        #expect(CommandDiscovery.userFolder(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/h"]) == "/h/.config/swiftcoder/commands")
    }
}
