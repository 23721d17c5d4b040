import FoundationEssentials

/// A tool the model may call: its name, what it does, and its parameters as a JSON Schema.
public struct ToolDefinition: Sendable, Codable, Hashable {
    /// The name the model uses to call the tool (`read_file`).
    public var name: String
    /// What the tool does, in a sentence or two, for the model.
    public var description: String
    /// The parameters as raw JSON Schema text (an object schema).
    public var parameters: String

    /// Creates a tool; `parameters` defaults to an object schema with no properties.
    public init(name: String, description: String, parameters: String = #"{"type":"object","properties":{}}"#) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}
