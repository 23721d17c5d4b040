import FoundationEssentials

/// The context window in force and what an overflow error says about it (D123, D126).
public enum ContextWindow {
    /// Where the window in force came from, in the order they are tried.
    public enum Source: String, Sendable, Hashable {
        case config, server, table, guess
    }

    /// The window shown with `?` when nothing is known; automatic compaction does not fire
    /// on a guess (only on the server's overflow error).
    public static let guess = 8192

    /// The window in force: the config's `contextWindow`, else the server's figure, else the
    /// capability table's, else the stated guess.
    public static func resolve(configured: Int?, server: Int?, model: String?) -> (tokens: Int, source: Source) {
        if let configured { return (configured, .config) }
        if let server { return (server, .server) }
        if let model, let known = ModelCapabilities.lookup(modelID: model) { return (known.contextWindow, .table) }
        return (guess, .guess)
    }

    /// Tokens kept free for the reply: a quarter of the window, at most 8,192.
    public static func replyReserve(window: Int) -> Int { min(window / 4, 8192) }

    /// The window an overflow message states ("maximum context length is 6000 tokens",
    /// llama.cpp's `"n_ctx":4096`, "context window of 8192 tokens"), when it states one.
    /// Reads at most the first 4 KB of `message`.
    public static func stated(in message: String) -> Int? {
        let text = String(message.lowercased().utf8.prefix(4096)) ?? ""
        for marker in ["maximum context length is ", "context length is ", "\"n_ctx\":", "n_ctx: ", "n_ctx=",
                       "context window of ", "context length of ", "context size ("] {
            guard let range = text.firstRange(of: marker) else { continue }
            let digits = text[range.upperBound...].drop { $0 == " " }.prefix { $0.isASCII && $0.isNumber }.prefix(9)
            if let value = Int(digits), value > 0 { return value }
        }
        return nil
    }
}
