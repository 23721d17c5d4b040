import FoundationEssentials
import Synchronization

/// What is publicly known about a model family when its provider says nothing.
public struct KnownCapabilities: Sendable, Hashable {
    /// Context window in tokens.
    public var contextWindow: Int
    /// The most tokens one reply may hold, when the vendor publishes it.
    public var maxOutputTokens: Int?
    /// Whether the model supports native (API-level) tool calling.
    public var supportsTools: Bool

    public init(contextWindow: Int, maxOutputTokens: Int? = nil, supportsTools: Bool) {
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
        self.supportsTools = supportsTools
    }

    /// `info` with only its `nil` fields filled from these capabilities; reported values win.
    public func merged(into info: ModelInfo) -> ModelInfo {
        var result = info
        result.contextWindow = info.contextWindow ?? contextWindow
        result.maxOutputTokens = info.maxOutputTokens ?? maxOutputTokens
        result.supportsTools = info.supportsTools ?? supportsTools
        return result
    }
}

/// A table of well-known model families, used when a provider does not report a model's limits.
///
/// Lookups normalize the id (lowercase, no provider prefix, no `:tag`, date, quantization or
/// `-latest` suffix) and take the longest family prefix that ends at a word boundary,
/// so `qwen2.5-coder` beats `qwen2.5`.
public enum ModelCapabilities {
    /// Capabilities of the family `modelID` belongs to, or `nil` for an unknown model.
    /// Remembered per id: the meter asks for the active model's on every streaming frame
    /// when its provider reports no context window (D196).
    public static func lookup(modelID: String) -> KnownCapabilities? {
        if let known = remembered.withLock({ $0[modelID] }) { return known }
        let found = search(modelID: modelID)
        remembered.withLock { memo in
            if memo.count >= 256 { memo.removeAll() }  // ids come from servers: bounded
            memo[modelID] = .some(found)
        }
        return found
    }

    /// Lookups done so far, `nil` inside for an unknown model.
    private static let remembered = Mutex<[String: KnownCapabilities?]>([:])

    private static func search(modelID: String) -> KnownCapabilities? {
        let id = normalize(modelID: modelID)
        var best: (length: Int, capabilities: KnownCapabilities)?
        for (prefix, capabilities) in table where prefix.count > (best?.length ?? 0) {
            if matches(id, prefix: prefix) { best = (prefix.count, capabilities) }
        }
        return best?.capabilities
    }

    /// `info` with its `nil` fields filled from the table entry for `info.id`, if there is one.
    public static func filling(_ info: ModelInfo) -> ModelInfo {
        lookup(modelID: info.id)?.merged(into: info) ?? info
    }

    /// The id as the table is keyed: `openai/gpt-4o-2024-08-06` → `gpt-4o`,
    /// `qwen2.5-coder:7b-instruct-q4_K_M` → `qwen2.5-coder`.
    public static func normalize(modelID: String) -> String {
        var id = Substring(modelID.lowercased())
        id = id.drop(while: \.isWhitespace)
        while id.last?.isWhitespace == true { id = id.dropLast() }
        if let slash = id.lastIndex(of: "/") { id = id[id.index(after: slash)...] }
        if let colon = id.firstIndex(of: ":") { id = id[..<colon] }
        var changed = true
        while changed {
            changed = false
            for strip in [stripLatest, stripDate, stripQuantization] {
                if let shorter = strip(id) { id = shorter; changed = true }
            }
        }
        return String(id)
    }

    // MARK: - Matching

    private static func matches(_ id: String, prefix: String) -> Bool {
        guard id.hasPrefix(prefix) else { return false }
        guard let next = id.dropFirst(prefix.count).first else { return true }
        return !(next.isLetter || next.isNumber || next == ".")
    }

    private static func stripLatest(_ id: Substring) -> Substring? {
        id.hasSuffix("-latest") ? id.dropLast(7) : nil
    }

    /// Drops `-2024-08-06` or `-20241022`.
    private static func stripDate(_ id: Substring) -> Substring? {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        let isDigits = { (part: Substring, count: Int) in part.count == count && part.allSatisfy(\.isASCIIDigit) }
        if parts.count > 3, isDigits(parts[parts.count - 3], 4), isDigits(parts[parts.count - 2], 2),
           isDigits(parts[parts.count - 1], 2) {
            return id.dropLast(11)
        }
        if parts.count > 1, let last = parts.last, isDigits(last, 8) { return id.dropLast(9) }
        return nil
    }

    /// Drops GGUF quantization suffixes such as `-q4_k_m`, `-q8_0`, `-fp16`.
    private static func stripQuantization(_ id: Substring) -> Substring? {
        guard let dash = id.lastIndex(of: "-") else { return nil }
        let tail = id[id.index(after: dash)...]
        let isQuant = (tail.first == "q" && tail.dropFirst().first?.isASCIIDigit == true)
            || ["fp16", "f16", "bf16", "fp32", "f32", "gguf"].contains(String(tail))
        return isQuant ? id[..<dash] : nil
    }

    // MARK: - Table

    private static func entry(_ context: Int, _ output: Int?, tools: Bool) -> KnownCapabilities {
        KnownCapabilities(contextWindow: context, maxOutputTokens: output, supportsTools: tools)
    }

    /// Family prefix → capabilities. Compiled on 2026-11-25 from the vendors' published
    /// model cards and the Ollama library; "no tools" means no native tool-calling API support.
    private static let table: [(String, KnownCapabilities)] = {
        var rows: [(String, KnownCapabilities)] = []
        func add(_ names: [String], _ capabilities: KnownCapabilities) {
            rows += names.map { ($0, capabilities) }
        }
        // OpenAI
        add(["gpt-4o", "chatgpt-4o"], entry(128_000, 16_384, tools: true))
        add(["gpt-4o-mini"], entry(128_000, 16_384, tools: true))
        add(["gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano"], entry(1_047_576, 32_768, tools: true))
        add(["gpt-4-turbo"], entry(128_000, 4_096, tools: true))
        add(["gpt-4"], entry(8_192, 8_192, tools: true))
        add(["gpt-3.5-turbo"], entry(16_385, 4_096, tools: true))
        add(["o1", "o3", "o3-mini", "o4-mini"], entry(200_000, 100_000, tools: true))
        add(["gpt-oss"], entry(131_072, nil, tools: true))
        // Anthropic
        add(["claude-3", "claude-3.5", "claude-3-5"], entry(200_000, 8_192, tools: true))
        add(["claude-3.7", "claude-3-7"], entry(200_000, 64_000, tools: true))
        add(["claude-sonnet-4", "claude-4-sonnet"], entry(200_000, 64_000, tools: true))
        add(["claude-opus-4", "claude-4-opus"], entry(200_000, 32_000, tools: true))
        // Google
        add(["gemini-1.5", "gemini-2.0"], entry(1_048_576, 8_192, tools: true))
        add(["gemini-2.5"], entry(1_048_576, 65_536, tools: true))
        add(["gemma2", "gemma-2"], entry(8_192, nil, tools: false))
        add(["gemma3", "gemma-3"], entry(131_072, nil, tools: false))
        // Meta
        add(["llama3", "llama-3", "meta-llama-3"], entry(8_192, nil, tools: false))
        add(["llama3.1", "llama-3.1", "meta-llama-3.1", "llama3.2", "llama-3.2", "llama3.3", "llama-3.3"],
            entry(131_072, nil, tools: true))
        add(["codellama", "code-llama"], entry(16_384, nil, tools: false))
        // Alibaba
        add(["qwen2.5", "qwen-2.5", "qwen2.5-coder", "qwen-2.5-coder"], entry(32_768, nil, tools: true))
        add(["qwen3", "qwen-3"], entry(40_960, nil, tools: true))
        // Mistral
        add(["mistral"], entry(32_768, nil, tools: true))
        add(["mistral-nemo", "open-mistral-nemo"], entry(128_000, nil, tools: true))
        add(["mixtral", "open-mixtral"], entry(32_768, nil, tools: true))
        // DeepSeek
        add(["deepseek-r1", "deepseek-reasoner"], entry(131_072, nil, tools: false))
        add(["deepseek-v3"], entry(65_536, nil, tools: true))
        add(["deepseek-chat"], entry(131_072, 8_192, tools: true))
        // Microsoft, BigCode
        add(["phi3", "phi-3"], entry(131_072, nil, tools: false))
        add(["phi4", "phi-4"], entry(16_384, nil, tools: false))
        add(["starcoder2"], entry(16_384, nil, tools: false))
        return rows
    }()
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
