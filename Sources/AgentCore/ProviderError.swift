import FoundationEssentials

/// A failure talking to a provider, with enough context to tell the user what to fix.
///
/// Never carries an API key: messages are built from the URL, status and server text only.
public struct ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broad class of failure, which decides the one-line human reason and retries.
    public enum Kind: String, Sendable, Hashable {
        case unauthorized, modelNotFound, rateLimited, contextTooLong, badRequest
        case serverError, unreachable, timedOut, badResponse, streamInterrupted
        case notConfigured
        /// The model or server rejects requests that offer tools ("does not support tools"):
        /// the engine may repeat the request with the tools described in the prompt instead
        /// (`ToolPromptFallback`).
        case toolsUnsupported
    }

    public var kind: Kind
    public var provider: String
    public var url: String
    public var httpStatus: Int?
    /// The server's own message, when it sent one.
    public var serverMessage: String?
    /// Transport detail (curl's error text, parse failure), when there is one.
    public var detail: String?
    /// Seconds the server asked the client to wait before trying again (from the
    /// `retry-after-ms` or `retry-after` header), when it said.
    public var retryAfterSeconds: Double?

    public init(kind: Kind, provider: String, url: String, httpStatus: Int? = nil,
                serverMessage: String? = nil, detail: String? = nil, retryAfterSeconds: Double? = nil) {
        self.kind = kind
        self.provider = provider
        self.url = url
        self.httpStatus = httpStatus
        self.serverMessage = serverMessage
        self.detail = detail
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// A one-line reason a person understands.
    public var reason: String {
        switch kind {
        case .unauthorized: "bad or missing API key"
        case .modelNotFound: "model not found"
        case .rateLimited: "rate limited"
        case .contextTooLong: "context too long for the model"
        case .badRequest: "request rejected"
        case .serverError: "server error"
        case .unreachable: "server unreachable"
        case .timedOut: "timed out"
        case .badResponse: "unreadable response"
        case .streamInterrupted: "stream ended before the reply was complete"
        case .notConfigured: "provider not configured"
        case .toolsUnsupported: "the model does not support tool calling"
        }
    }

    public var description: String {
        var text = "\(provider): \(reason) (\(url)"
        if let httpStatus { text += ", HTTP \(httpStatus)" }
        text += ")"
        if let serverMessage, !serverMessage.isEmpty { text += ": \(serverMessage)" }
        if let detail, !detail.isEmpty { text += " [\(detail)]" }
        return text
    }
}
