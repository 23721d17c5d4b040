import Glibc
import MockLLMServer

// mock-llm-server [--port N] [--reply TEXT] [--chunks N] [--delay-ms N] [--models a,b] [--hostile NAME] [--context-window N]
// Prints `listening on 127.0.0.1:PORT` (flushed) and serves until SIGTERM or SIGINT.

let usage = "usage: mock-llm-server [--port N] [--reply TEXT] [--chunks N] [--delay-ms N] [--models a,b]\n" + "       [--hostile NAME] [--context-window N]\n"

func fail(_ message: String) -> Never {
    // Glibc's `stderr` global is not concurrency-safe in Swift 6: write to fd 2 directly.
    let text = Array("mock-llm-server: \(message)\n\(usage)".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

func parseArguments(_ arguments: [String]) -> MockLLMConfiguration {
    var configuration = MockLLMConfiguration()
    var iterator = arguments.makeIterator()
    while let flag = iterator.next() {
        if flag == "--help" || flag == "-h" {
            print(usage, terminator: "")
            exit(0)
        }
        guard let value = iterator.next() else { fail("\(flag) needs a value") }
        switch flag {
        case "--port": configuration.port = UInt16(value) ?? { fail("bad port \(value)") }()
        case "--reply": configuration.replyText = value
        case "--chunks": configuration.chunkCount = max(1, Int(value) ?? { fail("bad --chunks \(value)") }())
        case "--delay-ms": configuration.chunkDelayMilliseconds = max(0, Int(value) ?? { fail("bad --delay-ms") }())
        case "--context-window":
            configuration.contextWindow = Int(value).flatMap { $0 > 0 ? $0 : nil } ?? { fail("bad --context-window \(value)") }()
        case "--models": configuration.models = value.split(separator: ",").map(String.init)
        case "--hostile":
            configuration.hostile = MockHostility(rawValue: value) ?? {
                fail("unknown --hostile \(value); one of " + MockHostility.allCases.map(\.rawValue).joined(separator: ", "))
            }()
        default: fail("unknown option \(flag)")
        }
    }
    return configuration
}

let configuration = parseArguments(Array(CommandLine.arguments.dropFirst()))

// Block SIGINT/SIGTERM before any thread starts (threads inherit the mask), then wait
// for them synchronously: no handler runs, so there is nothing async-signal-unsafe.
var signals = sigset_t()
sigemptyset(&signals)
sigaddset(&signals, SIGINT)
sigaddset(&signals, SIGTERM)
pthread_sigmask(SIG_BLOCK, &signals, nil)

let server: MockLLMServer
do {
    server = try MockLLMServer(configuration: configuration)
} catch {
    fail("\(error)")
}
print("listening on 127.0.0.1:\(server.port)")
fflush(nil) // all streams: `stdout` itself is not concurrency-safe to name

var received: Int32 = 0
sigwait(&signals, &received)
server.stop()
