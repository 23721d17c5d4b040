#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TerminalUI

/// Renders markdown into styled display lines at a width (pure).
///
/// Blocks: ATX headings, paragraphs (source line breaks are kept: chat replies use them),
/// fenced code blocks (language label, `codeBackground` across the width, `diff` blocks
/// coloured by line), bullet and numbered lists (hanging indent), block quotes (a bar),
/// horizontal rules. Inline: bold, italic, code, links as text plus URL.
///
/// Linear in the text (D54): lines are classified one by one, quotes by counting their
/// markers (a flat depth, not nested renderers), inline markup in one pass.
struct MarkdownRenderer {
    let width: Int
    let theme: Theme
    /// The style of plain paragraph text.
    let base: Style

    init(width: Int, theme: Theme, base: Style? = nil) {
        self.width = max(1, width)
        self.theme = theme
        self.base = base ?? theme.assistant
    }

    /// The whole of `text` rendered (the same result as streaming it through `IncrementalMarkdown`).
    func render(_ text: String) -> [StyledLine] {
        var incremental = IncrementalMarkdown()
        return incremental.render(text, renderer: self)
    }

    /// The lines of one block. `atStart`/`atEnd`: blank blocks there render as nothing.
    /// A quoted block renders once, narrower, behind its bars (no recursion on the depth).
    func render(_ block: MarkdownBlock, atStart: Bool, atEnd: Bool) -> [StyledLine] {
        if Self.rendersByLine(block.kind) { return renderLines(block, block.lines.indices) }
        guard block.depth > 0 else { return renderUnquoted(block, atStart: atStart, atEnd: atEnd) }
        let bars = Self.quoteBars(depth: block.depth, width: width)
        let bar = (bars, theme.border)
        if case .blank = block.kind { return [StyledLine([bar])] }
        let inner = MarkdownRenderer(width: width - DisplayWidth.of(bars), theme: theme, base: theme.muted.adding(.italic))
        return inner.renderUnquoted(block, atStart: false, atEnd: false).map { StyledLine([bar] + $0.segments) }
    }

    /// Quote levels drawn as bars, at most: deeper quotes show this many, the last one dotted.
    static let quoteBarsShown = 8

    /// The bars in front of a line quoted `depth` deep: one `│ ` per level, at most
    /// `quoteBarsShown` and at most a quarter of the width; when levels are left out the last
    /// bar is `┊ `, so a deep quote does not pass for a shallow one. Below 4 columns there is
    /// no room for a bar and the text (found by the markdown fuzzer): none is drawn.
    static func quoteBars(depth: Int, width: Int) -> String {
        guard width >= 4 else { return "" }
        let shown = max(1, min(depth, quoteBarsShown, width / 4))
        return String(repeating: "│ ", count: shown - 1) + (shown < depth ? "┊ " : "│ ")
    }

    /// Whether each source line of such a block renders on its own (inline markup does not
    /// span lines, D57), so a block still streaming can keep the lines it has rendered.
    static func rendersByLine(_ kind: MarkdownBlock.Kind) -> Bool {
        switch kind {
        case .paragraph, .listItem: true
        default: false
        }
    }

    /// The display lines of source lines `range` of a paragraph or list item (behind its quote
    /// bars); the lines of the whole block are these for every line in order.
    func renderLines(_ block: MarkdownBlock, _ range: Range<Int>) -> [StyledLine] {
        var whole: OpenLineLayout?
        return renderLines(block, range, open: &whole)
    }

    /// The same, with the last line of `range` laid out by `open` when given: the block's
    /// unfinished last line, of which only the text after its last cut is rendered (D148).
    func renderLines(_ block: MarkdownBlock, _ range: Range<Int>, open: inout OpenLineLayout?) -> [StyledLine] {
        guard block.depth > 0 else { return unquotedLines(block, range, open: &open) }
        let bars = Self.quoteBars(depth: block.depth, width: width)
        let bar = (bars, theme.border)
        let inner = MarkdownRenderer(width: width - DisplayWidth.of(bars), theme: theme, base: theme.muted.adding(.italic))
        return inner.unquotedLines(block, range, open: &open).map { StyledLine([bar] + $0.segments) }
    }

    private func unquotedLines(_ block: MarkdownBlock, _ range: Range<Int>, open: inout OpenLineLayout?) -> [StyledLine] {
        switch block.kind {
        case .paragraph:
            var lines: [StyledLine] = []
            for index in range {
                let text = Self.content(block.lines[index].line)
                lines += index == range.last ? wrapped(text, width: width, open: &open) : wrapped(text, width: width)
            }
            return lines
        case .listItem(let indent, let marker):
            return listItem(block, range, indent: indent, marker: marker, open: &open)
        default:
            return []
        }
    }

    /// One source line's inline text wrapped at `width`: whole, or from `open`'s kept rows.
    private func wrapped(_ text: Substring, width: Int, open: inout OpenLineLayout?) -> [StyledLine] {
        guard open != nil else { return wrapped(text, width: width) }
        return open!.rows(text, width: width, base: base, renderer: self)
    }

    private func wrapped(_ text: Substring, width: Int) -> [StyledLine] {
        StyledWrapper.wrap(inline(text, base: base), width: width)
    }

    private func renderUnquoted(_ block: MarkdownBlock, atStart: Bool, atEnd: Bool) -> [StyledLine] {
        switch block.kind {
        case .blank: return atStart || atEnd ? [] : [StyledLine([])]
        case .paragraph, .listItem:
            var whole: OpenLineLayout?
            return unquotedLines(block, block.lines.indices, open: &whole)
        case .table:
            return table(block)
        case .heading(let level):
            guard case .heading(_, let text) = block.lines.first?.line else { return [] }
            let style = switch level {
            case 1: theme.accent.adding([.bold, .underline])
            case 2: theme.accent.adding(.bold)
            default: base.adding(.bold)
            }
            return StyledWrapper.wrap(inline(text, base: style), width: width)
        case .rule:
            return [StyledLine([(String(repeating: "─", count: width), theme.border)])]
        case .code(_, _, let info):
            return codeBlock(block.lines.map(\.raw), language: info)
        }
    }

    private static func content(_ line: MarkdownLine) -> Substring {
        switch line {
        case .text(_, let content): content
        case .listItem(_, _, let content): content
        default: ""
        }
    }

    private func listItem(_ block: MarkdownBlock, _ range: Range<Int>, indent: Int, marker: Substring,
                          open: inout OpenLineLayout?) -> [StyledLine] {
        let level = min(indent / 2, 6)
        let bullets = ["•", "◦", "▪"]
        let shown = marker.first.map { $0.isNumber } == true ? String(marker) : bullets[level % bullets.count]
        let lead = String(repeating: " ", count: level * 2)
        let markerWidth = DisplayWidth.of(shown) + 1
        let hanging = String(repeating: " ", count: lead.count + markerWidth)
        var result: [StyledLine] = []
        for index in range {
            let text = Self.content(block.lines[index].line)
            let bodyWidth = width - lead.count - markerWidth
            let body = index == range.last ? wrapped(text, width: bodyWidth, open: &open) : wrapped(text, width: bodyWidth)
            for (row, line) in body.enumerated() {
                let prefix: [StyledWrapper.Segment] = index == 0 && row == 0
                    ? [(lead, base), (shown, theme.accent), (" ", base)] : [(hanging, base)]
                result.append(StyledLine(prefix.filter { !$0.text.isEmpty } + line.segments))
            }
        }
        return result
    }

    /// A fenced block: an optional language label, then each line (hard-wrapped) on the
    /// code background, padded to the full width.
    private func codeBlock(_ lines: [Substring], language: Substring) -> [StyledLine] {
        let result = codeLabel(language) + codeLines(lines[...], language: language)
        return result.isEmpty ? [padded([], style: theme.codeBackground)] : result
    }

    /// The language label line of a code block (none without a language).
    func codeLabel(_ language: Substring) -> [StyledLine] {
        let name = Self.languageName(language)
        guard !name.isEmpty else { return [] }
        let code = theme.codeBackground
        let label = Style(foreground: theme.muted.foreground, background: code.background, attributes: .italic)
        // Cut to the width (with `…`): the info string is model text of any length (the
        // markdown fuzzer found an 86-column label on a 41-column pane).
        return [padded([(" ", code), (DisplayWidth.truncated(name, toFit: width - 1), label)], style: code)]
    }

    /// Code lines on the background; each source line renders on its own, so a streaming
    /// block can keep the lines it has already rendered.
    func codeLines(_ lines: ArraySlice<Substring>, language: Substring) -> [StyledLine] {
        let code = theme.codeBackground
        let contentWidth = max(1, width - 2)
        let name = Self.languageName(language)
        let isDiff = name == "diff" || name == "patch"
        var result: [StyledLine] = []
        for line in lines {
            let lineStyle = isDiff ? DiffStyler.style(of: line, theme: theme, on: code) : code
            for piece in TextWrapper.wrap(line, width: contentWidth) {
                result.append(padded([(" ", code), (piece, lineStyle)], style: code))
            }
        }
        return result
    }

    private static func languageName(_ info: Substring) -> String {
        info.split(separator: " ").first.map(String.init) ?? ""
    }

    /// `segments` followed by spaces in `style` up to the full width (a separate segment).
    private func padded(_ segments: [StyledWrapper.Segment], style: Style) -> StyledLine {
        let used = segments.reduce(0) { $0 + DisplayWidth.of($1.text) }
        var all = segments.filter { !$0.text.isEmpty }
        if used < width { all.append((String(repeating: " ", count: width - used), style)) }
        return StyledLine(all)
    }

    /// Inline markup of `text` as styled segments over `base`.
    func inline(_ text: some StringProtocol, base: Style) -> [StyledWrapper.Segment] {
        InlineMarkdown.parse(text).map { run in (run.text, style(run.traits, base: base)) }
    }

    /// The same, with the last cut in `text` (UTF-8 offset, `InlineMarkdown.parseWithCut`).
    func inlineWithCut(_ text: Substring, base: Style) -> (runs: [StyledWrapper.Segment], cut: Int?) {
        let (runs, cut) = InlineMarkdown.parseWithCut(text)
        return (runs.map { run in (run.text, style(run.traits, base: base)) }, cut)
    }

    private func style(_ traits: InlineTraits, base: Style) -> Style {
        if traits.contains(.code) { return theme.codeBackground }
        if traits.contains(.url) { return theme.muted }
        var style = base
        if traits.contains(.link) {
            style.foreground = theme.accent.foreground
            style.attributes.insert(.underline)
        }
        if traits.contains(.bold) { style.attributes.insert(.bold) }
        if traits.contains(.italic) { style.attributes.insert(.italic) }
        return style
    }
}

/// Markdown rendering for streaming text: finished blocks are rendered once and kept
/// (keyed by the text before them), so each call re-renders only the open tail.
///
/// A block is finished when a later *complete* line (one ending in a newline) starts a new
/// block, or when it closes itself (a heading, a rule, a closed fence) on a complete line.
/// Because a line's classification never depends on later lines, the result equals
/// rendering the whole text at once.
struct IncrementalMarkdown {
    private var text = ""
    /// UTF-8 length of the text covered by `lines`.
    private var finishedLength = 0
    private var lines: [StyledLine] = []
    private var width = -1
    private var theme: Theme?
    private var base: Style?
    /// The open code block's rendered complete lines, with where the block starts, its info
    /// string and the source lines they came from (checked before reuse).
    private var openCode: (start: Int, info: Substring, source: [Substring], lines: [StyledLine])?
    /// The open paragraph or list item's rendered complete lines: where the block starts, its
    /// kind and depth, how many source lines and how much of the text (UTF-8) they cover.
    private var openByLine: (start: Int, kind: MarkdownBlock.Kind, depth: Int, count: Int, covered: Int,
                             lines: [StyledLine])?
    /// The unfinished last line of that block, laid out from its last cut (D148).
    private(set) var openLine: OpenLineLayout? = OpenLineLayout()
    /// Source lines of open paragraphs and list items rendered so far (for tests).
    private(set) var openLinesRendered = 0
    /// Blocks rendered so far (for tests: a cache hit renders only the tail).
    private(set) var blocksRendered = 0
    /// Code lines rendered so far (for tests: an open code block renders only its new lines).
    private(set) var codeLinesRendered = 0

    /// The lines of `text` as `renderer` draws them, reusing finished blocks.
    mutating func render(_ newText: String, renderer: MarkdownRenderer) -> [StyledLine] {
        if let open = openByLine, !extendsCache(newText, length: open.covered) { openByLine = nil }
        if !extendsCache(newText, length: openLine?.dependsOnPrefix ?? 0) { openLine = OpenLineLayout() }
        if renderer.width != width || renderer.theme != theme || renderer.base != base
            || !extendsCache(newText, length: finishedLength) {
            lines = []
            finishedLength = 0
            openCode = nil
            openByLine = nil
            openLine = OpenLineLayout()
            width = renderer.width
            theme = renderer.theme
            base = renderer.base
        }
        text = newText
        let tailStart = newText.utf8.index(newText.utf8.startIndex, offsetBy: finishedLength)
        let blocks = MarkdownBlock.split(newText, from: tailStart)
        var open: [StyledLine] = []
        var stillFinishing = true
        for (index, block) in blocks.enumerated() {
            let isLast = index == blocks.count - 1
            let finished = (!isLast && blocks[index + 1].firstLineComplete) || (block.isClosed && block.lastLineComplete)
            let rendered: [StyledLine]
            if isLast && !finished && block.depth == 0, case .code(_, _, let info) = block.kind {
                rendered = renderOpenCode(block, info: info, in: newText, renderer: renderer)
            } else if isLast && !finished && MarkdownRenderer.rendersByLine(block.kind) {
                rendered = renderOpenByLine(block, in: newText, renderer: renderer)
            } else {
                rendered = renderer.render(block, atStart: block.start == newText.startIndex, atEnd: isLast)
                if case .code = block.kind { codeLinesRendered += block.lines.count }
            }
            blocksRendered += 1
            if finished && stillFinishing {
                lines += rendered
                finishedLength = newText.utf8.distance(from: newText.utf8.startIndex, to: block.end)
            } else {
                stillFinishing = false
                open += rendered
            }
        }
        return lines + open
    }

    /// An unfinished code block at the end: lines rendered in earlier calls are kept (each
    /// code line renders on its own), only the lines after them are rendered.
    private mutating func renderOpenCode(_ block: MarkdownBlock, info: Substring, in text: String,
                                         renderer: MarkdownRenderer) -> [StyledLine] {
        let start = text.utf8.distance(from: text.utf8.startIndex, to: block.start)
        let source = block.lines.map(\.raw)
        let complete = block.lastLineComplete ? source.count : max(0, source.count - 1)
        var kept: [StyledLine] = []
        var keptCount = 0
        if let cached = openCode, cached.start == start, cached.info == info, cached.source.count <= complete,
           source.starts(with: cached.source) {
            kept = cached.lines
            keptCount = cached.source.count
        }
        let newComplete = renderer.codeLines(source[keptCount..<complete], language: info)
        codeLinesRendered += complete - keptCount
        kept += newComplete
        openCode = (start, info, Array(source[..<complete]), kept)
        let partial = renderer.codeLines(source[complete...], language: info)
        codeLinesRendered += source.count - complete
        let all = renderer.codeLabel(info) + kept + partial
        return all.isEmpty ? renderer.render(block, atStart: false, atEnd: true) : all
    }

    /// An unfinished paragraph or list item at the end: its complete source lines rendered in
    /// earlier calls are kept (each renders on its own), only later lines are rendered.
    private mutating func renderOpenByLine(_ block: MarkdownBlock, in text: String,
                                           renderer: MarkdownRenderer) -> [StyledLine] {
        let start = text.utf8.distance(from: text.utf8.startIndex, to: block.start)
        let complete = block.lastLineComplete ? block.lines.count : block.lines.count - 1
        var kept: [StyledLine] = []
        var keptCount = 0
        if let cached = openByLine, cached.start == start, cached.kind == block.kind, cached.depth == block.depth,
           cached.count <= complete {
            kept = cached.lines
            keptCount = cached.count
        }
        kept += renderer.renderLines(block, keptCount..<complete)
        openLinesRendered += block.lines.count - keptCount
        // The text up to the end of the last complete line (its newline included).
        let covered: Int
        if complete == block.lines.count {
            covered = text.utf8.distance(from: text.utf8.startIndex, to: block.end)
        } else {
            let partial = block.lines[complete].raw
            covered = text.utf8.distance(from: text.utf8.startIndex, to: partial.startIndex)
        }
        openByLine = (start, block.kind, block.depth, complete, covered, kept)
        return kept + renderer.renderLines(block, complete..<block.lines.count, open: &openLine)
    }

    /// Whether `newText` starts with the first `length` UTF-8 bytes of the text last rendered.
    private func extendsCache(_ newText: String, length: Int) -> Bool {
        guard length > 0 else { return true }
        guard newText.utf8.count >= length, text.utf8.count >= length else { return false }
        // Native strings are contiguous UTF-8: compare with memcmp (this runs every frame).
        let fast = newText.utf8.withContiguousStorageIfAvailable { new in
            text.utf8.withContiguousStorageIfAvailable { old -> Bool? in
                guard let newBase = new.baseAddress, let oldBase = old.baseAddress, old.count >= length else { return nil }
                return memcmp(newBase, oldBase, length) == 0
            }
        }
        if let fast, let inner = fast, let equal = inner { return equal }
        return newText.utf8.prefix(length).elementsEqual(text.utf8.prefix(length))
    }
}

/// The way in for tools outside the app (fuzzers, benchmarks): markdown rendered as the app
/// draws an assistant reply, with the standard theme, as the text of each display line.
public enum MarkdownText {
    /// `text` rendered at `width` columns, whole (`streamedIn` > 1: fed in that many pieces
    /// through the streaming cache, which must give the same lines).
    public static func lines(_ text: String, width: Int, streamedIn pieces: Int = 1) -> [String] {
        let renderer = MarkdownRenderer(width: width, theme: .standard)
        var incremental = IncrementalMarkdown()
        let scalars = Array(text.unicodeScalars)
        let step = max(1, scalars.count / max(1, pieces))
        var end = 0
        var lines: [StyledLine] = []
        repeat {
            end = min(scalars.count, end + step)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[..<end])
            lines = incremental.render(String(view), renderer: renderer)
        } while end < scalars.count
        return lines.map { $0.segments.map(\.text).joined() }
    }
}
