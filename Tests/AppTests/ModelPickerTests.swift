import AgentCore
import Testing
import TerminalUI
@testable import App

/// Issue 14, bug 15: the picker opens on the active model; `/model ID` for an unlisted
/// model warns and keeps it.
@Suite(.timeLimit(.minutes(2))) struct ModelPickerTests {
    static let models = [ModelInfo(id: "alpha"), ModelInfo(id: "beta"), ModelInfo(id: "gamma")]

    func state(model: String = "gamma", loaded: Bool = true) -> AppState {
        let provider = ActiveProvider(name: "local", kind: "openai-compatible",
                                      baseURL: "http://127.0.0.1:8080/v1", model: model)
        var state = AppState(size: TerminalSize(columns: 120, rows: 30), provider: provider)
        _ = Reducer.reduce(&state, .providersListed([
            ProviderListing(name: "local", kind: "openai-compatible", baseURL: "http://127.0.0.1:8080/v1"),
        ]))
        if loaded { _ = Reducer.reduce(&state, .providerModels(name: "local", .loaded(Self.models))) }
        return state
    }

    func picker(_ state: AppState) -> ModelPicker? {
        if case .modelPicker(let picker) = state.overlay { picker } else { nil }
    }

    @Test func thePickerOpensOnTheActiveModel() {
        var state = state()
        _ = Reducer.reduce(&state, .key(.control("p")))
        #expect(picker(state)?.selection == 2)
        var renderer = FrameRenderer()
        #expect(renderer.render(state).frame.textLines.contains { $0.contains("▸") && $0.contains("gamma") })
        // Enter keeps the active model rather than switching to the first row.
        _ = Reducer.reduce(&state, .key(.enter))
        #expect(state.provider?.model == "gamma")
    }

    @Test func aListArrivingAfterOpeningStillSelectsTheActiveModel() {
        var state = state(model: "beta", loaded: false)
        _ = Reducer.reduce(&state, .key(.control("p")))
        #expect(picker(state)?.selection == 0)
        _ = Reducer.reduce(&state, .providerModels(name: "local", .loaded(Self.models)))
        #expect(picker(state)?.selection == 1)
    }

    @Test func onceTheUserMovesTheSelectionStaysTheirs() {
        var state = state(model: "gamma", loaded: false)
        _ = Reducer.reduce(&state, .key(.control("p")))
        _ = Reducer.reduce(&state, .key(.down))
        let chosen = picker(state)?.selection
        _ = Reducer.reduce(&state, .providerModels(name: "local", .loaded(Self.models)))
        #expect(picker(state)?.selection == chosen)  // not moved to gamma's row behind the user
        #expect(picker(state)?.followsActive == false)
    }

    @Test func anUnlistedModelIsKeptWithAWarning() {
        var state = state()
        _ = Reducer.chooseModel(&state, id: "not-a-model")
        #expect(state.provider?.model == "not-a-model")
        #expect(state.entries.contains { $0.kind == .error && $0.text.contains("does not list \"not-a-model\"") })
        let before = state.entries.count
        _ = Reducer.chooseModel(&state, id: "alpha")
        #expect(!state.entries.dropFirst(before).contains { $0.kind == .error })
    }
}
