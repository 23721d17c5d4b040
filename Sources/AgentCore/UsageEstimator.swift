import FoundationEssentials

/// Rough token counts, the one heuristic used everywhere a count is estimated: the usage of
/// servers that report none (llama-cpp-python ignores `stream_options.include_usage`; results
/// are flagged `isEstimate`) and the meter's live `~N` while a reply streams, so the figure
/// does not jump when the stream ends.
///
/// Heuristic: CJK characters (Han, Hiragana, Katakana, Hangul, CJK punctuation and
/// full-width forms) count one token each, as BPE vocabularies of current models mostly
/// give them one token or more; every other character counts its UTF-8 bytes, and those
/// bytes make one token per 4, rounded up (OpenAI's rule of thumb for English text and code).
/// Expect about ±30% on prose and code; good enough for a context meter, not for billing.
public enum UsageEstimator {
    /// A running count that can be fed text piece by piece (stream deltas).
    public struct Tally: Sendable, Hashable {
        /// UTF-8 bytes of non-CJK text.
        public private(set) var otherBytes = 0
        /// CJK characters (Unicode scalars).
        public private(set) var cjkCharacters = 0

        public init() {}

        /// Adds one piece of text.
        public mutating func add(_ text: String) {
            for scalar in text.unicodeScalars {
                if UsageEstimator.isCJK(scalar) {
                    cjkCharacters += 1
                } else {
                    otherBytes += UTF8.width(scalar)
                }
            }
        }

        /// The estimated token count of everything added so far.
        public var tokens: Int { cjkCharacters + (otherBytes + 3) / 4 }
    }

    /// The estimated token count of `text`.
    public static func tokens(in text: String) -> Int {
        var tally = Tally()
        tally.add(text)
        return tally.tokens
    }

    /// The estimated prompt size of `request`: its messages' text and tool calls, plus about 4 tokens of framing per message.
    public static func inputTokens(for request: ChatRequest) -> Int {
        var tally = Tally()
        for message in request.messages {
            tally.add(message.content)
            for call in message.toolCalls {
                tally.add(call.name)
                tally.add(call.arguments)
            }
        }
        return tally.tokens + 4 * request.messages.count
    }

    /// Whether `scalar` is a CJK ideograph, kana, hangul syllable or CJK symbol.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3000...0x303F, // CJK symbols and punctuation
             0x3040...0x30FF, // Hiragana, Katakana
             0x3400...0x4DBF, // CJK extension A
             0x4E00...0x9FFF, // CJK unified ideographs
             0xAC00...0xD7AF, // Hangul syllables
             0xF900...0xFAFF, // CJK compatibility ideographs
             0xFF00...0xFFEF, // Half-width and full-width forms
             0x20000...0x2FA1F: // CJK extensions B-F, compatibility supplement
            true
        default:
            false
        }
    }
}
