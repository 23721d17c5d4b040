import AgentCore
import Foundation // `Process` runs the peers' start and stop scripts (full Foundation: tests only).
import Glibc
import Testing
@testable import Providers
import AgentEngine
import AgentTools

/// Real third-party servers from `../shared/peers` (LiteLLM proxy, llmock), started on
/// 127.0.0.1 for the test and stopped after it. Opt-in: `SWIFTCODER_PEERS=1 swift test
/// --filter PeerServerTests` (the first LiteLLM start installs it, about 3 minutes).
enum Peers {
    static let enabled = ProcessInfo.processInfo.environment["SWIFTCODER_PEERS"] == "1"
    static let directory: String = {
        var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)
        return (components + ["..", "shared", "peers"]).joined(separator: "/")
    }()
    static var available: Bool { FileManager.default.fileExists(atPath: directory + "/README.md") }

    /// Runs `script` with `arguments` and returns its exit status and output. The script is
    /// spawned with a clean signal mask and default handlers (so the server it leaves running
    /// can be stopped with SIGTERM even though this process ignores SIGPIPE), its output goes
    /// to a file (a pipe would be inherited by that server and never reach its end), and the
    /// wait runs on a thread of its own (the cooperative pool never blocks).
    static func run(_ script: String, _ arguments: [String]) async -> (status: Int32, output: String) {
        let logPath = NSTemporaryDirectory() + "swiftcoder-peer-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = (["/bin/bash", directory + "/" + script] + arguments).map { strdup($0) } + [nil]
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + environment).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, &attributes, argv, environment)
        guard spawned == 0 else { return (-1, "could not run \(script): posix_spawn error \(spawned)") }
        let child = pid
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread {
                var status: Int32 = 0
                while waitpid(child, &status, 0) < 0 && errno == EINTR {}
                continuation.resume(returning: status)
            }.start()
        }
        let output = FileManager.default.contents(atPath: logPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
        // Exited normally: the exit code; killed by a signal: -signal.
        return ((status & 0x7F) == 0 ? (status >> 8) & 0xFF : -(status & 0x7F), output)
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : 48_000 + Int.random(in: 0..<1000)
    }

    /// Starts `peer` on a free port, runs `body` against it, then stops it.
    static func with(_ peer: String, _ body: (String) async throws -> Void) async throws {
        let port = String(freePort())
        let started = await run(peer + "/start.sh", [port])
        try #require(started.status == 0, "\(peer) did not start: \(started.output)")
        do {
            try await body("http://127.0.0.1:\(port)")
        } catch {
            _ = await run(peer + "/stop.sh", [port])
            throw error
        }
        _ = await run(peer + "/stop.sh", [port])
    }

    static func provider(_ base: String, key: String?, retries: Int = 0) -> OpenAICompatibleProvider {
        var provider = OpenAICompatibleProvider(
            config: ProviderConfig(name: "peer", kind: .openAICompatible, apiBase: base + "/v1",
                                   apiKey: key.map(Secret.init)), environment: [:])
        provider.retryPolicy = RetryPolicy(maxRetries: retries, baseDelay: 0.05, maxDelay: 3, jitter: .none)
        return provider
    }

    static func events(_ provider: OpenAICompatibleProvider, model: String, _ text: String,
                       tools: [ToolDefinition] = []) async -> [ProviderEvent] {
        let request = ChatRequest(model: model, messages: [ChatMessage(role: .user, content: text)], tools: tools)
        var events: [ProviderEvent] = []
        for await event in provider.chatStream(request) { events.append(event) }
        return events
    }

    static let readFile = ToolDefinition(
        name: "read_file", description: "Reads a file.",
        parameters: #"{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}"#)
}

@Suite("Real peer servers", .timeLimit(.minutes(2)), .serialized,
       .enabled(if: Peers.enabled, "opt-in: set SWIFTCODER_PEERS=1 (starts LiteLLM, llmock and llama.cpp from ../shared/peers)"),
       .enabled(if: Peers.available, "needs ../shared/peers next to the package"))
struct PeerServerTests {
    @Test func liteLLMProxy() async throws {
        try await Peers.with("litellm") { base in
            let provider = Peers.provider(base, key: "sk-test-1234")
            let models = try await provider.listModels().map(\.id)
            #expect(models.contains("scripted"))

            let (text, textError) = reply(from: await Peers.events(provider, model: "mock-gpt", "hi"))
            #expect(textError == nil)
            #expect(text.text == "Hello from the LiteLLM mock! This text is streamed in 3-char pieces.")
            #expect(text.finishReason == .stop)
            #expect(text.usage.map { !$0.isEstimate && $0.outputTokens > 0 } == true)

            let (call, callError) = reply(from: await Peers.events(provider, model: "scripted", "read it",
                                                                   tools: [Peers.readFile]))
            #expect(callError == nil)
            #expect(call.toolCalls[0]?.name == "read_file")
            #expect(OllamaJSONValue.parse(call.toolCalls[0]?.arguments ?? "")
                == .object(["path": .string("README.md")]))
            #expect(call.finishReason == .toolCalls)

            let faults: [(model: String, kind: ProviderError.Kind)] = [
                ("mock-ratelimit", .rateLimited), ("mock-context-window", .contextTooLong), ("mock-500", .serverError),
                ("mock-midstream-error", .serverError), // LiteLLM turns it into an HTTP 529 before streaming
            ]
            for fault in faults {
                let (_, error) = reply(from: await Peers.events(provider, model: fault.model, "hi"))
                #expect(error?.kind == fault.kind, "\(fault.model): \(String(describing: error))")
            }
            // Two chunks, then `data: {"error": {..., "code": "500"}}` at HTTP 200 and no [DONE].
            let (partial, midstream) = reply(from: await Peers.events(provider, model: "scripted",
                                                                      "one two three [[midstream-error]]"))
            #expect(partial.text == "Echo: one ")
            #expect(midstream?.kind == .serverError && midstream?.httpStatus == nil, "\(String(describing: midstream))")
            #expect(partial.finishReason == nil)
            let (_, noKey) = reply(from: await Peers.events(Peers.provider(base, key: nil), model: "mock-gpt", "hi"))
            // LiteLLM answers a missing key with HTTP 400 whose message says so: still a bad key.
            #expect(noKey?.kind == .unauthorized, "\(String(describing: noKey))")
        }
    }

    @Test func llmockFaultInjection() async throws {
        try await Peers.with("llmock") { base in
            let provider = Peers.provider(base, key: "anything", retries: 2)
            let models = try await provider.listModels().map(\.id)
            #expect(models.contains("gpt-4o"))

            let (text, textError) = reply(from: await Peers.events(provider, model: "gpt-4o", "hi"))
            #expect(textError == nil && !text.text.isEmpty && text.finishReason == .stop)
            #expect(text.usage.map { !$0.isEstimate } == true)

            let (call, _) = reply(from: await Peers.events(provider, model: "gpt-4o", "read it", tools: [Peers.readFile]))
            #expect(call.toolCalls.values.contains { $0.name == "read_file" && OllamaJSONValue.parse($0.arguments) != nil })

            // One 429 with retry-after: the provider waits, says so, and the retry succeeds.
            try await Self.scenario(base, #"{"behaviors":[{"type":"fail","status":429,"retry_after":1,"times":1}]}"#)
            let retried = await Peers.events(provider, model: "gpt-4o", "again")
            #expect(retried.contains { if case .notice(let text) = $0 { text.hasPrefix("rate limited") } else { false } })
            #expect(reply(from: retried).error == nil)

            // A stream cut after two chunks is a failed turn, never a finished one.
            try await Self.scenario(base, #"{"behaviors":[{"type":"stream_fault","kind":"truncate","after_chunks":2,"times":1}]}"#)
            let (cut, cutError) = reply(from: await Peers.events(provider, model: "gpt-4o", "cut"))
            #expect(cutError?.kind == .streamInterrupted, "\(cut.text)")
            #expect(cut.finishReason == nil)

            // A corrupted chunk and a dropped connection each end the turn with an error, never a finish.
            for kind in ["malformed", "disconnect"] {
                try await Self.scenario(base, #"{"behaviors":[{"type":"stream_fault","kind":"\#(kind)","after_chunks":2,"times":1}]}"#)
                let (broken, brokenError) = reply(from: await Peers.events(provider, model: "gpt-4o", kind))
                #expect(brokenError != nil, "\(kind): \(broken.text)")
                #expect([.badResponse, .streamInterrupted].contains(brokenError?.kind), "\(kind): \(String(describing: brokenError))")
                #expect(brokenError?.description.contains(base) == true, "the message names the URL")
                #expect(broken.finishReason == nil)
            }
        }
    }

    /// llama-cpp-python validates a request's messages: an assistant message that only calls
    /// tools must carry its `content` as a string. Sent as `null` (before D207) it answered
    /// HTTP 500, and so did every later request of the conversation.
    @Test func llamaCppTakesAConversationWithAToolCall() async throws {
        try await Peers.with("llamacpp") { base in
            let provider = Peers.provider(base, key: nil)
            let request = ChatRequest(model: "tiny-llama", messages: [
                ChatMessage(role: .user, content: "read a.txt"),
                ChatMessage(role: .assistant, content: "",
                            toolCalls: [ToolCall(id: "c1", name: "read_file", arguments: #"{"path":"a.txt"}"#)]),
                ChatMessage(role: .tool, content: "hello", toolCallID: "c1"),
            ], tools: [Peers.readFile], maxOutputTokens: 8)
            var events: [ProviderEvent] = []
            for await event in provider.chatStream(request) { events.append(event) }
            let (answer, error) = reply(from: events)
            #expect(error == nil, "\(String(describing: error))")
            #expect(answer.finishReason != nil)
        }
    }

    /// The whole agent loop against LiteLLM's `scripted` model: it calls the first tool offered
    /// (read_file), the engine runs it in a temporary project, and the model answers with the result.
    @Test func liteLLMToolRoundTripThroughTheEngine() async throws {
        let root = NSTemporaryDirectory() + "swiftcoder-peer-project-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "peer round trip: 42\n".write(toFile: root + "/README.md", atomically: true, encoding: .utf8)
        try await Peers.with("litellm") { base in
            let engine = AgentEngine(provider: Peers.provider(base, key: "sk-test-1234"), model: "scripted",
                                     configuration: EngineConfiguration(tools: BuiltinTools(projectRoot: root),
                                                                        policy: ApprovalPolicy(mode: .yolo)))
            let channel = await engine.subscribe()
            await engine.submit(turn: 1, prompt: "read the readme")
            var events: [EngineEvent] = []
            while let batch = await channel.next() {
                events += batch
                if batch.contains(where: \.endsTurn) { break }
            }
            let result = events.compactMap { if case .toolResult(_, _, let output) = $0 { output } else { nil } }.first
            #expect(result?.isError == false)
            #expect(result?.content.contains("peer round trip: 42") == true)
            let text = events.compactMap { if case .text(_, let text, _) = $0 { text } else { nil } }.joined()
            #expect(text.contains("peer round trip: 42"), "\(text)")
            #expect(events.last.map { if case .finished(1, .stop, _) = $0 { true } else { false } } == true)
            let messages = await engine.messages
            #expect(messages.map(\.role) == [.user, .assistant, .tool, .assistant])
            #expect(messages[2].toolCallID == messages[1].toolCalls.first?.id)
        }
    }

    /// Scripts llmock's next answers (`POST /_llmock/scenario`).
    static func scenario(_ base: String, _ json: String) async throws {
        let request = HTTPRequest(method: "POST", url: base + "/_llmock/scenario",
                                  headers: [("Content-Type", "application/json")], body: Array(json.utf8))
        guard case .success(let response) = await CurlTransport().send(request) else {
            Issue.record("scenario request failed")
            return
        }
        #expect((200..<300).contains(response.status), "\(response.bodyText)")
    }
}
