import AgentCore
import FoundationEssentials

/// The pure parts of compaction (D124): pruning old tool outputs to stubs, splitting the
/// conversation into the part to summarize and the recent turns kept verbatim, building a
/// summary request that always fits, and the compacted conversation.
enum Compactor {
    /// The first line of a compaction summary message (how a later compaction finds it).
    static let summaryHeader = "[Conversation compacted by swiftcoder]"
    static let firstRequestMarker = "## The user's first request (verbatim)"
    static let summaryMarker = "## Summary of the earlier conversation"
    static let acknowledgement = "Understood. I will continue from this summary."
    /// Tool outputs at most this many tokens stay as they are.
    static let smallOutput = 64
    /// The first request is kept verbatim up to this many tokens (its middle trimmed beyond).
    static let firstRequestCap = 1024

    /// `messages` with the tool outputs before the last assistant message replaced by
    /// one-line stubs naming the tool, its arguments and the output's size.
    static func pruneToolOutputs(_ messages: [ChatMessage]) -> [ChatMessage] {
        guard let lastAssistant = messages.lastIndex(where: { $0.role == .assistant }) else { return messages }
        var calls: [String: ToolCall] = [:]
        for message in messages { for call in message.toolCalls { calls[call.id] = call } }
        var result = messages
        for index in result.indices where index < lastAssistant && result[index].role == .tool {
            let content = result[index].content
            let tokens = UsageEstimator.tokens(in: content)
            guard tokens > smallOutput, !content.hasPrefix("[pruned") else { continue }
            let call = result[index].toolCallID.flatMap { calls[$0] }
            let arguments = trimMiddle(call?.arguments ?? "", toBytes: 160)
            result[index].content = "[pruned tool output: \(call?.name ?? "tool") \(arguments), "
                + "\(content.utf8.count) bytes, ~\(tokens) tokens]"
        }
        return result
    }

    /// Where the kept part starts: the `keep`-th user message from the end (never 0 when
    /// there is more than one turn, so something is summarized).
    static func recentStart(_ messages: [ChatMessage], keep: Int) -> Int {
        let users = messages.indices.filter { messages[$0].role == .user && !isSummary(messages[$0]) }
        guard !users.isEmpty else { return messages.count }
        let wanted = max(1, keep)
        let position = max(0, users.count - wanted)
        let start = users[position]
        if start == 0 || (start <= summaryEnd(messages)), users.count > 1 {
            return users[min(users.count - 1, position + 1)]
        }
        return start
    }

    /// The index after a leading summary and its acknowledgement (0 when there is none).
    static func summaryEnd(_ messages: [ChatMessage]) -> Int {
        guard let first = messages.first, isSummary(first) else { return 0 }
        return messages.count > 1 && messages[1].role == .assistant ? 2 : 1
    }

    static func isSummary(_ message: ChatMessage) -> Bool {
        message.role == .user && message.content.hasPrefix(summaryHeader)
    }

    /// The user's first request: from a previous summary, or the first user message.
    static func firstRequest(_ messages: [ChatMessage]) -> String? {
        if let first = messages.first, isSummary(first),
           let start = first.content.firstRange(of: firstRequestMarker + "\n"),
           let end = first.content.firstRange(of: "\n\n" + summaryMarker) {
            return String(first.content[start.upperBound..<end.lowerBound])
        }
        return messages.first { $0.role == .user }?.content
    }

    /// The text to summarize, at most `budget` tokens: long messages lose their middles first,
    /// then, if still too long, the transcript as a whole does.
    static func transcript(_ messages: [ChatMessage], budget: Int) -> String {
        let entries = messages.map { message -> String in
            var text = "### \(message.role.rawValue)"
            if let id = message.toolCallID { text += " (result of \(id))" }
            text += "\n" + message.content
            for call in message.toolCalls { text += "\n[calls \(call.name) \(call.arguments)]" }
            return text
        }
        var cap = max(256, budget * 4 / max(1, entries.count))
        var joined = entries.map { trimMiddle($0, toBytes: cap) }.joined(separator: "\n\n")
        while UsageEstimator.tokens(in: joined) > budget, cap > 256 {
            cap /= 2
            joined = entries.map { trimMiddle($0, toBytes: cap) }.joined(separator: "\n\n")
        }
        if UsageEstimator.tokens(in: joined) > budget { joined = trimMiddle(joined, toBytes: budget * 2) }
        return joined
    }

    /// The request that asks the model for the summary, sized to fit `window` with room for
    /// the summary itself. `instructions` are the user's focus from `/compact`.
    static func summaryRequest(model: String, older: [ChatMessage], window: Int, instructions: String?) -> ChatRequest {
        let system = """
        You compact a coding agent's conversation. Write a structured summary in Markdown with these \
        sections: Goal and constraints (from the user), Decisions made, Files read and changed (with why), \
        Current state, Open problems, Next steps. Keep exact names, paths, numbers and facts the user stated. \
        Be concise; do not invent anything.
        """
        var ask = "Summarize this conversation:\n\n"
        if let instructions, !instructions.isEmpty { ask = "Focus: \(instructions)\n\n" + ask }
        let overhead = UsageEstimator.tokens(in: system + ask) + 16
        let budget = max(64, window - ContextWindow.replyReserve(window: window) - overhead)
        let text = transcript(older, budget: budget)
        return ChatRequest(model: model, messages: [ChatMessage(role: .system, content: system),
                                                    ChatMessage(role: .user, content: ask + text)],
                           maxOutputTokens: ContextWindow.replyReserve(window: window))
    }

    /// The compacted conversation: the summary (with the first request verbatim), an
    /// acknowledgement, then the recent messages.
    static func compacted(first: String?, summary: String, recent: [ChatMessage]) -> [ChatMessage] {
        var text = summaryHeader + "\n\n"
        if let first { text += firstRequestMarker + "\n" + trimMiddle(first, toBytes: firstRequestCap * 4) + "\n\n" }
        text += summaryMarker + "\n" + summary
        return [ChatMessage(role: .user, content: text), ChatMessage(role: .assistant, content: acknowledgement)] + recent
    }

    /// `text` with its middle replaced by a marker so it is at most about `bytes` UTF-8 bytes.
    static func trimMiddle(_ text: String, toBytes bytes: Int) -> String {
        let utf8 = text.utf8
        guard utf8.count > bytes, bytes >= 64 else { return utf8.count > bytes ? String(text.prefix(max(1, bytes))) : text }
        let half = (bytes - 48) / 2
        let head = String(decoding: utf8.prefix(half), as: UTF8.self)
        let tail = String(decoding: utf8.suffix(half), as: UTF8.self)
        return head + "\n[… \(utf8.count - 2 * half) bytes trimmed …]\n" + tail
    }
}
