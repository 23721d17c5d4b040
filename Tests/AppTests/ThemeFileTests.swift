import Foundation
import Testing
@testable import App

/// The shipped themes are embedded in the binary; these copies must match `themes/*.json`
/// (regenerate with `themes/embed.sh`).
@Suite(.timeLimit(.minutes(2))) struct ThemeFileTests {
    static let themesFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes")

    @Test func eachThemeFileEqualsItsEmbeddedCopy() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesFolder.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.map { String($0.dropLast(5)) } == ShippedThemes.json.keys.sorted())
        for file in files {
            let text = try String(contentsOf: Self.themesFolder.appendingPathComponent(file), encoding: .utf8)
            let name = String(file.dropLast(5))
            #expect(ShippedThemes.json[name] == text, "themes/\(file) differs from its embedded copy: run themes/embed.sh")
        }
    }
}
