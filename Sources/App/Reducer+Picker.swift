import AgentCore
import TerminalUI

/// One selectable row of the model picker.
public struct PickerRow: Sendable, Hashable {
    public var provider: String
    public var model: ModelInfo
    /// `provider/model`, the key of `ModelPrefs`.
    public var key: String { ModelPrefs.key(provider: provider, model: model.id) }
}

extension Reducer {
    /// Ctrl-P or /model: the picker over every provider's list (loading those not loaded).
    static func openModelPicker(_ state: inout AppState) -> [Effect] {
        var picker = ModelPicker()
        selectActiveRow(&picker, state)
        state.overlay = .modelPicker(picker)
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

    /// The picker's rows for `filter`: favourites and recents first (`ModelPrefs.rank`), then
    /// the rest grouped by provider in provider order, best match first within a provider.
    static func pickerRows(_ state: AppState, filter: String) -> [PickerRow] {
        let all = matchingRows(state, filter: filter)
        let prefs = state.modelPrefs
        let ranked = all.compactMap { row in prefs.rank(row.key).map { ($0, row) } }
        return ranked.sorted { $0.0 < $1.0 }.map(\.1) + all.filter { prefs.rank($0.key) == nil }
    }

    /// Rows on top of the picker: favourites and recents.
    static func isPinned(_ row: PickerRow, _ state: AppState) -> Bool {
        state.modelPrefs.rank(row.key) != nil
    }

    /// `*` in the picker: stars or unstars the selected model, keeping it selected.
    static func toggleFavourite(_ state: inout AppState, picker: inout ModelPicker) -> [Effect] {
        let rows = pickerRows(state, filter: picker.filter.text)
        guard rows.indices.contains(picker.selection) else { return [] }
        let key = rows[picker.selection].key
        state.modelPrefs.toggleFavourite(key)
        picker.selection = pickerRows(state, filter: picker.filter.text).firstIndex { $0.key == key } ?? 0
        return [.saveModelPrefs(state.modelPrefs)]
    }

    private static func matchingRows(_ state: AppState, filter: String) -> [PickerRow] {
        state.providers.flatMap { listing -> [PickerRow] in
            let scored = listing.loadedModels.compactMap { model -> (Int, PickerRow)? in
                let text = listing.name + "/" + model.id
                guard let score = FuzzyMatch.score(filter, in: text) else { return nil }
                return (score, PickerRow(provider: listing.name, model: model))
            }
            return scored.sorted { $0.0 > $1.0 }.map(\.1)
        }
    }

    /// Puts the picker's selection on the active provider's active model while it follows it.
    static func selectActiveRow(_ picker: inout ModelPicker, _ state: AppState) {
        guard picker.followsActive, let active = state.provider, let model = active.model else { return }
        let rows = pickerRows(state, filter: picker.filter.text)
        if let index = rows.firstIndex(where: { $0.provider == active.name && $0.model.id == model }) {
            picker.selection = index
        }
    }

    /// Makes `row` the provider and model for the next request.
    static func switchModel(_ state: inout AppState, to row: PickerRow) -> [Effect] {
        guard let listing = state.providers.first(where: { $0.name == row.provider }) else { return [] }
        state.provider = ActiveProvider(name: listing.name, kind: listing.kind, baseURL: listing.baseURL,
                                        model: row.model.id, connection: listing.connection)
        state.activeModel = row.model
        // The runtime stores the prefs when it performs the switch (no extra effect).
        state.modelPrefs.used(row.key)
        state.append(.notice, "Using \(row.model.id) on \(listing.name) from the next message.")
        state.touch()
        return [.switchModel(provider: listing.name, model: row.model.id)]
    }

    /// `/model ID`: a model of the active provider (listed or not: the server decides; an
    /// unlisted one is kept with a warning).
    static func chooseModel(_ state: inout AppState, id: String) -> [Effect] {
        guard let provider = state.provider else {
            state.append(.error, "No provider is configured; see the setup steps above.")
            return []
        }
        let listing = state.providers.first { $0.name == provider.name }
        let model = listing?.loadedModels.first { $0.id == id } ?? ModelInfo(id: id)
        if let listing, case .loaded(let models) = listing.models, !models.contains(where: { $0.id == id }) {
            // Kept (a server may serve models it does not list), but never silently (bug 15).
            state.append(.error, "\(listing.name) does not list \"\(id)\"; using it anyway "
                + "(requests fail if the server does not know it). /model opens the list.")
        }
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
