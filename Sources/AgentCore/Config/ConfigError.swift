import FoundationEssentials

/// A configuration problem that stops loading, described as `FILE[:LINE:COL]: [FIELD] MESSAGE`.
///
/// Never contains the value of a secret: messages name fields and variables, not their contents.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broad class of problem, for callers and tests that branch on it.
    public enum Kind: String, Sendable, Hashable {
        /// A file named by `--config` or `$SWIFTCODER_CONFIG` does not exist.
        case fileNotFound
        /// The file exists but could not be read.
        case unreadable
        /// The file is not valid JSON.
        case syntax
        /// A field has the wrong JSON type.
        case wrongType
        /// A field has the right type but an unusable value.
        case invalidValue
        /// A provider's `type` is not one of `ProviderKind.allCases`.
        case unknownProviderType
        /// A required field is absent.
        case missingField
        /// A top-level string uses an environment variable that is not set.
        case unsetVariable
    }

    public var kind: Kind
    /// The config file, as located.
    public var path: String
    /// Where in the file, when the problem is at a place in it.
    public var position: SourcePosition?
    /// The dotted field path (`providers.local.contextWindow`), when the problem is a field.
    public var field: String?
    /// What is wrong, phrased to follow the field path when there is one.
    public var message: String

    public init(kind: Kind, path: String, position: SourcePosition? = nil, field: String? = nil, message: String) {
        self.kind = kind
        self.path = path
        self.position = position
        self.field = field
        self.message = message
    }

    public var description: String {
        let location = position.map { "\(path):\($0)" } ?? path
        guard let field else { return "\(location): \(message)" }
        return "\(location): \(field) \(message)"
    }
}

extension ConfigError {
    /// A field whose JSON type is not the one expected (`providers.x.models must be an array of strings`).
    public static func wrongType(path: String, field: String, at node: JSONValue, expected: String) -> ConfigError {
        ConfigError(kind: .wrongType, path: path, position: node.position, field: field, message: "must be \(expected)")
    }

    /// Turns a failure from reading the file into an error naming the file and the OS reason.
    static func unreadable(path: String, underlying: any Error) -> ConfigError {
        ConfigError(kind: .unreadable, path: path, message: "cannot read the config file: \(osReason(underlying))")
    }

    /// The human reason behind a file-reading error (`strerror` is not reachable from FoundationEssentials).
    static func osReason(_ error: any Error) -> String {
        var posix: POSIXError?
        if let cocoa = error as? CocoaError { posix = cocoa.underlying as? POSIXError }
        if posix == nil { posix = error as? POSIXError }
        guard let code = posix?.code else { return String(describing: error) }
        switch code {
        case .ENOENT: return "No such file or directory"
        case .EACCES: return "Permission denied"
        case .EPERM: return "Operation not permitted"
        case .EISDIR: return "Is a directory"
        case .ENOTDIR: return "Not a directory"
        case .ELOOP: return "Too many levels of symbolic links"
        case .ENAMETOOLONG: return "File name too long"
        case .EIO: return "Input/output error"
        case .EMFILE, .ENFILE: return "Too many open files"
        case .ENOMEM: return "Cannot allocate memory"
        default: return "error \(code.rawValue) (\(code))"
        }
    }
}
