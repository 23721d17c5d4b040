/// The values of a provider's configuration that must never be shown: the API key, header
/// values (but a few well-known public ones) and credentials in the base URL (user
/// information, and query parameters such as `?key=` and `api_key=`). Every error, log line
/// and export passes through `SecretRedactor` with these.
extension ProviderConfig {
    /// Header names whose values are not secret.
    static let publicHeaders: Set<String> = ["accept", "content-type", "user-agent", "http-referer", "referer",
                                             "x-title", "anthropic-version", "api-version"]

    /// Every secret value of this provider, longest first, none shorter than 4 characters.
    public var secrets: [String] {
        var values: [String] = apiKey.map { [$0.value] } ?? []
        for (name, value) in headers where !Self.publicHeaders.contains(name.lowercased()) {
            values.append(value)
            // "Bearer sk-…": the token alone may be echoed too.
            if let space = value.firstIndex(of: " ") { values.append(String(value[value.index(after: space)...])) }
        }
        values += URLCredentials.values(in: apiBase)
        return Array(Set(values.filter { $0.count >= 4 })).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// `apiBase` with its credentials replaced by `<redacted>`: what screens and lists show.
    public var displayBase: String {
        SecretRedactor(secrets: URLCredentials.values(in: apiBase)).redact(apiBase)
    }
}

/// Credentials written into a URL. Pure.
public enum URLCredentials {
    /// Query parameters that carry keys or tokens (compared without case).
    static let keyParameters: Set<String> = ["key", "api_key", "apikey", "api-key", "token", "access_token",
                                             "auth", "sig", "signature", "secret", "client_secret", "password",
                                             "x-api-key", "code"]

    /// The user information (`user:password@`, both parts) and the values of key-carrying
    /// query parameters in `url`, as written.
    public static func values(in url: String) -> [String] {
        var values: [String] = []
        var rest = Substring(url)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            values.append(String(userinfo))
            values += userinfo.split(separator: ":").map(String.init)
        }
        if let question = url.firstIndex(of: "?") {
            let query = url[url.index(after: question)...].prefix { $0 != "#" }
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, keyParameters.contains(parts[0].lowercased()) { values.append(String(parts[1])) }
            }
        }
        return values.filter { !$0.isEmpty }
    }
}

/// Replaces secret values in text with `<redacted>`. Pure.
public struct SecretRedactor: Sendable, Hashable {
    /// The values to hide, longest first (so a value containing another is hidden whole).
    public let secrets: [String]

    public init(secrets: [String]) {
        self.secrets = secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    public func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: "<redacted>")
        }
        return result
    }
}
