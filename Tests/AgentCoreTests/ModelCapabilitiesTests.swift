import Testing
@testable import AgentCore

@Suite(.timeLimit(.minutes(2))) struct ModelCapabilitiesTests {
    @Test(arguments: [
        ("openai/gpt-4o-2024-08-06", "gpt-4o"),
        ("qwen2.5-coder:7b-instruct-q4_K_M", "qwen2.5-coder"),
        ("llama3.1:latest", "llama3.1"),
        ("meta-llama/llama-3.3-70b-instruct", "llama-3.3-70b-instruct"),
        ("deepseek/deepseek-r1:free", "deepseek-r1"),
        ("claude-3-5-sonnet-20241022", "claude-3-5-sonnet"),
        ("gpt-4o-latest", "gpt-4o"),
        ("qwen2.5-coder-7b-instruct-q4_k_m", "qwen2.5-coder-7b-instruct"),
    ])
    func normalizesIDs(raw: String, expected: String) {
        #expect(ModelCapabilities.normalize(modelID: raw) == expected)
    }

    @Test func looksUpDatedOpenAIModel() {
        let caps = ModelCapabilities.lookup(modelID: "openai/gpt-4o-2024-08-06")
        #expect(caps?.contextWindow == 128_000)
        #expect(caps?.supportsTools == true)
    }

    @Test func longestPrefixWins() {
        #expect(ModelCapabilities.lookup(modelID: "gpt-4o-mini")?.maxOutputTokens == 16_384)
        #expect(ModelCapabilities.lookup(modelID: "gpt-4.1-mini")?.contextWindow == 1_047_576)
        #expect(ModelCapabilities.lookup(modelID: "gpt-4-0613")?.contextWindow == 8_192)
        #expect(ModelCapabilities.lookup(modelID: "mistral-nemo:12b")?.contextWindow == 128_000)
        #expect(ModelCapabilities.lookup(modelID: "mistral:7b")?.contextWindow == 32_768)
        #expect(ModelCapabilities.lookup(modelID: "qwen3:8b")?.contextWindow == 40_960)
    }

    @Test func ollamaTagsAndQuantizations() {
        let coder = ModelCapabilities.lookup(modelID: "qwen2.5-coder:7b-instruct-q4_K_M")
        #expect(coder == KnownCapabilities(contextWindow: 32_768, supportsTools: true))
        let llama31 = ModelCapabilities.lookup(modelID: "llama3.1:latest")
        #expect(llama31?.contextWindow == 131_072)
        #expect(llama31?.supportsTools == true)
        let llama3 = ModelCapabilities.lookup(modelID: "ollama/llama3:8b")
        #expect(llama3?.contextWindow == 8_192)
        #expect(llama3?.supportsTools == false)
    }

    @Test func providerPrefixedLlama() {
        let caps = ModelCapabilities.lookup(modelID: "meta-llama/llama-3.3-70b-instruct")
        #expect(caps?.contextWindow == 131_072)
        #expect(caps?.supportsTools == true)
    }

    @Test func modelsWithoutNativeTools() {
        for id in ["deepseek-r1:14b", "gemma3:27b", "gemma2", "phi4:latest", "codellama:13b", "starcoder2:3b"] {
            #expect(ModelCapabilities.lookup(modelID: id)?.supportsTools == false, "\(id)")
        }
        #expect(ModelCapabilities.lookup(modelID: "anthropic/claude-3.5-sonnet")?.supportsTools == true)
    }

    @Test func unknownModelsAreNil() {
        #expect(ModelCapabilities.lookup(modelID: "my-finetune:latest") == nil)
        #expect(ModelCapabilities.lookup(modelID: "") == nil)
        // A prefix only counts at a word boundary: "o1" is not "o1x", "llama3" is not "llama3.9".
        #expect(ModelCapabilities.lookup(modelID: "o1x") == nil)
        #expect(ModelCapabilities.lookup(modelID: "llama3.9") == nil)
    }

    @Test func mergeFillsOnlyNilFields() {
        let reported = ModelInfo(id: "gpt-4o", contextWindow: 64_000, maxOutputTokens: nil, supportsTools: nil)
        let merged = ModelCapabilities.filling(reported)
        #expect(merged == ModelInfo(id: "gpt-4o", contextWindow: 64_000, maxOutputTokens: 16_384, supportsTools: true))

        let complete = ModelInfo(id: "llama3.1", contextWindow: 4_096, maxOutputTokens: 512, supportsTools: false)
        #expect(ModelCapabilities.filling(complete) == complete)

        let unknown = ModelInfo(id: "mystery")
        #expect(ModelCapabilities.filling(unknown) == unknown)
    }

    @Test func thePreferredChatModelSkipsModelsThatCannotStreamAChat() {
        let embed = ModelInfo(id: "nomic-embed-text", supportsStreaming: false)
        let chat = ModelInfo(id: "qwen2.5-coder:7b", supportsStreaming: true)
        let unknown = ModelInfo(id: "mystery")
        #expect([embed, chat].preferredChatModel?.id == "qwen2.5-coder:7b")
        #expect([embed, unknown].preferredChatModel?.id == "mystery")
        #expect([embed].preferredChatModel?.id == "nomic-embed-text")
        #expect([ModelInfo]().preferredChatModel == nil)
    }
}
