import TerminalUI

/// The four panels (help, model picker, sessions, reports) as `AppState.overlay` names
/// them: at most one is open, under the approval box. This maps that value to and from
/// the panel layers, so `state.overlay = .help(scroll: 0)` pushes a `HelpLayer`.
extension AppState {
    /// The open panel, if any (read from, and written to, the layer stack).
    public var overlay: Overlay? {
        get { layers.lazy.compactMap { ($0 as? any PanelLayer)?.overlay }.last }
        set {
            let index = layers.lastIndex { $0 is any PanelLayer }
            guard let newValue else {
                layers.removeAll { $0 is any PanelLayer }
                return
            }
            let layer = newValue.layer
            if let index {
                layers[index] = layer
            } else {
                // Panels sit under an approval box, as they always have.
                layers.insert(layer, at: layers.firstIndex { $0 is ApprovalLayer } ?? layers.count)
            }
        }
    }
}

/// A layer that is one of the `Overlay` panels.
protocol PanelLayer: OverlayLayer {
    var overlay: Overlay { get }
}

extension Overlay {
    /// The layer that shows this panel.
    var layer: any PanelLayer {
        switch self {
        case .help(let scroll): HelpLayer(scroll: scroll)
        case .modelPicker(let picker): ModelPickerLayer(picker: picker)
        case .sessions(let rows, let selection): SessionsLayer(rows: rows, selection: selection)
        case .report(let title, let lines, let scroll): ReportLayer(title: title, lines: lines, scroll: scroll)
        }
    }
}

extension Reducer {
    /// Esc and Ctrl-C close any panel.
    static func closesPanel(_ key: KeyEvent) -> Bool {
        key == .escape || key == .control("c")
    }

    /// A list's scroll position after `key`.
    static func scrolled(_ scroll: Int, _ key: KeyEvent) -> Int {
        switch key {
        case .down, .mouseWheelDown: scroll + 1
        case .up, .mouseWheelUp: max(0, scroll - 1)
        case .pageDown, .character(" "): scroll + 10
        case .pageUp: max(0, scroll - 10)
        case .home: 0
        default: scroll
        }
    }

    /// A selection after `key`, within `count` rows.
    static func moved(_ selection: Int, _ key: KeyEvent, count: Int) -> Int {
        guard count > 0 else { return 0 }
        let next: Int = switch key {
        case .down, .control("n"): selection + 1
        case .up, .control("p"): selection - 1
        case .pageDown: selection + 10
        case .pageUp: selection - 10
        default: selection
        }
        return min(max(0, next), count - 1)
    }
}
