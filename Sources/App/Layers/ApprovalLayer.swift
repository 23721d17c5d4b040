import TerminalUI

/// The approval box: a tool call waiting for yes / no / always, on top of everything.
/// Until it is armed (a moment after it appears) it lets keys through, so keys typed for
/// the next message are not taken as an answer; Ctrl-C always reaches it. Its keys are in
/// `Reducer.reduceApprovalKey`, its drawing in `ApprovalView`.
struct ApprovalLayer: OverlayLayer {
    var approval: PendingApproval

    func handle(_ key: KeyEvent, _ state: inout AppState) -> [Effect]? {
        guard approval.armed || key == .control("c") else { return nil }
        return Reducer.reduceApprovalKey(&state, key)
    }

    func draw(_ state: AppState, in area: Rect, buffer: inout ScreenBuffer, theme: Theme) -> (x: Int, y: Int)? {
        ApprovalView.draw(approval, in: area, buffer: &buffer, theme: theme)
        return nil
    }
}

extension AppState {
    /// The tool call waiting for an answer, drawn over the chat (read from, and written to,
    /// the layer stack: setting it pushes or replaces the `ApprovalLayer`).
    public var approval: PendingApproval? {
        get { layer(ApprovalLayer.self)?.approval }
        set {
            guard let newValue else {
                layers.removeAll { $0 is ApprovalLayer }
                return
            }
            if let index = layers.lastIndex(where: { $0 is ApprovalLayer }) {
                layers[index] = ApprovalLayer(approval: newValue)
            } else {
                layers.append(ApprovalLayer(approval: newValue))
            }
        }
    }
}
