import TerminalUI

/// The unfinished last source line of a streaming paragraph or list item, laid out from its
/// tail (D148): the wrapper's state is kept up to the line's last cut (a point after a space
/// where no inline markup is open and nothing before depends on later text, see
/// `InlineMarkdown.parseWithCut`), so each call parses and wraps only the text after it. A
/// reply that is one long line then costs each frame its last words, not the whole line.
///
/// The rows are exactly those of `StyledWrapper.wrap(renderer.inline(content))`: the wrapper
/// is a state machine over characters, and the runs after a cut are those of the whole line.
struct OpenLineLayout {
    /// Where the line's content starts in the reply (UTF-8 offset); -1: nothing kept.
    private var contentStart = -1
    private var width = 0
    private var base: Style?
    /// UTF-8 length of the content whose rows `kept` holds.
    private var cut = 0
    /// The wrapper after the content's first `cut` bytes.
    private var kept = StyledWrapper.Builder(width: 1)
    /// A later cut found by the last call (UTF-8 offset in the content), taken at the next
    /// call if the text before it is unchanged.
    private var nextCut: Int?
    /// Bytes of open lines parsed so far (for tests: work proportional to what arrived).
    private(set) var bytesParsed = 0

    /// How much of the reply (UTF-8, from its start) must be unchanged for what is kept to
    /// be reused; the caller forgets this layout when the text before it changed.
    var dependsOnPrefix: Int { contentStart < 0 ? 0 : contentStart + (nextCut ?? cut) }

    /// The rows of `content` (the open line's inline text, a slice of the reply) wrapped at
    /// `width` over `base`.
    mutating func rows(_ content: Substring, width: Int, base: Style, renderer: MarkdownRenderer) -> [StyledLine] {
        let start = content.base.utf8.distance(from: content.base.startIndex, to: content.startIndex)
        let length = content.utf8.count
        if start != contentStart || width != self.width || base != self.base || cut > length {
            contentStart = start
            self.width = width
            self.base = base
            cut = 0
            kept = StyledWrapper.Builder(width: max(1, width))
            nextCut = nil
        }
        if let next = nextCut, next > cut, next < length {
            kept.add(renderer.inline(slice(content, from: cut, to: next), base: base))
            bytesParsed += next - cut
            cut = next
        }
        nextCut = nil
        let tail = slice(content, from: cut, to: length)
        let (runs, tailCut) = renderer.inlineWithCut(tail, base: base)
        bytesParsed += length - cut
        if let tailCut { nextCut = cut + tailCut }
        var builder = kept
        builder.add(runs)
        return builder.finished()
    }

    /// `content`'s UTF-8 bytes `from..<to` (both on character boundaries).
    private func slice(_ content: Substring, from: Int, to: Int) -> Substring {
        let lower = content.utf8.index(content.startIndex, offsetBy: from)
        let upper = content.utf8.index(lower, offsetBy: to - from)
        return content[lower..<upper]
    }
}
