import TerminalUI

/// The model picker (Ctrl-P, `/model`): type to filter every provider's models, arrows to
/// choose, Enter to switch, F5 to list again. Its cursor sits in the filter line; its
/// drawing is `ModelPickerView`.
struct ModelPickerLayer: PanelLayer {
    var picker: ModelPicker
    var overlay: Overlay { .modelPicker(picker) }

    func handle(_ key: KeyEvent, _ state: inout AppState) -> [Effect]? {
        if Reducer.closesPanel(key) {
            state.overlay = nil
            state.touch()
            return []
        }
        var picker = picker
        let rows = Reducer.pickerRows(state, filter: picker.filter.text)
        switch key {
        case .enter:
            guard rows.indices.contains(picker.selection) else { return [] }
            state.overlay = nil
            return Reducer.switchModel(&state, to: rows[picker.selection])
        case .up, .down, .pageUp, .pageDown, .control("n"), .control("p"):
            picker.selection = Reducer.moved(picker.selection, key, count: rows.count)
            picker.followsActive = false
        case .character("*"):
            let effects = Reducer.toggleFavourite(&state, picker: &picker)
            picker.followsActive = false
            state.overlay = .modelPicker(picker)
            state.touch()
            return effects
        case .character(let character):
            picker.filter.insert(String(character))
            picker.selection = 0
            picker.followsActive = false
        case .function(5), .control("r"):
            state.overlay = .modelPicker(picker)
            return Reducer.refreshModels(&state)
        default:
            guard let command = Keymap.command(for: key), picker.filter.apply(command) else { return [] }
            picker.selection = 0
            picker.followsActive = false
        }
        state.overlay = .modelPicker(picker)
        state.touch()
        return []
    }

    func draw(_ state: AppState, in area: Rect, buffer: inout ScreenBuffer, theme: Theme) -> (x: Int, y: Int)? {
        guard let inner = OverlayView.panel(over: area, buffer: &buffer, theme: theme) else { return nil }
        return ModelPickerView.draw(picker, state: state, in: inner, buffer: &buffer, theme: theme)
    }
}
