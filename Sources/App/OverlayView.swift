import AgentCore
import TerminalUI

/// Drawing shared by the panels over the chat pane (help, the model picker, the sessions
/// picker and reports: each a layer in `Layers/`).
enum OverlayView {
    /// Draws `overlay` over `area` through its layer; returns where the cursor goes when
    /// the overlay takes typing (the picker's filter), else nil.
    @discardableResult
    static func draw(_ overlay: Overlay, state: AppState, in area: Rect, buffer: inout ScreenBuffer,
                     theme: Theme) -> (x: Int, y: Int)? {
        overlay.layer.draw(state, in: area, buffer: &buffer, theme: theme)
    }

    /// Clears `box`, draws its border and returns the inside.
    static func frame(_ box: Rect, buffer: inout ScreenBuffer, theme: Theme) -> Rect {
        buffer.fill(box, style: theme.text)
        let horizontal = String(repeating: "─", count: max(0, box.width - 2))
        buffer.put("╭" + horizontal + "╮", x: box.x, y: box.y, style: theme.border)
        buffer.put("╰" + horizontal + "╯", x: box.x, y: box.maxY - 1, style: theme.border)
        for row in (box.y + 1)..<(box.maxY - 1) {
            buffer.put("│", x: box.x, y: row, style: theme.border)
            buffer.put("│", x: box.maxX - 1, y: row, style: theme.border)
        }
        return Rect(x: box.x + 2, y: box.y + 1, width: box.width - 4, height: box.height - 2)
    }

    /// Report lines wider than `width` go on over the next rows, indented, so nothing at their
    /// end (a cost, its source) is cut off.
    static func wrapped(_ lines: [String], width: Int) -> [String] {
        let indent = "      "
        return lines.flatMap { line -> [String] in
            guard width > 2 * indent.count, DisplayWidth.of(line) > width else { return [line] }
            let pieces = TextWrapper.wrap(line, width: width)
            let rest = TextWrapper.wrap(pieces.dropFirst().joined(separator: " "), width: width - indent.count)
            return [pieces[0]] + rest.map { indent + $0 }
        }
    }

    /// A title row and then `lines` from `scroll`, clipped to the box.
    static func list(title: String, lines: [StyledLine], scroll: Int, in rect: Rect, buffer: inout ScreenBuffer,
                     theme: Theme) {
        buffer.put(title, x: rect.x, y: rect.y, style: theme.accent, maxX: rect.maxX)
        let fits = lines.count <= rect.height - 1
        // A list longer than the box keeps its last row to say what is below and how to scroll.
        let rows = max(0, rect.height - (fits ? 1 : 2))
        let start = min(scroll, max(0, lines.count - rows))
        for (offset, line) in lines.dropFirst(start).prefix(rows).enumerated() {
            var x = rect.x
            for segment in line.segments {
                x = buffer.put(segment.text, x: x, y: rect.y + 1 + offset, style: segment.style, maxX: rect.maxX)
            }
        }
        if !fits {
            let below = lines.count - start - rows
            let position = below > 0 ? "↓ \(below) more line\(below == 1 ? "" : "s")" : "end"
            let hint = ApprovalView.fitting([position + " · ↑↓ PgUp PgDn Home scroll", position + " · ↑↓ scroll", position],
                                            width: rect.width)
            buffer.put(hint, x: rect.x, y: rect.maxY - 1, style: theme.muted, maxX: rect.maxX)
        }
    }

    /// The help text, generated from the keymap and the slash commands.
    static func helpLines(theme: Theme, externalCommands: [ExternalCommand] = []) -> [StyledLine] {
        var lines: [StyledLine] = []
        var section = ""
        for binding in Keymap.helpLines {
            if binding.section != section {
                section = binding.section
                if !lines.isEmpty { lines.append(StyledLine([])) }
                lines.append(StyledLine([(section, theme.accent)]))
            }
            lines.append(StyledLine([("  " + binding.label.padding(to: 22), theme.text), (binding.help, theme.muted)]))
        }
        lines.append(StyledLine([]))
        lines.append(StyledLine([("Commands", theme.accent)]))
        for command in SlashCommand.all {
            let usage = "/" + command.name + (command.argument.isEmpty ? "" : " " + command.argument)
            lines.append(StyledLine([("  " + usage.padding(to: 22), theme.text), (command.help, theme.muted)]))
        }
        lines.append(StyledLine([("  !command".padding(to: 24), theme.text), ("run a shell command, show its output", theme.muted)]))
        lines += externalHelpLines(externalCommands, theme: theme)
        lines.append(StyledLine([]))
        lines.append(StyledLine([("Approvals", theme.accent)]))
        lines.append(StyledLine([("  y / n / a / Esc".padding(to: 24), theme.text),
                                 ("yes · no (type a reason) · always this session · no", theme.muted)]))
        return lines
    }
}

/// The model picker: a filter line, then every provider's models grouped by provider,
/// with the sidebar's columns; a provider that cannot list shows its error inline.
enum ModelPickerView {
    /// Draws the picker; returns the cursor's place, at the end of the filter text.
    @discardableResult
    static func draw(_ picker: ModelPicker, state: AppState, in rect: Rect, buffer: inout ScreenBuffer,
                     theme: Theme) -> (x: Int, y: Int) {
        buffer.put("Pick a model · type to filter · ↑↓ Enter · F5 refresh · Esc closes", x: rect.x, y: rect.y,
                   style: theme.accent, maxX: rect.maxX)
        let x = buffer.put("Filter: ", x: rect.x, y: rect.y + 1, style: theme.muted, maxX: rect.maxX)
        let cursor = (x: buffer.put(picker.filter.text, x: x, y: rect.y + 1, style: theme.text, maxX: rect.maxX),
                      y: rect.y + 1)
        let rows = Reducer.pickerRows(state, filter: picker.filter.text)
        var lines: [StyledLine] = []
        var selectedLine = 0
        var rowIndex = 0
        let pinned = rows.filter { Reducer.isPinned($0, state) }
        if !pinned.isEmpty {
            lines.append(StyledLine([("★ favourites · recent", theme.accent), ("  * stars or unstars", theme.muted)]))
        }
        func add(_ row: PickerRow, label: String) {
            let selected = rowIndex == picker.selection
            if selected { selectedLine = lines.count }
            let current = row.model.id == state.provider?.model && row.provider == state.provider?.name
            let star = state.modelPrefs.isFavourite(row.key) ? "★" : " "
            let name = (current ? "●" : " ") + star + label.padding(to: 34)
            lines.append(StyledLine([
                (selected ? "▸ " : "  ", theme.accent),
                (name, selected ? theme.selection : theme.text),
                (details(row.model, width: rect.width - 2 - DisplayWidth.of(name)), theme.muted),
            ]))
            rowIndex += 1
        }
        for row in pinned { add(row, label: row.model.id + " @ " + row.provider) }
        for listing in state.providers {
            lines.append(StyledLine([(listing.name, theme.accent), ("  " + listing.kind, theme.muted)]))
            switch listing.models {
            case .failed(let reason): lines.append(StyledLine([("  cannot list: " + reason, theme.error)]))
            case .loading, .notLoaded: lines.append(StyledLine([("  listing…", theme.muted)]))
            case .loaded:
                let all = rows.filter { $0.provider == listing.name }
                let mine = all.filter { !Reducer.isPinned($0, state) }
                if all.isEmpty { lines.append(StyledLine([("  no match", theme.muted)])) }
                for row in mine { add(row, label: row.model.id) }
            }
        }
        let listRect = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2)
        let scroll = max(0, selectedLine - listRect.height + 2)
        for (offset, line) in lines.dropFirst(scroll).prefix(listRect.height).enumerated() {
            var x = listRect.x
            for segment in line.segments {
                x = buffer.put(segment.text, x: x, y: listRect.y + offset, style: segment.style, maxX: listRect.maxX)
            }
        }
        return cursor
    }
}

extension ModelPickerView {
    /// The model's details that fit `width`, whole parts only (trailing ones are left out).
    static func details(_ model: ModelInfo, width: Int) -> String {
        var parts = SidebarView.detailParts(model)
        while !parts.isEmpty && DisplayWidth.of(parts.joined(separator: " · ")) > width { parts.removeLast() }
        return parts.joined(separator: " · ")
    }
}

/// Completions for a `/command` being typed, shown just above the input.
enum CompletionView {
    static func draw(_ state: AppState, above input: Rect, buffer: inout ScreenBuffer, theme: Theme) {
        let mentions = Reducer.mentionCompletions(state)
        let completions = mentions.isEmpty ? Reducer.slashCompletions(state) : mentions.map(\.token)
        guard !completions.isEmpty, input.y > 0 else { return }
        let shown = Array(completions.prefix(min(8, input.y)))
        for (offset, completion) in shown.reversed().enumerated() {
            let y = input.y - 1 - offset
            let name = completion.dropFirst().split(separator: " ").first.map(String.init) ?? ""
            let help = !mentions.isEmpty ? mentions.first { $0.token == completion }?.help ?? ""
                : completion.contains(" ") ? "" : Reducer.commandHelp(state, name: name)
            buffer.fill(Rect(x: input.x, y: y, width: input.width, height: 1), style: theme.selection)
            let x = buffer.put("  " + completion.padding(to: 20), x: input.x, y: y, style: theme.selection, maxX: input.maxX)
            buffer.put(help, x: x, y: y, style: theme.selection, maxX: input.maxX)
        }
    }
}
