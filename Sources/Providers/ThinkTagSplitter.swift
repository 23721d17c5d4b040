import AgentCore

/// Splits streamed reply text into reasoning and answer when a model writes its reasoning
/// inline as a leading `<think>…</think>` block (DeepSeek-R1 via Together, QwQ, Qwen3 on
/// servers without a reasoning parser).
///
/// Pure and incremental: feed the content deltas as they arrive; a tag may be cut anywhere
/// between two deltas. Only a block that OPENS the reply (after optional whitespace) is
/// reasoning: once any other text has appeared, tags are ordinary text (so an answer that
/// talks about `<think>` tags is left alone). Whitespace right after `</think>` is dropped;
/// all other text comes out unchanged, in order. `finish()` returns anything held back.
public struct ThinkTagSplitter: Sendable, Hashable {
    /// A run of the reply text, classified.
    public enum Piece: Sendable, Hashable {
        case text(String)
        case reasoning(String)
    }

    private enum Phase: Sendable, Hashable {
        /// Only whitespace so far, or the start of an opening tag.
        case leading
        /// Inside the block: waiting for `</think>`.
        case thinking
        /// Just after `</think>`: whitespace is dropped.
        case afterBlock
        /// Plain text from here on.
        case passThrough
    }

    static let openTag = "<think>"
    static let closeTag = "</think>"

    private var phase = Phase.leading
    /// Text not yet classified: the leading whitespace and a partial tag.
    private var held = ""

    public init() {}

    /// The pieces `text` completes (adjacent pieces of one kind are merged).
    public mutating func feed(_ text: String) -> [Piece] {
        if phase == .passThrough { return text.isEmpty ? [] : [.text(text)] }
        var pieces: [Piece] = []
        var rest = Substring(held + text)
        held = ""
        while !rest.isEmpty {
            switch phase {
            case .leading:
                let body = rest.drop { $0.isWhitespace }
                if body.hasPrefix(Self.openTag) {
                    rest = body.dropFirst(Self.openTag.count)
                    phase = .thinking
                } else if Self.openTag.hasPrefix(body) {
                    held = String(rest) // whitespace and maybe a partial tag: wait
                    rest = ""
                } else {
                    phase = .passThrough
                }
            case .thinking:
                if let close = rest.firstRange(of: Self.closeTag) {
                    append(.reasoning(String(rest[..<close.lowerBound])), to: &pieces)
                    rest = rest[close.upperBound...]
                    phase = .afterBlock
                } else {
                    let keep = Self.partialTagLength(at: rest, of: Self.closeTag)
                    append(.reasoning(String(rest.dropLast(keep))), to: &pieces)
                    held = String(rest.suffix(keep))
                    rest = ""
                }
            case .afterBlock:
                rest = rest.drop { $0.isWhitespace }
                if !rest.isEmpty { phase = .passThrough }
            case .passThrough:
                append(.text(String(rest)), to: &pieces)
                rest = ""
            }
        }
        return pieces
    }

    /// The end of the reply: held text (leading whitespace, a partial tag, the end of an
    /// unclosed block) comes out as what it was.
    public mutating func finish() -> [Piece] {
        defer { held = "" }
        guard !held.isEmpty else { return [] }
        return phase == .thinking ? [.reasoning(held)] : [.text(held)]
    }

    /// The length of the longest end of `text` that is the start of `tag` (a tag cut by
    /// the delta boundary).
    static func partialTagLength(at text: Substring, of tag: String) -> Int {
        var length = min(tag.count - 1, text.count)
        while length > 0 {
            if tag.hasPrefix(text.suffix(length)) { return length }
            length -= 1
        }
        return 0
    }

    private func append(_ piece: Piece, to pieces: inout [Piece]) {
        switch (pieces.last, piece) {
        case (_, .text("")), (_, .reasoning("")): return
        case (.text(let head)?, .text(let tail)): pieces[pieces.count - 1] = .text(head + tail)
        case (.reasoning(let head)?, .reasoning(let tail)): pieces[pieces.count - 1] = .reasoning(head + tail)
        default: pieces.append(piece)
        }
    }
}

extension ThinkTagSplitter.Piece {
    /// The provider event this piece becomes.
    var event: ProviderEvent {
        switch self {
        case .text(let text): .textDelta(text)
        case .reasoning(let text): .reasoningDelta(text)
        }
    }
}
