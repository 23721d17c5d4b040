import AgentCore
import Testing

/// A provider kind is described in one place; the router reads the same descriptors.
@Suite(.timeLimit(.minutes(2))) struct ProviderKindDescriptorTests {
    @Test func theRouterProbesEveryLocalKindFromItsDescriptor() {
        let probed = ProviderRouter.localCandidates
        #expect(probed.map(\.kind) == ProviderKind.detectedLocally)
        for candidate in probed {
            #expect(candidate.name == candidate.kind.descriptor.detectedName)
            #expect(candidate.apiBase == candidate.kind.descriptor.defaultBaseURL)
            #expect(candidate.maxRetries == 0)
        }
        // Every local kind is probed, and only local kinds are.
        #expect(Set(ProviderKind.allCases.filter(\.isLocal)) == Set(ProviderKind.detectedLocally))
    }

    @Test func eachKindHasOneWireProtocolAndItsDefaults() {
        #expect(ProviderKind.ollama.descriptor.wire == .ollamaNative)
        #expect(ProviderKind.allCases.filter { $0.descriptor.wire == .ollamaNative } == [.ollama])
        #expect(ProviderKind.openAICompatible.defaultBaseURL == nil)
        #expect(ProviderKind.openAICompatible.descriptor.localTimeoutsOnLoopback)
        #expect(ProviderKind.githubModels.descriptor.keyVariable == "GITHUB_TOKEN")
        #expect(ProviderKind.openRouter.descriptor.presetHeaders["X-Title"] == "swiftcoder")
        #expect(ProviderKind.allCases.filter { $0.descriptor.usesMaxCompletionTokens } == [.openAI])
        for kind in ProviderKind.allCases where kind.isLocal {
            #expect(kind.defaultBaseURL?.hasPrefix("http://localhost:") == true)
        }
    }
}
