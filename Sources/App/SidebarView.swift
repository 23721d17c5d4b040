import AgentCore
import Pricing
import FoundationEssentials
import TerminalUI

/// The right-hand panel: the active provider and model, every provider with its status,
/// and the active provider's live model list (context, tools, price per million in/out).
enum SidebarView {
    /// Everything the sidebar shows is drawn from these: equal inputs, equal cells. Its
    /// drawing is reused while they are equal (`ReusedDrawing`): it was 11 % of a streaming
    /// frame's instructions, wrapping the same lines every frame (D186). Arrays compare by
    /// identity first, so the check is cheap while nothing changed.
    struct Inputs: Equatable {
        var provider: ActiveProvider?
        var activeModel: ModelInfo?
        var providers: [ProviderListing]
        var unavailableProviders: [UnavailableProvider]
        var mcpServers: [MCPServerLine]
        var theme: Theme
        var rect: Rect

        init(_ state: AppState, rect: Rect, theme: Theme) {
            provider = state.provider
            activeModel = state.activeModel
            providers = state.providers
            unavailableProviders = state.unavailableProviders
            mcpServers = state.mcpServers
            self.theme = theme
            self.rect = rect
        }
    }

    static func draw(_ state: AppState, in rect: Rect, buffer: inout ScreenBuffer, theme: Theme) {
        guard !rect.isEmpty else { return }
        for y in rect.y..<rect.maxY { buffer.put("│", x: rect.x, y: y, style: theme.border) }
        var writer = LineWriter(rect: Rect(x: rect.x + 2, y: rect.y, width: rect.width - 3, height: rect.height),
                                buffer: ScreenBuffer(width: 0, height: 0))
        // The writer holds the frame's cells while it writes, then hands them back: handing it
        // a copy made its first `put` copy all 4,800 cells of the frame (D181).
        swap(&writer.buffer, &buffer)
        defer { swap(&writer.buffer, &buffer) }
        writer.line("Provider", theme.accent)
        if let provider = state.provider {
            writer.line(provider.name + " · " + provider.kind, theme.text, indent: 1)
            writer.line(provider.baseURL, theme.muted, indent: 1)
            let (status, style) = connectionLine(provider.connection, theme: theme)
            writer.line(status, style, indent: 1)
            writer.line("Model", theme.accent)
            writer.line(provider.model ?? "(none set)", provider.model == nil ? theme.warning : theme.text, indent: 1)
            if let info = state.activeModel { writer.parts(detailParts(info), theme.muted, indent: 1) }
            if let cap = outputCap(state) { writer.line("replies ≤ \(cap) tokens", theme.muted, indent: 1) }
        } else {
            writer.line("none configured", theme.warning, indent: 1)
        }
        if state.providers.count + state.unavailableProviders.count > 1 {
            writer.skip()
            writer.line("Providers", theme.accent)
            for listing in state.providers {
                let (mark, style) = listingMark(listing, active: listing.name == state.provider?.name, theme: theme)
                writer.line("\(mark) \(listing.name)", style, indent: 1)
            }
            // Greyed, with why: an unset variable is the usual reason.
            for entry in state.unavailableProviders {
                writer.line("○ \(entry.name): \(entry.reason)", theme.muted, indent: 1)
            }
        }
        if !state.mcpServers.isEmpty {
            writer.skip()
            writer.line("MCP servers", theme.accent)
            for server in state.mcpServers {
                let style = server.state == .ready ? theme.text : server.state == .failed ? theme.error : theme.muted
                writer.line("\(server.state == .ready ? "●" : "○") \(server.name): \(server.status)", style, indent: 1)
            }
        }
        if let listing = state.providers.first(where: { $0.name == state.provider?.name }) {
            writer.skip()
            modelList(listing, state: state, writer: &writer, theme: theme)
        }
        writer.skip()
        writer.line("? help · Ctrl-P models", theme.muted)
        writer.line("F2 hides this panel", theme.muted)
    }

    private static func modelList(_ listing: ProviderListing, state: AppState, writer: inout LineWriter, theme: Theme) {
        switch listing.models {
        case .notLoaded: writer.line("Models: F5 to list", theme.muted)
        case .loading: writer.line("Models: listing…", theme.muted)
        case .failed(let reason): writer.line("Models: \(reason)", theme.error)
        case .loaded(let models):
            writer.line("Models (\(models.count)) · F5 refresh", theme.accent)
            for (shown, model) in models.enumerated() {
                // Two rows per model; keep one for the "more" line and three for the key hints.
                if writer.rowsLeft < 2 + 4 && shown < models.count {
                    writer.line("… \(models.count - shown) more · Ctrl-P lists all", theme.muted)
                    break
                }
                let active = model.id == state.provider?.model
                writer.line((active ? "▸ " : "  ") + model.id, active ? theme.accent : theme.text, wrap: false)
                // Details wrap under the model's name rather than being cut at the border.
                writer.parts(detailParts(model), theme.muted, indent: 3)
            }
        }
    }

    /// The configured `maxOutputTokens` for the active provider and model, if any.
    static func outputCap(_ state: AppState) -> Int? {
        guard let provider = state.provider else { return nil }
        return state.providers.first(where: { $0.name == provider.name })?.outputLimits.limit(for: provider.model)
    }

    /// `128k ctx · tools · $2.50/$10 per M` (unknowns left out; price `n/a` when unknown).
    static func details(_ model: ModelInfo) -> String {
        detailParts(model).joined(separator: " · ")
    }

    /// The parts of `details`, in order.
    static func detailParts(_ model: ModelInfo) -> [String] {
        var parts: [String] = []
        if let window = model.contextWindow { parts.append(TokenFormat.contextWindow(window) + " ctx") }
        switch model.supportsTools {
        case true?: parts.append("tools")
        case false?: parts.append("no tools")
        case nil: break
        }
        parts.append(price(model.pricing))
        if model.isLoaded == true { parts.append("loaded") }
        return parts
    }

    /// `$2.50/$10.00/M`, `free`, or `$ n/a`.
    static func price(_ pricing: ModelPricing?) -> String {
        guard let input = pricing?.inputPerMillion, let output = pricing?.outputPerMillion else { return "$ n/a" }
        if input == 0 && output == 0 { return "free" }
        return "\(Money.perMillion(input))/\(Money.perMillion(output))/M"
    }

    private static func listingMark(_ listing: ProviderListing, active: Bool, theme: Theme) -> (String, Style) {
        let style = active ? theme.accent : theme.text
        switch listing.models {
        case .loaded: return ("●", active ? theme.success : style)
        case .failed: return ("○", theme.error)
        case .loading, .notLoaded: return ("…", theme.muted)
        }
    }

    static func connectionLine(_ status: ConnectionStatus, theme: Theme) -> (String, Style) {
        switch status {
        case .unknown: ("○ not checked", theme.muted)
        case .checking: ("… connecting", theme.muted)
        case .online(let count): ("● online · \(count) model\(count == 1 ? "" : "s")", theme.success)
        case .offline(let reason): ("○ offline: \(reason)", theme.error)
        }
    }
}

/// Writes wrapped or clipped lines down a rectangle.
struct LineWriter {
    let rect: Rect
    var buffer: ScreenBuffer
    private(set) var row: Int

    /// Rows below the cursor.
    var rowsLeft: Int { rect.maxY - row }

    init(rect: Rect, buffer: ScreenBuffer) {
        self.rect = rect
        self.buffer = buffer
        row = rect.y
    }

    mutating func line(_ text: String, _ style: Style, indent: Int = 0, wrap: Bool = true) {
        let pieces = wrap ? TextWrapper.wrap(text, width: max(1, rect.width - indent)) : [text]
        for piece in pieces {
            guard row < rect.maxY else { return }
            buffer.put(piece, x: rect.x + indent, y: row, style: style, maxX: rect.maxX)
            row += 1
        }
    }

    /// Writes `parts` joined by ` · `, breaking lines only between parts (a part too long for
    /// a line of its own is wrapped).
    mutating func parts(_ parts: [String], _ style: Style, indent: Int = 0) {
        let width = max(1, rect.width - indent)
        var current = ""
        for part in parts {
            let joined = current.isEmpty ? part : current + " · " + part
            if current.isEmpty || DisplayWidth.of(joined) <= width {
                current = joined
            } else {
                line(current, style, indent: indent)
                current = part
            }
        }
        if !current.isEmpty { line(current, style, indent: indent) }
    }

    mutating func skip() { row += 1 }
}

extension String {
    /// The string padded with spaces to at least `width` columns.
    func padding(to width: Int) -> String {
        let current = DisplayWidth.of(self)
        return current >= width ? self + " " : self + String(repeating: " ", count: width - current)
    }
}
