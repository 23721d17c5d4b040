// swift-tools-version: 6.1
import PackageDescription

/// Settings shared by every Swift target: Swift 6 language mode comes from the tools
/// version; `ExistentialAny` keeps protocol-typed values explicit.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// Release builds of the executables link the Swift runtime and Foundation statically into a
/// position-dependent executable (D45): no shared Swift libraries to map and relocate at
/// exec, and 1,000 relocations instead of 88,000. lld, because GNU ld prints a warning for
/// a `mktemp` reference inside the static Foundation archive.
/// The code start-up and a first turn run is laid out first, on adjacent pages
/// (`scripts/swiftcoder.order`, D154; functions have their own sections with `scripts/build-release`),
/// and only `pthread_create` (D58) is left in the dynamic symbol table (`scripts/swiftcoder.exports`).
let releaseLinking: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "-no-pie",
                  "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/scripts/swiftcoder.order",
                  "-Xlinker", "--no-warn-symbol-ordering",
                  "-Xlinker", "--version-script=\(Context.packageDirectory)/scripts/swiftcoder.exports",
                  "-Xlinker", "--undefined-version"],
                 .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "swiftcoder",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swiftcoder", targets: ["swiftcoder"]),
        .executable(name: "mock-llm-server", targets: ["mock-llm-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C interop: system libraries and the shim for what Swift cannot import.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // Terminal and locale (termios guard, wake pipe, wcwidth): no curl here.
        .target(name: "CShims"),
        // libcurl, loaded with dlopen, and typed setopt wrappers: only the transport uses it.
        .target(name: "CCurlShims", dependencies: ["CCurl"]),
        .target(name: "CSpawn"),
        // The executable's malloc settings, applied before main (D153): only swiftcoder links it.
        .target(name: "CMallocPolicy"),
        // Fault-around off in the executable's file mappings, from before main (D200): only swiftcoder links it.
        .target(name: "CFaultAround"),
        .target(name: "ThreadSupport", swiftSettings: swiftSettings),

        // Pure cores.
        .target(name: "TerminalUI", dependencies: ["CShims"], swiftSettings: swiftSettings),
        .target(name: "AgentCore", swiftSettings: swiftSettings),
        .target(name: "App", dependencies: ["TerminalUI", "AgentCore", "Pricing"], swiftSettings: swiftSettings),
        .target(name: "Pricing", dependencies: ["AgentCore"], swiftSettings: swiftSettings),
        // The UI loop as a library: reducer, effects, engine events and frames, with the
        // terminal, the engine and the services behind protocols (tested with fakes).
        .target(name: "AppRuntime", dependencies: ["App", "AgentCore", "TerminalUI", "ThreadSupport"], swiftSettings: swiftSettings),

        // Shells.
        .target(name: "NcursesBackend", dependencies: ["TerminalUI", "CNcursesw", "CShims", "ThreadSupport"],
                swiftSettings: swiftSettings),
        .target(name: "Providers", dependencies: ["AgentCore", "CCurl", "CCurlShims", "ThreadSupport"],
                swiftSettings: swiftSettings),
        .target(name: "AgentEngine", dependencies: ["AgentCore"], swiftSettings: swiftSettings),
        .target(name: "AgentTools", dependencies: ["AgentCore", "CSpawn", "ThreadSupport"],
                swiftSettings: swiftSettings),
        // MCP servers over stdio (the child process and its threads, D158) and over streamable
        // HTTP and legacy SSE (on the providers' CurlTransport and SSEParser, D162).
        .target(name: "MCPClient", dependencies: ["AgentCore", "Providers", "CSpawn", "ThreadSupport"],
                swiftSettings: swiftSettings),
        .target(name: "SessionModel", dependencies: ["AgentCore", "Pricing"], swiftSettings: swiftSettings),
        .target(name: "SessionStore", dependencies: ["AgentCore", "SessionModel", .product(name: "GRDB", package: "GRDB.swift")],
                swiftSettings: swiftSettings),
        .executableTarget(
            name: "swiftcoder",
            dependencies: [
                "App", "AppRuntime", "AgentCore", "AgentEngine", "AgentTools", "SessionModel", "SessionStore", "Pricing", "Providers", "NcursesBackend", "TerminalUI", "CShims",
                "ThreadSupport", "CMallocPolicy", "CFaultAround", "MCPClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: releaseLinking
        ),

        // A scriptable OpenAI-compatible server for tests, end-to-end runs and benchmarks.
        .target(name: "MockLLMServer", swiftSettings: swiftSettings),
        .executableTarget(name: "mock-llm-server", dependencies: ["MockLLMServer"], swiftSettings: swiftSettings,
                          linkerSettings: releaseLinking),
        // Figures for docs/BENCHMARKS.md (not a test).
        .executableTarget(name: "frame-bench", dependencies: ["App", "AgentCore", "TerminalUI", "NcursesBackend", "CNcursesw"],
                          swiftSettings: swiftSettings, linkerSettings: releaseLinking),
        .executableTarget(name: "provider-bench", dependencies: ["Providers", "AgentCore", "MockLLMServer"],
                          swiftSettings: swiftSettings, linkerSettings: releaseLinking),

        // One tool call as a child process, for tests that kill it mid-call.
        .executableTarget(name: "tool-probe", dependencies: ["AgentTools", "AgentCore"], swiftSettings: swiftSettings),

        .testTarget(name: "MCPClientTests", dependencies: ["MCPClient", "AgentCore", "Providers"],
                    exclude: ["fake_mcp_server.py", "fake_http_mcp_server.py"], swiftSettings: swiftSettings),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"], swiftSettings: swiftSettings),
        .testTarget(name: "NcursesBackendTests", dependencies: ["NcursesBackend", "CNcursesw", "TerminalUI"], swiftSettings: swiftSettings),
        .testTarget(name: "AgentCoreTests", dependencies: ["AgentCore"], swiftSettings: swiftSettings),
        .testTarget(name: "ProvidersTests", dependencies: ["Providers", "AgentCore", "MockLLMServer", "AgentEngine", "AgentTools"], swiftSettings: swiftSettings),
        // Snapshots/ holds the whole-frame text snapshots the tests read by path (not resources).
        .testTarget(name: "AppTests", dependencies: ["App", "AppRuntime", "TerminalUI", "AgentCore", "Pricing", "SessionModel"],
                    exclude: ["Snapshots"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "AppRuntimeTests", dependencies: ["AppRuntime", "App", "AgentCore", "AgentEngine", "TerminalUI", "ThreadSupport",
                                                        "CMallocPolicy", "CFaultAround"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "AgentEngineTests", dependencies: ["AgentEngine", "AgentCore", "AgentTools"], swiftSettings: swiftSettings),
        .testTarget(name: "AgentToolsTests", dependencies: ["AgentTools", "AgentCore"], swiftSettings: swiftSettings),
        .testTarget(name: "SessionStoreTests", dependencies: ["SessionStore", "SessionModel", "AgentCore"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "PricingTests", dependencies: ["Pricing", "AgentCore"], swiftSettings: swiftSettings),
        .testTarget(name: "EndToEndTests", dependencies: ["MockLLMServer", "SessionStore", "AgentCore", "Pricing"],
                    swiftSettings: swiftSettings),
    ]
)

// Fuzz targets (docs/FUZZING.md, D62): declared only when `scripts/fuzz` builds with
// SWIFTCODER_FUZZ=1 and `-sanitize=fuzzer`, so the normal build and test run never see them.
if Context.environment["SWIFTCODER_FUZZ"] == "1" {
    package.targets.append(.target(name: "CFuzz", path: "fuzz/CFuzz"))
    package.targets.append(.target(name: "FuzzSupport", dependencies: ["CFuzz"], path: "fuzz/Support",
                                   swiftSettings: swiftSettings))
    let fuzzers: [(name: String, dependencies: [Target.Dependency])] = [
        ("sse", ["Providers"]), ("openai-chunk", ["Providers", "AgentCore"]),
        ("openai-stream", ["Providers", "AgentCore"]), ("ollama-stream", ["Providers", "AgentCore"]),
        ("config-json", ["AgentCore"]), ("interpolation", ["AgentCore"]), ("retry-after", ["Providers"]),
        ("keys", ["TerminalUI"]), ("markdown", ["App", "TerminalUI"]), ("width", ["TerminalUI"]),
        ("glob", ["AgentTools"]), ("gitignore", ["AgentTools"]), ("command-file", ["AgentCore"]),
    ]
    for fuzzer in fuzzers {
        package.targets.append(.executableTarget(
            name: "fuzz-\(fuzzer.name)", dependencies: ["FuzzSupport"] + fuzzer.dependencies,
            path: "fuzz/\(fuzzer.name)",
            swiftSettings: swiftSettings))
    }
}
