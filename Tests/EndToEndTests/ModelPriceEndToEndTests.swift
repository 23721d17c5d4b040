import Foundation
import MockLLMServer
import Testing

/// Issue 14, bug 15: `/model ID` for a model the provider does not list warns and keeps it,
/// and its price comes from the book the engine charges with (the sidebar showed `$ n/a`
/// while the meter charged the built-in price).
@Suite(.timeLimit(.minutes(5)), .serialized) struct ModelPriceEndToEndTests {
    @Test func anUnlistedModelIsKeptWithAWarningAndPricedLikeTheMeter() throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "ok", models: ["mock-model"]))
        defer { fixture.stop() }
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("● online · 1 model")
        try session.type("/model gpt-4o")
        try session.send("Enter")
        try session.waitFor("does not list \"gpt-4o\"", "Using gpt-4o on mock")
        try session.waitFor("$2.50/$10.00/M")
        try fixture.quit(session)
    }
}
