import AgentCore
import Testing

/// `/SERVER:PROMPT args` and `@SERVER:URI` (issue 13, item 6): names, arguments, mentions.
@Suite(.timeLimit(.minutes(2))) struct MCPPromptCommandTests {
    let review = MCPPromptInfo(name: "review", arguments: [MCPPromptArgument(name: "file", required: true),
                                                           MCPPromptArgument(name: "focus")])

    func parsed(_ text: String, _ prompt: MCPPromptInfo? = nil) -> Result<[String: String], MCPError> {
        MCPPromptCommand.arguments(text, for: prompt ?? review, command: "s:review")
    }

    @Test func namesAreOneTypableWordAndCut() {
        #expect(MCPPromptCommand.name(server: "Git", prompt: "Review") == "git:review")
        #expect(MCPPromptCommand.name(server: "my server", prompt: "do it/now\u{1B}[2J") == "my-server:do-it-now--2j")
        #expect(MCPPromptCommand.name(server: "s", prompt: "") == "s:-")
        #expect(MCPPromptCommand.name(server: "s", prompt: String(repeating: "x", count: 10_000)).count == 64)
        #expect(MCPPromptCommand.hint(review) == "<file> [focus]")
    }

    @Test func wordsGoToTheArgumentsInOrderAndTheLastTakesTheRest() throws {
        #expect(try parsed("main.swift").get() == ["file": "main.swift"])
        #expect(try parsed("main.swift error handling now").get() == ["file": "main.swift", "focus": "error handling now"])
        #expect(try parsed(#""my file.swift" 'error handling'"#).get() == ["file": "my file.swift", "focus": "error handling"])
        #expect(try parsed("focus=speed file=a.swift").get() == ["file": "a.swift", "focus": "speed"])
        // A word with `=` that names no argument is a value.
        #expect(try parsed("x=1 y").get() == ["file": "x=1", "focus": "y"])
    }

    @Test func aPromptWithOneArgumentTakesTheWholeText() throws {
        let one = MCPPromptInfo(name: "ask", arguments: [MCPPromptArgument(name: "question", required: true)])
        #expect(try parsed("why is  the sky blue?", one).get() == ["question": "why is  the sky blue?"])
        #expect(try parsed(#""quoted""#, one).get() == ["question": "quoted"])
    }

    @Test func aMissingRequiredArgumentOrAnUnwantedOneIsRefusedWithTheUsage() throws {
        #expect(throws: MCPError("/s:review needs file. Usage: /s:review <file> [focus]")) { try parsed("  ").get() }
        let none = MCPPromptInfo(name: "hello")
        #expect(try parsed("", none).get() == [:])
        #expect(throws: MCPError("/s:review takes no arguments. Usage: /s:review")) { try parsed("x", none).get() }
    }

    @Test func mentionsNameAKnownServerAndEndAtWhitespace() {
        let found = MCPResourceMentions.find(in: "see @docs:file:///a.md, and @docs:notes://x.\n@nope:y a@docs:z @docs:",
                                             servers: ["docs", "doc"])
        #expect(found == [MCPResourceMention(server: "docs", uri: "file:///a.md"), MCPResourceMention(server: "docs", uri: "notes://x")])
        // The longest server name wins; a listed URI keeps its trailing punctuation; repeats count once.
        let longest = MCPResourceMentions.find(in: "@a:b:c @a:b:c @a:v1.", servers: ["a", "a:b"]) { $1 == "v1." }
        #expect(longest == [MCPResourceMention(server: "a:b", uri: "c"), MCPResourceMention(server: "a", uri: "v1.")])
        let many = (0..<20).map { "@s:r\($0)" }.joined(separator: " ")
        #expect(MCPResourceMentions.find(in: many, servers: ["s"]).count == MCPResourceMentions.maxPerMessage)
        #expect(MCPResourceMentions.find(in: "no mentions", servers: ["s"]).isEmpty)
    }

    @Test func attachmentsFollowTheMessageCutAtACharacterBoundary() {
        let mention = MCPResourceMention(server: "s", uri: #"x"y"#)
        #expect(MCPResourceMentions.attach([(mention, "text")], to: "hi")
            == "hi\n\n<resource server=\"s\" uri=\"x&quot;y\">\ntext\n</resource>")
        let big = String(repeating: "é", count: MCPResourceMentions.maxBytesPerResource)  // 2 bytes each
        let attached = MCPResourceMentions.attach([(mention, big)], to: "m")
        #expect(attached.contains("[… \(MCPResourceMentions.maxBytesPerResource) more bytes not attached]"))
        #expect(!attached.contains("\u{FFFD}"))
        #expect(attached.utf8.count < MCPResourceMentions.maxBytesPerResource + 200)
    }
}
