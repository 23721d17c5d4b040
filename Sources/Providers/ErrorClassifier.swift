import AgentCore
import FoundationEssentials

/// Turns HTTP statuses, server error bodies and transport failures into `ProviderError`s.
public enum ErrorClassifier {
    /// Longest server message kept in an error (bodies can be whole HTML pages).
    static let maxMessageLength = 500

    /// The failure class for an HTTP status and/or an error object's `code` and `type`.
    /// `status` is `nil` for errors that arrive inside a 200 stream.
    public static func kind(status: Int?, code: String?, type: String?, message: String?) -> ProviderError.Kind {
        let effectiveStatus = status ?? code.flatMap { Int($0) }.flatMap { (100..<600).contains($0) ? $0 : nil }
        let text = [code, type, message].compactMap { $0 }.joined(separator: " ").lowercased()
        // Before the status: LiteLLM answers a wrong key with a 400 whose message says so.
        // Only for client errors: a 5xx or 429 mentioning authentication is still transient.
        if effectiveStatus.map({ (400..<500).contains($0) && $0 != 429 }) ?? true, isAuthenticationFailure(text) {
            return .unauthorized
        }
        // Before the status: OpenRouter says it with a 404, Ollama and llama.cpp with a 400.
        if ![401, 403, 429].contains(effectiveStatus ?? 0), isToolsUnsupported(text) {
            return .toolsUnsupported
        }
        if ![401, 403, 404, 429].contains(effectiveStatus ?? 0), isContextOverflow(text) {
            return .contextTooLong
        }
        switch effectiveStatus {
        case 401?, 403?: return .unauthorized
        case 404?: return .modelNotFound
        case 408?: return .timedOut
        case 413?: return .contextTooLong
        case 429?: return .rateLimited
        case (400..<500)?: return .badRequest
        case (500...)?: return .serverError
        default: break
        }
        let words = [code, type].compactMap { $0?.lowercased() }.joined(separator: " ")
        if words.contains("rate_limit") || words.contains("quota") { return .rateLimited }
        if words.contains("invalid_api_key") || words.contains("authentication") { return .unauthorized }
        if words.contains("model_not_found") { return .modelNotFound }
        if words.contains("invalid_request") || words.contains("tool_use_failed") { return .badRequest }
        return .serverError
    }

    /// Whether error text says the API key was refused: OpenAI `Incorrect API key provided`,
    /// LiteLLM `AuthenticationError` (at HTTP 400), `invalid_api_key`, Gemini `API key not valid`.
    static func isAuthenticationFailure(_ lowercased: String) -> Bool {
        ["invalid api key", "invalid_api_key", "incorrect api key", "api key not valid", "authentication",
         "unauthorized"].contains { lowercased.contains($0) }
    }

    /// Whether error text says the prompt did not fit the model's context.
    static func isContextOverflow(_ lowercased: String) -> Bool {
        ["context_length_exceeded", "context length", "context size", "maximum context", "context window",
         "exceed_context_size", "contextwindowexceedederror", "exceeds the available context"].contains { lowercased.contains($0) }
    }

    /// Whether error text says the model or server cannot take `tools` in the request:
    /// Ollama `... does not support tools`, OpenRouter `No endpoints found that support tool
    /// use`, llama.cpp `tools param requires --jinja flag`, vLLM `"auto" tool choice requires
    /// --enable-auto-tool-choice`, and the usual "tool/function calling is not supported".
    static func isToolsUnsupported(_ lowercased: String) -> Bool {
        ["does not support tool", "support tool use", "does not support function calling",
         "tools param requires --jinja", "tool choice requires --enable-auto-tool-choice",
         "tool calling is not supported", "function calling is not supported", "tools are not supported",
         "tool use is not supported", "tool_use is not supported"].contains { lowercased.contains($0) }
    }

    /// The server's message from an error body: OpenAI `{"error":{"message"}}`, Ollama
    /// `{"error":"..."}`, FastAPI `{"detail":"..."}`, or the body itself as plain text.
    static func parseErrorBody(_ body: [UInt8]) -> OpenAIErrorBody {
        if let error = parseErrorDocument(body) { return error }
        let text = String(decoding: body, as: UTF8.self).trimmingWhitespace()
        return OpenAIErrorBody(message: text.isEmpty ? nil : clip(text))
    }

    /// The error object of a JSON error document, or `nil` when `body` is not one.
    static func parseErrorDocument(_ body: [UInt8]) -> OpenAIErrorBody? {
        guard let document = try? JSONDecoder().decode(OpenAIErrorDocument.self, from: Data(body)),
              let error = document.error else { return nil }
        return OpenAIErrorBody(message: error.message.map(clip), type: error.type, code: error.code)
    }

    /// The error for a non-2xx response; `retryAfterSeconds` comes from the headers, read at `now`.
    static func httpError(status: Int, headers: [String: String], body: [UInt8],
                          provider: String, url: String, now: Date = Date()) -> ProviderError {
        let parsed = parseErrorBody(body)
        var details: [String] = []
        if let code = parsed.code { details.append("code \(code)") }
        if status == 404, !(parsed.message ?? "").lowercased().contains("model") {
            // A 404 that does not mention a model is more often a wrong API base path.
            details.append("check the model name and the API base URL")
        }
        let retryAfter = RetryAfter.seconds(headers: headers, now: now)
        if let retryAfter { details.append("retry after \(RetryAfter.describe(retryAfter))") }
        return ProviderError(kind: kind(status: status, code: parsed.code, type: parsed.type, message: parsed.message),
                             provider: provider, url: url, httpStatus: status, serverMessage: parsed.message,
                             detail: details.isEmpty ? nil : details.joined(separator: ", "),
                             retryAfterSeconds: retryAfter)
    }

    /// The error for a transport failure; `streaming` when reply bytes had already arrived
    /// (a connection lost before any is `unreachable`, which may be retried).
    static func transportError(_ failure: TransportFailure, streaming: Bool,
                               provider: String, url: String) -> ProviderError {
        let kind: ProviderError.Kind = switch failure.kind {
        case .timedOut: .timedOut
        case .unreachable: .unreachable
        case .cancelled: .streamInterrupted
        case .connectionLost, .other: streaming ? .streamInterrupted : .unreachable
        case .tooLarge: .badResponse
        }
        return ProviderError(kind: kind, provider: provider, url: url, detail: failure.message)
    }

    static func clip(_ text: String) -> String {
        text.count <= maxMessageLength ? text : String(text.prefix(maxMessageLength)) + "…"
    }
}
