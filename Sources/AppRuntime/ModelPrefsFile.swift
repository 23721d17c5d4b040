import App
import FoundationEssentials
import Glibc

/// Favourite and recent models: `$XDG_STATE_HOME/swiftcoder/models.json` (D115). Written
/// atomically (a temporary file in the same folder, then `rename`); a corrupt file is
/// reported once and replaced on the next save.
public struct ModelPrefsFile: Sendable {
    /// The file (`models.json` in the state folder).
    public let path: String

    public init(path: String) { self.path = path }

    /// The stored prefs (empty when there is no file) and a warning when the file is unreadable.
    public func load() -> (ModelPrefs, warning: String?) {
        guard FileManager.default.fileExists(atPath: path) else { return (ModelPrefs(), nil) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return (ModelPrefs(), "Cannot read \(path); favourite models start empty.")
        }
        do {
            return (try ModelPrefs.decode(data), nil)
        } catch {
            return (ModelPrefs(), "Ignored \(path): not a valid favourites file (it is rewritten on the next change).")
        }
    }

    /// Writes `prefs` whole or not at all; false when it could not.
    @discardableResult
    public func save(_ prefs: ModelPrefs) -> Bool {
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: prefs.encoded()) else { return false }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }
}

/// Saves in order, one at a time, keeping only the newest pending state (two quick stars
/// never let the older one land last).
public final class ModelPrefsWriter: Sendable {
    private let continuation: AsyncStream<ModelPrefs>.Continuation

    /// A writer that saves to `file` from its own task.
    public init(file: ModelPrefsFile) {
        let (stream, continuation) = AsyncStream.makeStream(of: ModelPrefs.self, bufferingPolicy: .bufferingNewest(1))
        self.continuation = continuation
        Task.detached {
            for await prefs in stream { file.save(prefs) }
        }
    }

    deinit { continuation.finish() }

    /// Queues `prefs` to be written (replacing a pending older state).
    public func save(_ prefs: ModelPrefs) { continuation.yield(prefs) }
}
