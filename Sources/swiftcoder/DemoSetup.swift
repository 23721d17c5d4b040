import AgentCore
import FoundationEssentials
import Glibc
import Providers

/// `swiftcoder --demo`: the app against the built-in scripted provider, in a temporary
/// project folder with one small file, with its own temporary state (sessions, history,
/// logs), so nothing of the user's is read or changed. The folder is removed on exit.
enum DemoSetup {
    /// The name the demo provider has in the sidebar and the meter.
    static let providerName = "demo"

    /// Creates the demo folder, moves into it and returns the setup; the caller removes
    /// `folder` when the app ends.
    static func make(environment: [String: String]) throws(SetupError) -> (setup: Setup, folder: String) {
        let base = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/swiftcoder-demo-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw SetupError(description: "cannot create the demo folder in \(base): \(String(cString: strerror(errno)))")
        }
        let folder = String(cString: made)
        let project = folder + "/project"
        do {
            try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
            try Data(DemoScript.fileContent.utf8).write(to: URL(fileURLWithPath: project + "/" + DemoScript.fileName))
        } catch {
            remove(folder)
            throw SetupError(description: "cannot write the demo project in \(folder): \(error)")
        }
        guard chdir(project) == 0 else {
            remove(folder)
            throw SetupError(description: "cannot enter the demo folder \(project)")
        }
        var demoEnvironment = environment
        demoEnvironment["XDG_DATA_HOME"] = folder + "/data"
        demoEnvironment["XDG_STATE_HOME"] = folder + "/state"
        let provider = ProviderConfig(name: providerName, kind: .openAICompatible, apiBase: "built-in demo",
                                      model: DemoScript.models[0].id, models: DemoScript.models.map(\.id))
        let config = AppConfig(providers: [provider], defaultProvider: providerName)
        let trust = FolderTrustGate(folder: project, files: [], status: .nothingToTrust, projectConfigWouldLoad: false)
        var setup = Setup(config: config, router: ProviderRouter(config: config), environment: demoEnvironment,
                          currentDirectory: project, trust: trust)
        setup.providers = .demo
        setup.isDemo = true
        setup.providerWasNamed = true
        setup.use(provider)
        return (setup, folder)
    }

    /// Removes the demo folder (best effort: it is in the temporary directory).
    static func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
