import Foundation
import MockLLMServer
import Testing

/// One test's world: its own mock server, sandbox (HOME, XDG folders) and config. Each
/// `start` opens the app in a fresh tmux server; `stop()` ends the mock server.
struct AppFixture {
    let server: MockLLMServer
    let sandbox: URL
    let config: URL

    init(_ configuration: MockLLMConfiguration) throws {
        server = try MockLLMServer(configuration: configuration)
        sandbox = try Harness.makeSandbox()
        config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
    }

    /// Starts the app in tmux (see `TUIEndToEndTests.startApp`).
    func start(columns: Int = 120, rows: Int = 40, arguments: [String] = [], term: String? = nil) throws -> TmuxSession {
        try TUIEndToEndTests().startApp(config: config, sandbox: sandbox, columns: columns, rows: rows,
                                        arguments: arguments, term: term)
    }

    /// Quits with Ctrl-D and checks the terminal was restored.
    func quit(_ session: TmuxSession, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try session.send("C-d")
        try TUIEndToEndTests().expectRestored(session, sandbox: sandbox, status: "0", sourceLocation: sourceLocation)
    }

    func stop() { server.stop() }

    /// The chat requests the mock received, in order.
    var chatRequests: [RecordedRequest] {
        server.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/chat/completions") }
    }

    /// The process id of the app running in `session`'s pane.
    func appPID(_ session: TmuxSession) throws -> Int32 {
        try #require(childPIDs(of: try session.panePID()).first, "app process not found")
    }

    /// What the app's shell recorded when the app exited (`exit=N`), once it has.
    func exitStatus() -> String? {
        let url = sandbox.appendingPathComponent("exit-status")
        guard let text = try? String(contentsOf: url, encoding: .utf8), text.hasSuffix("\n") else { return nil }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The parts of an OpenAI chat request body the tests look at.
struct ChatRequestBody {
    var model: String?
    /// `(role, content)` for every message, in order.
    var messages: [(role: String, content: String)]

    init(_ request: RecordedRequest) throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        model = object["model"] as? String
        let list = object["messages"] as? [[String: Any]] ?? []
        messages = list.map { ($0["role"] as? String ?? "", $0["content"] as? String ?? "") }
    }

    /// The last user message's text.
    var lastUserText: String? { messages.last { $0.role == "user" }?.content }
}

/// SGR mouse reports, as a terminal in mode 1006 sends them for the wheel.
enum WheelReport {
    static func bytes(up: Bool, column: Int = 10, row: Int = 10) -> [UInt8] {
        Array("\u{1B}[<\(up ? 64 : 65);\(column);\(row)M".utf8)
    }
}

/// Polls an async condition until it holds or `seconds` pass; returns whether it held.
func pollAsync(seconds: Double = 20, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
