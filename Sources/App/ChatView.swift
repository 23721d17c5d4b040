import TerminalUI

/// A line of the chat pane: styled segments drawn left to right.
struct StyledLine: Sendable, Hashable {
    var segments: [(text: String, style: Style)]

    init(_ segments: [(text: String, style: Style)]) { self.segments = segments }

    static func == (lhs: StyledLine, rhs: StyledLine) -> Bool {
        lhs.segments.count == rhs.segments.count
            && zip(lhs.segments, rhs.segments).allSatisfy { $0.text == $1.text && $0.style == $1.style }
    }

    func hash(into hasher: inout Hasher) {
        for segment in segments { hasher.combine(segment.text); hasher.combine(segment.style) }
    }
}

/// Wrapped lines of each chat entry, kept between frames so only entries that changed
/// (the one streaming) or a new width or theme cost a re-wrap. Bounded by lines, not by
/// entries: what the last frame showed plus `scrollbackLines` of the entries shown most
/// recently before it; older ones are laid out again when scrolled back to (D198).
struct ChatLayoutCache {
    private struct Key: Hashable {
        var entryID: Int
        var textLength: Int
        var status: ChatEntry.Status
        var revision: Int
        var width: Int
    }
    private struct Cached {
        var key: Key
        var lines: [StyledLine]
        /// The frame that last asked for these lines.
        var lastUse: Int
    }
    private var lines: [Int: Cached] = [:]
    /// The number of the frame being drawn; `trim` ends it.
    private var frame = 0
    /// While scrolled up: the newest entry and its line count when scrolling began, so text
    /// that arrives later grows below the view instead of pushing it.
    var pin: (entryID: Int, lineCount: Int, width: Int)?
    /// The largest useful scroll offset, when the last frame laid out up to the first entry.
    var scrollLimit: Int?
    /// The newest tool entry with a line on screen in the last frame (what Ctrl-O expands).
    var visibleToolEntryID: Int?
    private var theme: Theme?
    private var width: Int?
    /// The markdown block cache of the streaming assistant entry: only its tail is re-rendered.
    private var markdown = IncrementalMarkdown()
    /// That entry's lines as last marked, so a frame marks only the lines that changed.
    private var marked = MarkedLines()
    private var markdownEntryID: Int?

    /// The wrapped lines of `entry` at `width`, from the cache when unchanged.
    mutating func lines(for entry: ChatEntry, width: Int, theme: Theme) -> [StyledLine] {
        if theme != self.theme || width != self.width {
            // Lines wrapped for another width or theme are never shown again (a resize).
            lines.removeAll()
            self.theme = theme
            self.width = width
        }
        let key = Key(entryID: entry.id, textLength: entry.text.utf8.count, status: entry.status,
                      revision: entry.revision, width: width)
        if let cached = lines[entry.id], cached.key == key {
            if cached.lastUse != frame { lines[entry.id]?.lastUse = frame }
            return cached.lines
        }
        let wrapped: [StyledLine]
        if entry.kind == .assistant && (entry.status == .streaming || markdownEntryID == entry.id) {
            if markdownEntryID != entry.id {
                markdown = IncrementalMarkdown()
                marked = MarkedLines()
                markdownEntryID = entry.id
            }
            wrapped = ChatView.wrap(entry, width: width, theme: theme, markdown: &markdown, marked: &marked)
        } else {
            wrapped = ChatView.wrap(entry, width: width, theme: theme)
        }
        lines[entry.id] = Cached(key: key, lines: wrapped, lastUse: frame)
        return wrapped
    }

    /// Lines kept beyond what the last frame showed: entries scrolled past stay laid out for
    /// this many lines (several screens), so scrolling back and forth does not re-wrap them.
    static let scrollbackLines = 300

    /// The number of entries whose lines are cached.
    var count: Int { lines.count }

    /// The number of lines cached, over every entry.
    var lineCount: Int { lines.values.reduce(0) { $0 + $1.lines.count } }

    /// Ends the frame: drops the lines of entries that are gone (`/clear`, `/new`, a session
    /// switch), then, while more than this frame's lines plus `scrollbackLines` are cached,
    /// those of the entries used longest ago. One pass over the cached entries, which the bound
    /// keeps to a few screens' worth.
    mutating func trim(to entries: [ChatEntry]) {
        defer { frame &+= 1 }
        if lines.count > entries.count {
            let keep = Set(entries.map(\.id))
            lines = lines.filter { keep.contains($0.key) }
        }
        var (cached, used) = (0, 0)
        for entry in lines.values {
            cached += entry.lines.count
            if entry.lastUse == frame { used += entry.lines.count }
        }
        let budget = used + Self.scrollbackLines
        if cached > budget {
            let oldest = lines.filter { $0.value.lastUse != frame }.sorted { $0.value.lastUse < $1.value.lastUse }
            for (id, entry) in oldest where cached > budget {
                lines[id] = nil
                cached -= entry.lines.count
            }
        }
        if let id = markdownEntryID, lines[id] == nil {
            markdown = IncrementalMarkdown()
            marked = MarkedLines()
            markdownEntryID = nil
        }
    }
}

/// Draws the conversation, laying out only the entries that reach the visible rows.
enum ChatView {
    static let streamingCursor = "▍"

    static func draw(_ state: AppState, in rect: Rect, buffer: inout ScreenBuffer,
                     cache: inout ChatLayoutCache, theme: Theme) {
        var rows = ReusedRows()
        draw(state, in: rect, buffer: &buffer, cache: &cache, rows: &rows, theme: theme)
    }

    /// The same, pasting back the rows whose lines `rows` drew in the last frame (D191).
    static func draw(_ state: AppState, in rect: Rect, buffer: inout ScreenBuffer,
                     cache: inout ChatLayoutCache, rows: inout ReusedRows, theme: Theme) {
        guard !rect.isEmpty else { return }
        let lines: [StyledLine]
        if state.entries.isEmpty {
            cache.scrollLimit = 0
            cache.visibleToolEntryID = nil
            lines = placeholder(state, width: rect.width, theme: theme)
        } else {
            lines = visibleLines(state, rect: rect, cache: &cache, theme: theme)
        }
        rows.draw(lines.prefix(rect.height), in: rect, buffer: &buffer)
    }

    /// The rows to show: walks entries from the newest back until the viewport (plus the
    /// scroll offset) is filled, so cost does not grow with the length of the session.
    private static func visibleLines(_ state: AppState, rect: Rect, cache: inout ChatLayoutCache,
                                     theme: Theme) -> [StyledLine] {
        let below = linesBelowPin(state, width: rect.width, cache: &cache, theme: theme)
        let offset = state.scrollOffset + below
        let needed = rect.height + offset
        var collected: [[StyledLine]] = []
        var count = 0
        for entry in state.entries.reversed() {
            let entryLines = cache.lines(for: entry, width: rect.width, theme: theme)
            count += entryLines.count + (collected.isEmpty ? 0 : 1)  // a blank line between entries
            collected.append(entryLines)
            if count >= needed { break }
        }
        let reachesFirst = collected.count == state.entries.count
        // Without a provider the setup steps stay above the conversation.
        let head = state.provider == nil && reachesFirst ? placeholder(state, width: rect.width, theme: theme) : []
        // Where each entry starts, top-down, a blank line between parts: only the rows on
        // screen are then copied, however long the streaming reply is.
        var total = head.count
        var starts: [Int] = []
        starts.reserveCapacity(collected.count)
        for entryLines in collected.reversed() {
            if total > 0 { total += 1 }
            starts.append(total)
            total += entryLines.count
        }
        let clamped = min(offset, max(0, total - rect.height))
        cache.scrollLimit = reachesFirst ? max(0, total - rect.height - below) : nil
        let end = total - clamped
        let start = max(0, end - rect.height)
        cache.visibleToolEntryID = newestTool(in: state.entries.suffix(collected.count), starts: starts,
                                              lineCounts: collected.reversed().map(\.count), rows: start..<end)
        var visible: [StyledLine] = []
        visible.reserveCapacity(end - start)
        func take(_ lines: [StyledLine], at position: Int) {
            let (low, high) = (max(start, position), min(end, position + lines.count))
            if low < high { visible.append(contentsOf: lines[(low - position)..<(high - position)]) }
        }
        take(head, at: 0)
        for (entryLines, position) in zip(collected.reversed(), starts) where position + entryLines.count > start {
            if position > start && position <= end { visible.append(StyledLine([])) }
            take(entryLines, at: position)
        }
        if clamped > 0, !visible.isEmpty {
            let newer = below > 0 ? "↓ \(below) new line\(below == 1 ? "" : "s") · " : "↓ "
            visible[visible.count - 1] = StyledLine([(newer + "End follows the conversation again", theme.warning)])
        }
        return visible
    }

    /// The newest tool entry among `entries` (laid out from `starts`, `lineCounts` lines each)
    /// with a line in `rows`.
    private static func newestTool(in entries: ArraySlice<ChatEntry>, starts: [Int], lineCounts: [Int],
                                   rows: Range<Int>) -> Int? {
        for (offset, entry) in zip(entries.indices, entries).reversed() where entry.kind == .tool {
            let index = offset - entries.startIndex
            if (starts[index]..<starts[index] + lineCounts[index]).overlaps(rows) { return entry.id }
        }
        return nil
    }

    /// Lines added below the view since the user scrolled up (0 when following the tail).
    private static func linesBelowPin(_ state: AppState, width: Int, cache: inout ChatLayoutCache,
                                      theme: Theme) -> Int {
        guard state.scrollOffset > 0, let last = state.entries.last else {
            cache.pin = nil
            return 0
        }
        guard let pin = cache.pin, pin.width == width else {
            cache.pin = (last.id, cache.lines(for: last, width: width, theme: theme).count, width)
            return 0
        }
        var added = 0
        for entry in state.entries.reversed() {
            let count = cache.lines(for: entry, width: width, theme: theme).count
            if entry.id == pin.entryID {
                added += max(0, count - pin.lineCount)
                break
            }
            if entry.id < pin.entryID { break }
            added += count + 1
        }
        return added
    }

    /// The lines of one entry at `width`, with its marker and status.
    static func wrap(_ entry: ChatEntry, width: Int, theme: Theme) -> [StyledLine] {
        var markdown = IncrementalMarkdown()
        var marked = MarkedLines()
        return wrap(entry, width: width, theme: theme, markdown: &markdown, marked: &marked)
    }

    /// The lines of one entry at `width`; assistant text is rendered as markdown through
    /// `markdown` (which keeps its finished blocks between calls), and the lines are marked
    /// through `marked` (which keeps the lines it marked last time).
    static func wrap(_ entry: ChatEntry, width: Int, theme: Theme, markdown: inout IncrementalMarkdown,
                     marked: inout MarkedLines) -> [StyledLine] {
        if entry.kind == .tool, let activity = entry.tool {
            return ToolEntryView.lines(activity, width: width, theme: theme)
        }
        let (marker, markerStyle, textStyle): (String, Style, Style) = switch entry.kind {
        case .user: ("› ", theme.user, theme.text)
        case .assistant: ("  ", theme.assistant, theme.assistant)
        case .error: ("✗ ", theme.error, theme.error)
        case .notice, .tool: ("· ", theme.muted, theme.muted)
        }
        let textWidth = max(1, width - 2)
        var body: [StyledLine]
        if entry.kind == .assistant {
            body = markdown.render(entry.text, renderer: MarkdownRenderer(width: textWidth, theme: theme))
            if entry.status == .streaming { appendCursor(to: &body, width: textWidth, style: textStyle) }
            if body.isEmpty { body = [StyledLine([])] }
            if !entry.reasoning.isEmpty { body = reasoningLines(entry, width: textWidth, theme: theme) + body }
        } else {
            var text = entry.text
            if entry.status == .streaming { text += streamingCursor }
            body = TextWrapper.wrap(text, width: textWidth).map { StyledLine([($0, textStyle)]) }
        }
        var lines = marked.mark(body, marker: marker, style: markerStyle)
        switch entry.status {
        case .cancelled: lines.append(StyledLine([("  ", theme.muted), ("[cancelled]", theme.warning)]))
        case .interrupted:
            lines.append(StyledLine([("  ", theme.muted), ("[interrupted: this reply did not finish]", theme.warning)]))
        case .failed where !entry.text.isEmpty: lines.append(StyledLine([("  ", theme.muted), ("[incomplete]", theme.warning)]))
        default: break
        }
        return lines
    }

    /// The reply's reasoning, dimmed: one summary line when folded (the latest thought while
    /// it streams), every line behind a bar when expanded (Ctrl-T).
    static func reasoningLines(_ entry: ChatEntry, width: Int, theme: Theme) -> [StyledLine] {
        let style = theme.muted.adding(.italic)
        let lines = entry.reasoning.split(separator: "\n", omittingEmptySubsequences: true)
        guard entry.reasoningExpanded else {
            var summary = "▸ reasoning · \(lines.count) line\(lines.count == 1 ? "" : "s") · Ctrl-T shows it"
            if entry.text.isEmpty && entry.status == .streaming, let last = lines.last {
                summary = "▸ thinking: " + last.trimmed
            }
            let (clipped, _) = DisplayWidth.prefix(of: summary, fitting: width)
            return [StyledLine([(clipped, style)])]
        }
        var result: [StyledLine] = []
        for line in lines {
            for piece in TextWrapper.wrap(String(line), width: max(1, width - 2)) {
                result.append(StyledLine([("│ ", theme.border), (piece, style)]))
            }
        }
        return result
    }

    /// Puts the streaming cursor after the last text: into a code block's padding, at the
    /// end of the last line, or on a line of its own when the last one is full.
    static func appendCursor(to lines: inout [StyledLine], width: Int, style: Style) {
        guard let last = lines.popLast() else {
            lines.append(StyledLine([(streamingCursor, style)]))
            return
        }
        var segments = last.segments
        if segments.count > 1, let padding = segments.last, !padding.text.isEmpty, padding.text.allSatisfy({ $0 == " " }) {
            segments.removeLast()
            segments.append((streamingCursor, padding.style))
            if padding.text.count > 1 { segments.append((String(padding.text.dropFirst()), padding.style)) }
            lines.append(StyledLine(segments))
        } else if segments.reduce(0, { $0 + DisplayWidth.of($1.text) }) < width {
            segments.append((streamingCursor, style))
            lines.append(StyledLine(segments))
        } else {
            lines.append(last)
            lines.append(StyledLine([(streamingCursor, style)]))
        }
    }

    private static func placeholder(_ state: AppState, width: Int, theme: Theme) -> [StyledLine] {
        var source: [(String, Style)] = []
        if state.provider == nil {
            source.append(("No provider is configured yet.", theme.accent))
            source += state.setupHelp.map { ($0, theme.text) }
        } else {
            source.append(("swiftcoder: type a prompt and press Enter.", theme.accent))
            source.append(("? or F1 shows every key · / starts a command · Ctrl-P picks a model", theme.muted))
            source.append(("Esc cancels a reply · Ctrl-C cancels · Ctrl-C twice or Ctrl-D quits", theme.muted))
        }
        if !state.notices.isEmpty {
            source.append(("", theme.text))
            source += state.notices.map { ($0, theme.warning) }
        }
        var lines: [StyledLine] = []
        for (text, style) in source {
            for line in TextWrapper.wrap(text, width: max(1, width - 2)) { lines.append(StyledLine([("  ", style), (line, style)])) }
        }
        return lines
    }
}

/// An entry's lines with the marker column in front (`› `, `✗ `, or two spaces), kept between
/// frames: a streaming reply's earlier lines are the same values each frame, so only lines
/// from the first that changed are marked again (D187). Marking every line allocated a new
/// line per row per frame, O(reply) work for a frame that adds a few words.
struct MarkedLines {
    private var source: [StyledLine] = []
    private var marked: [StyledLine] = []
    private var marker = ""
    private var style = Style.plain

    /// `body` with `marker` in `style` before its first line and two spaces before the others.
    mutating func mark(_ body: [StyledLine], marker: String, style: Style) -> [StyledLine] {
        if marker != self.marker || style != self.style {
            source = []
            marked = []
            self.marker = marker
            self.style = style
        }
        var common = 0
        let limit = min(body.count, source.count)
        while common < limit && body[common] == source[common] { common += 1 }
        var result = Array(marked[..<common])
        result.reserveCapacity(body.count)
        for index in common..<body.count {
            result.append(StyledLine([(index == 0 ? marker : "  ", style)] + body[index].segments))
        }
        source = body
        marked = result
        return result
    }
}
