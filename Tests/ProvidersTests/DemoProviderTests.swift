import AgentCore
import FoundationEssentials
import Providers
import Testing

/// The `--demo` script: what it answers at each point of the conversation, and that its
/// proposed edit applies to the file it ships.
@Suite(.timeLimit(.minutes(2)))
struct DemoProviderTests {
    private let user = ChatMessage(role: .user, content: "hello")

    private func events(_ messages: [ChatMessage]) async -> [ProviderEvent] {
        let provider = DemoProvider(wordDelay: .zero)
        var events: [ProviderEvent] = []
        for await event in provider.chatStream(ChatRequest(model: "demo-small", messages: messages)) {
            events.append(event)
        }
        return events
    }

    @Test func aUserMessageGetsAnIntroductionThenAReadOfTheDemoFile() {
        let reply = DemoScript.reply(to: [user])
        #expect(reply.text.contains("demo"))
        #expect(reply.toolCall?.name == "read_file")
        #expect(reply.toolCall?.arguments == #"{"path":"greet.py"}"#)
    }

    @Test func theReadResultLeadsToAnEditThatAppliesExactlyOnce() throws {
        let read = try #require(DemoScript.reply(to: [user]).toolCall)
        let messages = [user, ChatMessage(role: .assistant, content: "", toolCalls: [read]),
                        ChatMessage(role: .tool, content: DemoScript.fileContent, toolCallID: read.id)]
        let edit = try #require(DemoScript.reply(to: messages).toolCall)
        #expect(edit.name == "edit_file")
        let arguments = try JSONDecoder().decode([String: String].self, from: Data(edit.arguments.utf8))
        let old = try #require(arguments["old_string"])
        #expect(arguments["path"] == DemoScript.fileName)
        #expect(DemoScript.fileContent.components(separatedBy: old).count == 2, "old_string must occur exactly once")
        #expect(arguments["new_string"] == "    for i in range(len(names)):")
    }

    @Test func theEditResultOrARefusalEndsTheTurnWithoutAToolCall() {
        let edit = ToolCall(id: "demo-edit", name: "edit_file", arguments: "{}")
        let base = [user, ChatMessage(role: .assistant, content: "", toolCalls: [edit])]
        let done = DemoScript.reply(to: base + [ChatMessage(role: .tool, content: "edited", toolCallID: edit.id)])
        #expect(done.toolCall == nil)
        #expect(done.text.contains("greeted now"))
        let refused = DemoScript.reply(to: base + [ChatMessage(role: .tool, content: "error: the user denied this edit_file call",
                                                               toolCallID: edit.id)])
        #expect(refused.toolCall == nil)
        #expect(refused.text.contains("nothing changed"))
    }

    @Test func theStreamRebuildsTheTextThenCallsTheToolAndReportsEstimatedUsage() async {
        let events = await events([user])
        var reply = ChatReply()
        events.forEach { reply.apply($0) }
        #expect(reply.text == DemoScript.reply(to: [user]).text)
        #expect(reply.toolCalls[0]?.name == "read_file")
        #expect(reply.finishReason == .toolCalls)
        #expect(reply.usage?.isEstimate == true)
        #expect((reply.usage?.outputTokens ?? 0) > 0)
        #expect(events.filter { if case .textDelta = $0 { true } else { false } }.count > 10, "streamed word by word")
    }

    @Test func theModelsHavePricesAndWindowsSoTheMeterHasSomethingToShow() async throws {
        let models = try await DemoProvider().listModels()
        #expect(models.map(\.id) == ["demo-small", "demo-large"])
        #expect(models.allSatisfy { $0.pricing?.inputPerMillion != nil && $0.contextWindow != nil })
    }
}
