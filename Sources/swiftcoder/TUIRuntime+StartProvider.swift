import AgentCore
import App
import Providers

// Without `--provider` or `defaultProvider`, the app starts on the first configured provider
// at once (the first frame never waits for the network) and, once the availability probes
// have answered, moves to the first provider in order that did (D39).

extension TUIRuntime {
    /// The configured providers, then the detected ones, as the router orders them.
    var routerWithDetected: ProviderRouter {
        var router = setup.router
        for config in detected { router.addDetected(config) }
        return router
    }

    /// Records a start-up probe's answer (a model listing) and chooses the provider if that
    /// is now decided.
    func probeAnswered(_ name: String, _ listing: ModelListing) {
        switch listing {
        case .loaded: probeAnswers[name] = true
        case .failed: probeAnswers[name] = false
        case .loading, .notLoaded: return
        }
        chooseProviderIfDecided()
    }

    /// Switches to the first provider that answered, once every provider before it has
    /// failed, while the choice is still the probes' to make.
    func chooseProviderIfDecided() {
        let router = routerWithDetected
        guard choosesProviderByProbes, router.choosesFirstAvailable,
              case .chosen(let choice?) = router.defaultProvider(answered: probeAnswers),
              probeAnswers[choice.name] == true else { return } // all down: keep the first, keep listening
        choosesProviderByProbes = false
        guard let previous = setup.providerConfig, choice.name != previous.name else { return }
        let listing = state.providers.first { $0.name == choice.name }
        let listed = listing?.loadedModels ?? []
        let model = choice.defaultModel ?? listed.preferredChatModel?.id
        setup.use(choice, model: model)
        guard let provider = setup.provider else { return }
        let info = listed.first { $0.id == model }
        let native = info?.supportsTools ?? EngineFactory.nativeTools(model: model)
        let engine = self.engine
        let windows = (configured: choice.contextWindow, reported: info?.contextWindow)
        enqueue {
            await engine.use(provider: provider, model: model, nativeTools: native)
            await engine.setWindows(configured: windows.configured, reported: windows.reported)
        }
        dispatch(.providerChanged(
            ActiveProvider(name: choice.name, kind: choice.kind.rawValue, baseURL: provider.baseURL, model: model,
                           connection: listing?.connection ?? .checking),
            notice: "\(previous.name) did not answer; using \(choice.name), the first provider that did. "
                + "Set defaultProvider in agents.config.json to choose one."))
        dispatch(.activeModel(info))
    }
}
