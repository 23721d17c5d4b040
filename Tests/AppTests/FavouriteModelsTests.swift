import AgentCore
import FoundationEssentials
import Testing
import TerminalUI
@testable import App

/// Recent and favourite models in the picker (issue 14): `*` stars, favourites then recents
/// on top, the prefs saved through an effect.
@Suite(.timeLimit(.minutes(2))) struct FavouriteModelsTests {
    let pickerTests = ModelPickerTests()

    func picker(_ state: AppState) -> ModelPicker? {
        if case .modelPicker(let picker) = state.overlay { picker } else { nil }
    }

    func rowKeys(_ state: AppState) -> [String] {
        Reducer.pickerRows(state, filter: picker(state)?.filter.text ?? "").map(\.key)
    }

    @Test func theStarKeyPinsTheSelectedModelOnTopAndSavesIt() {
        var state = pickerTests.state(model: "alpha")
        _ = Reducer.reduce(&state, .key(.control("p")))
        _ = Reducer.reduce(&state, .key(.down))
        _ = Reducer.reduce(&state, .key(.down))  // gamma
        let effects = Reducer.reduce(&state, .key(.character("*")))
        #expect(state.modelPrefs.favourites == ["local/gamma"])
        #expect(effects == [.saveModelPrefs(state.modelPrefs)])
        #expect(rowKeys(state) == ["local/gamma", "local/alpha", "local/beta"])
        #expect(picker(state)?.selection == 0)  // still on gamma, now on top
        #expect(picker(state)?.filter.text == "")  // `*` is not typed into the filter
        var renderer = FrameRenderer()
        let lines = renderer.render(state).frame.textLines
        #expect(lines.contains { $0.contains("★ favourites · recent") })
        #expect(lines.contains { $0.contains("▸  ★gamma @ local") }, "\(lines.joined(separator: "\n"))")
        // Pressed again: unstarred, back in its provider's list.
        _ = Reducer.reduce(&state, .key(.character("*")))
        #expect(state.modelPrefs.favourites.isEmpty)
        #expect(rowKeys(state) == ["local/alpha", "local/beta", "local/gamma"])
    }

    @Test func switchingMakesAModelRecentAndFavouritesStayFirst() {
        var state = pickerTests.state(model: "alpha")
        state.modelPrefs = ModelPrefs(favourites: ["local/beta"])
        _ = Reducer.chooseModel(&state, id: "gamma")
        #expect(state.modelPrefs.recents == ["local/gamma"])
        _ = Reducer.reduce(&state, .key(.control("p")))
        #expect(rowKeys(state) == ["local/beta", "local/gamma", "local/alpha"])
        #expect(picker(state)?.selection == 1)  // opens on the active model, now a recent
    }

    @Test func loadedPrefsReachTheState() {
        var state = pickerTests.state()
        _ = Reducer.reduce(&state, .modelPrefsLoaded(ModelPrefs(favourites: ["local/beta"], recents: ["local/alpha"])))
        _ = Reducer.reduce(&state, .key(.control("p")))
        #expect(rowKeys(state) == ["local/beta", "local/alpha", "local/gamma"])
    }

    @Test func recentsAreCappedAndDeduplicated() {
        var prefs = ModelPrefs()
        for index in 0..<12 { prefs.used("p/m\(index % 7)") }
        #expect(prefs.recents.count == ModelPrefs.maxRecents)
        #expect(prefs.recents.first == "p/m4")
        #expect(Set(prefs.recents).count == prefs.recents.count)
    }

    @Test func decodingIsBoundedAndRejectsGarbage() throws {
        #expect(throws: (any Error).self) { try ModelPrefs.decode(Data("not json".utf8)) }
        #expect(throws: (any Error).self) { try ModelPrefs.decode(Data(repeating: 0x20, count: ModelPrefs.maxFileBytes + 1)) }
        let many = ModelPrefs(favourites: (0..<500).map { "p/\($0)" }, recents: (0..<50).map { "p/\($0)" })
        let decoded = try ModelPrefs.decode(many.encoded())
        #expect(decoded.favourites.count == ModelPrefs.maxFavourites)
        #expect(decoded.recents.count == ModelPrefs.maxRecents)
        let round = ModelPrefs(favourites: ["a/b"], recents: ["c/d"])
        #expect(try ModelPrefs.decode(round.encoded()) == round)
    }
}
