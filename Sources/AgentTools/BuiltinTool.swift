import AgentCore

/// What every built-in tool gets: the confined project paths, the limits, how commands start,
/// and (per call) the flag that cancelling the call raises.
struct ToolContext: Sendable {
    let paths: ProjectPaths
    let limits: ToolLimits
    var commands: CommandSettings = CommandSettings()
    /// Raised when the running call is cancelled; long walks check it between entries.
    var cancellation: CancellationFlag?
    /// Called with what a running command prints (live output, D111); `nil`: nobody watches.
    var progress: (@Sendable (String) -> Void)?
    /// Called with each directory a walk enters (tests use it to hold a walk still).
    var onDirectory: (@Sendable (String) -> Void)?

    init(paths: ProjectPaths, limits: ToolLimits, commands: CommandSettings = CommandSettings()) {
        self.paths = paths
        self.limits = limits
        self.commands = commands
    }

    /// True once the running call was cancelled.
    var isCancelled: Bool { cancellation?.isCancelled ?? false }
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
    /// Runs `perform` on its own thread; cancelling returns at once (the walk or read stops
    /// at its next check, and a stuck one no longer holds up the turn).
    func run(_ request: Request, context: ToolContext) async -> ToolOutput {
        let flag = CancellationFlag()
        var callContext = context
        callContext.cancellation = flag
        let ready = callContext
        let name = definition.name
        return await OffPool.run(cancelling: flag, cancelled: .failure("\(name) was cancelled")) {
            do throws(ToolError) {
                return try perform(request, context: ready)
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
