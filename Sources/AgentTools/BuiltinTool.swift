import AgentCore

/// What every built-in tool gets: the confined project paths and the limits.
struct ToolContext: Sendable {
    let paths: ProjectPaths
    let limits: ToolLimits
}

/// One built-in tool: what the model sees, how a call is checked and previewed, how it runs.
protocol BuiltinTool: Sendable {
    /// A checked call, ready to preview or run.
    associatedtype Request: Sendable

    /// The name, description and JSON Schema the model sees.
    var definition: ToolDefinition { get }
    var effect: ToolEffect { get }
    /// Parses and validates the arguments and confines paths. May touch the disk (called off
    /// the cooperative pool).
    func parse(_ arguments: String, context: ToolContext) throws(ToolError) -> Request
    /// The preview shown before the call runs; may read the disk, changes nothing.
    func preview(_ request: Request, context: ToolContext) throws(ToolError) -> ToolPreview
    /// Runs the call; failures are outputs with `isError`.
    func run(_ request: Request, context: ToolContext) async -> ToolOutput
}

/// Tools whose work is plain blocking file access: `run` calls `perform` on its own thread.
protocol BlockingTool: BuiltinTool {
    func perform(_ request: Request, context: ToolContext) throws(ToolError) -> ToolOutput
}

extension BlockingTool {
    func run(_ request: Request, context: ToolContext) async -> ToolOutput {
        await OffPool.run {
            do throws(ToolError) {
                return try perform(request, context: context)
            } catch {
                return error.output
            }
        }
    }
}

/// Builds JSON Schema text for the tools' parameters.
enum Schema {
    /// One property: its name, JSON type and description.
    struct Property {
        var name: String
        var type: String
        var description: String
    }

    static func object(_ properties: [Property], required: [String]) -> String {
        let members = properties.map { property in
            "\(quoted(property.name)):{\"type\":\(quoted(property.type)),\"description\":\(quoted(property.description))}"
        }
        let requiredList = required.map(quoted).joined(separator: ",")
        return "{\"type\":\"object\",\"properties\":{\(members.joined(separator: ","))},\"required\":[\(requiredList)]}"
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String { JSONText.quoted(text) }
}
