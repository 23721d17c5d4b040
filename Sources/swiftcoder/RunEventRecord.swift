import AgentCore
import AgentEngine
import FoundationEssentials

/// One line of `run --json` output. Absent fields are omitted.
struct RunEventRecord: Encodable {
    var type: String
    var text: String?
    var reason: String?
    var elapsedSeconds: Double?
    var inputTokens: Int?
    var outputTokens: Int?
    var cachedInputTokens: Int?
    var reasoningTokens: Int?
    var estimated: Bool?
    var message: String?
    var kind: String?
    var tool: String?
    var id: String?
    var arguments: String?
    var keyArgument: String?
    var detail: String?
    var isError: Bool?
    var summary: String?
    var content: String?
    var provider: String?
    var model: String?
    var cost: String?
    var costSource: String?
    var requests: Int?

    enum CodingKeys: String, CodingKey {
        case type, text, reason, message, kind, estimated, tool, id, arguments, detail, summary, content
        case provider, model, cost, requests
        case elapsedSeconds = "elapsed_seconds"
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case cachedInputTokens = "cached_input_tokens"
        case reasoningTokens = "reasoning_tokens"
        case keyArgument = "key_argument"
        case isError = "is_error"
        case costSource = "cost_source"
    }

    init(type: String, inputTokens: Int? = nil, outputTokens: Int? = nil, message: String? = nil, tool: String? = nil) {
        self.type = type
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.message = message
        self.tool = tool
    }

    /// The record for one engine event.
    init(_ event: EngineEvent) {
        self.init(type: "")
        switch event {
        case .text(_, let text, _): (type, self.text) = ("text", text)
        case .reasoning(_, let text, _): (type, self.text) = ("reasoning", text)
        case .toolCallStreaming(_, let tokens): (type, outputTokens) = ("tool_call_streaming", tokens)
        case .usage(_, let usage):
            type = "usage"
            setTokens(usage)
        case .notice(_, let text): (type, message) = ("notice", text)
        case .compacted(_, let summary): (type, message) = ("notice", summary.text)
        case .context(_, let figure):
            type = "context"
            inputTokens = figure.tokens
        case .firstToken(_, let seconds): (type, elapsedSeconds) = ("first_token", seconds)
        case .toolCall(_, let call, let preview):
            (type, id, tool, arguments) = ("tool_call", call.id, call.name, call.arguments)
            keyArgument = preview?.keyArgument
            detail = preview.flatMap { $0.detail.isEmpty ? nil : $0.detail }
        case .approvalNeeded(_, let callID, let preview):
            (type, id, tool, keyArgument) = ("approval_needed", callID, preview.toolName, preview.keyArgument)
        case .toolOutput(_, let callID, let text): (type, id, self.text) = ("tool_output", callID, text)
        case .toolResult(_, let callID, let output):
            (type, id, isError, summary, content) = ("tool_result", callID, output.isError, output.summary, output.content)
        case .request(_, let record):
            (type, provider, model) = ("request", record.provider, record.model)
            setTokens(record.usage)
            cost = record.cost.map { "\($0)" }
            costSource = record.costSource
        case .finished(_, let finish, let elapsed):
            (type, reason, elapsedSeconds) = ("finish", "\(finish)", elapsed)
        case .failed(_, let error):
            (type, message, kind) = ("error", error.description, error.kind.rawValue)
        case .refused(_, let text):
            (type, message, kind) = ("error", text, "budgetExceeded")
        case .cancelled:
            type = "cancelled"
        }
    }

    private mutating func setTokens(_ usage: TokenUsage) {
        inputTokens = usage.inputTokens
        outputTokens = usage.outputTokens
        cachedInputTokens = usage.cachedInputTokens
        reasoningTokens = usage.reasoningTokens
        estimated = usage.isEstimate
    }
}
