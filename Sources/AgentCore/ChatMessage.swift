import FoundationEssentials

/// Who wrote a message in a conversation sent to a model.
public enum ChatRole: String, Sendable, Codable, Hashable {
    case system, user, assistant, tool
}

/// One tool invocation requested by the model, with its arguments as raw JSON text.
public struct ToolCall: Sendable, Codable, Hashable {
    public var id: String
    public var name: String
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// One message of the conversation in the provider-neutral form every backend accepts.
public struct ChatMessage: Sendable, Codable, Hashable {
    public var role: ChatRole
    public var content: String
    public var toolCalls: [ToolCall]
    /// For `.tool` messages: the id of the call this message answers.
    public var toolCallID: String?

    public init(role: ChatRole, content: String, toolCalls: [ToolCall] = [], toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }
}

/// What the engine asks a provider to generate.
public struct ChatRequest: Sendable, Hashable {
    public var model: String
    public var messages: [ChatMessage]
    /// Tools the model may call; empty sends none.
    public var tools: [ToolDefinition]
    public var maxOutputTokens: Int?
    public var temperature: Double?

    public init(model: String, messages: [ChatMessage], tools: [ToolDefinition] = [],
                maxOutputTokens: Int? = nil, temperature: Double? = nil) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.maxOutputTokens = maxOutputTokens
        self.temperature = temperature
    }
}
