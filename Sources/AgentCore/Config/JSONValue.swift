/// A 1-based line and column in a source file; columns count Unicode scalars, not bytes.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }

    /// Earlier in the file is smaller.
    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// A JSON number: its value as a `Double` and the exact text it was written as.
public struct JSONNumber: Sendable, Hashable {
    public var double: Double
    /// The literal as it appeared in the file, for exact integers beyond 2^53.
    public var text: String
    public init(double: Double, text: String) {
        self.double = double
        self.text = text
    }

    /// The value as an `Int` when it is a whole number that fits (`8192` and `8192.0` both do).
    public var int: Int? {
        if let exact = Int(text) { return exact }
        guard double.rounded() == double, double >= -9.0e18, double <= 9.0e18 else { return nil }
        return Int(double)
    }
}

/// One `"key": value` pair of a JSON object, in file order.
public struct JSONMember: Sendable, Hashable {
    public var key: String
    public var keyPosition: SourcePosition
    public var value: JSONValue
    public init(key: String, keyPosition: SourcePosition, value: JSONValue) {
        self.key = key
        self.keyPosition = keyPosition
        self.value = value
    }
}

/// A parsed JSON value that remembers where it started and keeps object members in file order.
///
/// Produced by `JSONReader`; config loaders read further keys (theme, pricing, …) from it.
public struct JSONValue: Sendable, Hashable {
    /// The value itself.
    public enum Kind: Sendable, Hashable {
        case null
        case bool(Bool)
        case number(JSONNumber)
        case string(String)
        case array([JSONValue])
        /// Members in file order; duplicate keys are kept (lookups take the last, as JavaScript does).
        case object([JSONMember])
    }

    public var kind: Kind
    /// Where the value's first character is.
    public var position: SourcePosition

    public init(_ kind: Kind, at position: SourcePosition) {
        self.kind = kind
        self.position = position
    }

    /// The value of `key` when this is an object that has it (the last one if repeated).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = kind else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// The members when this is an object.
    public var members: [JSONMember]? {
        if case .object(let members) = kind { return members }
        return nil
    }

    /// The elements when this is an array.
    public var elements: [JSONValue]? {
        if case .array(let elements) = kind { return elements }
        return nil
    }

    /// The text when this is a string.
    public var string: String? {
        if case .string(let text) = kind { return text }
        return nil
    }

    /// The number when this is a number.
    public var number: JSONNumber? {
        if case .number(let number) = kind { return number }
        return nil
    }

    /// The truth value when this is `true` or `false`.
    public var bool: Bool? {
        if case .bool(let flag) = kind { return flag }
        return nil
    }

    /// True for `null`.
    public var isNull: Bool {
        if case .null = kind { return true }
        return false
    }

    /// The JSON type name with an article, for messages ("a string", "an object").
    public var typeDescription: String {
        switch kind {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
