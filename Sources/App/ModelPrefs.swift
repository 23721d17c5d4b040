import FoundationEssentials

/// Favourite and recently used models, as `provider/model` keys; shown on top of the model
/// picker and persisted in `$XDG_STATE_HOME/swiftcoder/models.json` (D115).
public struct ModelPrefs: Sendable, Hashable, Codable {
    /// Starred models, in the order they were starred.
    public var favourites: [String] = []
    /// Models switched to, most recent first, at most `maxRecents`.
    public var recents: [String] = []

    /// Recents kept.
    public static let maxRecents = 5
    /// Favourites kept (a hostile file cannot grow the picker without bound).
    public static let maxFavourites = 200
    /// Largest file read.
    public static let maxFileBytes = 64 * 1024

    public init(favourites: [String] = [], recents: [String] = []) {
        self.favourites = favourites
        self.recents = recents
    }

    /// The key of a model on a provider.
    public static func key(provider: String, model: String) -> String { provider + "/" + model }

    public func isFavourite(_ key: String) -> Bool { favourites.contains(key) }

    /// Stars `key`, or unstars it when starred.
    public mutating func toggleFavourite(_ key: String) {
        if let index = favourites.firstIndex(of: key) {
            favourites.remove(at: index)
        } else if favourites.count < Self.maxFavourites {
            favourites.append(key)
        }
    }

    /// Puts `key` first among the recents.
    public mutating func used(_ key: String) {
        recents.removeAll { $0 == key }
        recents.insert(key, at: 0)
        if recents.count > Self.maxRecents { recents.removeLast(recents.count - Self.maxRecents) }
    }

    /// Where `key` sorts in the picker: favourites first (in starring order), then recents
    /// (most recent first); nil for the rest.
    public func rank(_ key: String) -> Int? {
        if let index = favourites.firstIndex(of: key) { return index }
        if let index = recents.firstIndex(of: key) { return Self.maxFavourites + index }
        return nil
    }

    /// Decodes a stored file; unknown keys are ignored, oversized lists are cut.
    public static func decode(_ data: Data) throws -> ModelPrefs {
        guard data.count <= maxFileBytes else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "larger than \(maxFileBytes) bytes"))
        }
        var prefs = try JSONDecoder().decode(ModelPrefs.self, from: data)
        prefs.favourites = Array(prefs.favourites.prefix(maxFavourites))
        prefs.recents = Array(prefs.recents.prefix(maxRecents))
        return prefs
    }

    /// The file's contents.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}
