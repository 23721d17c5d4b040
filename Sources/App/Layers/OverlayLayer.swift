import TerminalUI

/// One layer over the chat pane (helix's compositor, ratatui's widgets): it owns its state,
/// its keys, its drawing and its cursor. The layers live on a stack in `AppState.layers`;
/// the frame draws them bottom-up and keys go top-down, so a new overlay is one file (a
/// type conforming to this) plus one push (`AppState.push`).
public protocol OverlayLayer: Sendable {
    /// Handles `key`, changing the state (its own entry through `AppState.updateLayer`, or
    /// closing itself with `removeLayers`). Returns nil to let the key through to the
    /// layer below (and finally to the chat and input line).
    func handle(_ key: KeyEvent, _ state: inout AppState) -> [Effect]?
    /// Draws the layer over `area` (the chat pane); returns the cursor's place when the
    /// layer takes typing, else nil.
    func draw(_ state: AppState, in area: Rect, buffer: inout ScreenBuffer, theme: Theme) -> (x: Int, y: Int)?
}

extension AppState {
    /// Puts `layer` on top of the stack.
    public mutating func push(_ layer: some OverlayLayer) {
        layers.append(layer)
        touch()
    }

    /// The topmost layer of type `L`.
    public func layer<L: OverlayLayer>(_ type: L.Type) -> L? {
        layers.lazy.compactMap { $0 as? L }.last
    }

    /// Changes the topmost layer of type `L` in place.
    public mutating func updateLayer<L: OverlayLayer>(_ type: L.Type, _ change: (inout L) -> Void) {
        guard let index = layers.lastIndex(where: { $0 is L }), var layer = layers[index] as? L else { return }
        change(&layer)
        layers[index] = layer
        touch()
    }

    /// Takes every layer of type `L` off the stack.
    public mutating func removeLayers<L: OverlayLayer>(_ type: L.Type) {
        layers.removeAll { $0 is L }
        touch()
    }
}

extension Reducer {
    /// Offers `key` to the layers from the top down; nil when every layer let it through.
    static func routeKeyThroughLayers(_ state: inout AppState, _ key: KeyEvent) -> [Effect]? {
        for layer in state.layers.reversed() {
            if let effects = layer.handle(key, &state) { return effects }
        }
        return nil
    }
}

extension OverlayView {
    /// Clears and frames the panel over `area` and returns its inside, or nil when the
    /// pane is too small for a panel.
    static func panel(over area: Rect, buffer: inout ScreenBuffer, theme: Theme) -> Rect? {
        guard area.width >= 24, area.height >= 5 else { return nil }
        let box = Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: area.height)
        return frame(box, buffer: &buffer, theme: theme)
    }
}
