import AgentCore
import TerminalUI

/// One selectable row of the model picker.
public struct PickerRow: Sendable, Hashable {
    public var provider: String
    public var model: ModelInfo
}

extension Reducer {
    /// Ctrl-P or /model: the picker over every provider's list (loading those not loaded).
    static func openModelPicker(_ state: inout AppState) -> [Effect] {
        state.overlay = .modelPicker(ModelPicker())
        state.touch()
        let stale = state.providers.filter { if case .loaded = $0.models { false } else { true } }.map(\.name)
        guard !stale.isEmpty else { return [] }
        for index in state.providers.indices where stale.contains(state.providers[index].name) {
            state.providers[index].models = .loading
        }
        return [.refreshModels(providers: stale)]
    }

    /// F5 / Ctrl-R: lists every provider's models again.
    static func refreshModels(_ state: inout AppState) -> [Effect] {
        guard !state.providers.isEmpty else { return [] }
        for index in state.providers.indices { state.providers[index].models = .loading }
        return [.refreshModels(providers: state.providers.map(\.name))]
    }

    /// The picker's rows for `filter`, grouped by provider in provider order, best match first
    /// within a provider.
    static func pickerRows(_ state: AppState, filter: String) -> [PickerRow] {
        state.providers.flatMap { listing -> [PickerRow] in
            let scored = listing.loadedModels.compactMap { model -> (Int, PickerRow)? in
                let text = listing.name + "/" + model.id
                guard let score = FuzzyMatch.score(filter, in: text) else { return nil }
                return (score, PickerRow(provider: listing.name, model: model))
            }
            return scored.sorted { $0.0 > $1.0 }.map(\.1)
        }
    }

    /// Makes `row` the provider and model for the next request.
    static func switchModel(_ state: inout AppState, to row: PickerRow) -> [Effect] {
        guard let listing = state.providers.first(where: { $0.name == row.provider }) else { return [] }
        state.provider = ActiveProvider(name: listing.name, kind: listing.kind, baseURL: listing.baseURL,
                                        model: row.model.id, connection: listing.connection)
        state.activeModel = row.model
        state.append(.notice, "Using \(row.model.id) on \(listing.name) from the next message.")
        state.touch()
        return [.switchModel(provider: listing.name, model: row.model.id)]
    }

    /// `/model ID`: a model of the active provider (listed or not: the server decides).
    static func chooseModel(_ state: inout AppState, id: String) -> [Effect] {
        guard let provider = state.provider else {
            state.append(.error, "No provider is configured; see the setup steps above.")
            return []
        }
        let listing = state.providers.first { $0.name == provider.name }
        let model = listing?.loadedModels.first { $0.id == id } ?? ModelInfo(id: id)
        if let listing {
            return switchModel(&state, to: PickerRow(provider: listing.name, model: model))
        }
        state.provider?.model = id
        state.activeModel = model
        return [.switchModel(provider: provider.name, model: id)]
    }

    /// `/provider NAME`: that provider with its default (or first listed) model.
    static func chooseProvider(_ state: inout AppState, name: String) -> [Effect] {
        if name.isEmpty {
            state.append(.notice, providerSummary(state))
            return []
        }
        if let unavailable = state.unavailableProviders.first(where: { $0.name == name }) {
            state.append(.error, "Provider \"\(name)\" is unavailable: \(unavailable.reason).")
            return []
        }
        guard let listing = state.providers.first(where: { $0.name == name }) else {
            let names = state.providers.map(\.name).joined(separator: ", ")
            state.append(.error, "Unknown provider \"\(name)\". Available: \(names.isEmpty ? "none" : names).")
            return []
        }
        guard let model = listing.defaultModel ?? listing.loadedModels.preferredChatModel?.id else {
            state.append(.error, "Provider \"\(name)\" has no model configured or listed yet; try /model after F5.")
            return []
        }
        let info = listing.loadedModels.first { $0.id == model } ?? ModelInfo(id: model)
        return switchModel(&state, to: PickerRow(provider: listing.name, model: info))
    }

    /// `/provider` alone: the one in use and what else there is (not an error).
    static func providerSummary(_ state: AppState) -> String {
        var text = state.provider.map { "Provider: \($0.name)" + ($0.model.map { " (\($0))" } ?? "") + "." }
            ?? "No provider in use."
        let others = state.providers.map(\.name).filter { $0 != state.provider?.name }
        if !others.isEmpty { text += " Others: \(others.joined(separator: ", "))." }
        for entry in state.unavailableProviders { text += "\nUnavailable: \(entry.name): \(entry.reason)." }
        return text + "\nSwitch with /provider NAME (Tab completes)."
    }

    /// Before a switch that replaces the conversation: cancels the running turn.
    /// Queued messages go back to the input line (nothing typed is lost).
    static func cancelForSwitch(_ state: inout AppState) -> [Effect] {
        state.turn != nil ? cancelTurn(&state) : []
    }
}
