import AppRuntime
import Foundation
import Testing
import TerminalUI
@testable import App

/// A valid theme file with every required role, `overrides` replacing whole role entries.
func themeJSON(palette: String = ##"{"green": "#00ff00"}"##, overrides: [String: String] = [:],
               omitting omitted: Set<String> = [], extra: String = "") -> String {
    let roles = ThemeRole.required.filter { !omitted.contains($0.rawValue) }.map { role in
        "\"\(role.rawValue)\": " + (overrides[role.rawValue] ?? #"{"fg": "default"}"#)
    }
    return "{\n\"palette\": \(palette),\(extra)\n\"roles\": {\n" + roles.joined(separator: ",\n") + "\n}\n}\n"
}

@Suite(.timeLimit(.minutes(2))) struct ThemeLoaderTests {
    @Test func aGoodFileGivesEveryRoleItsColoursAndAttributes() throws {
        let json = themeJSON(palette: ##"{"leaf": "#87d787", "ink": "brightBlue", "alias": "leaf"}"##, overrides: [
            "text": #"{"fg": "ink"}"#,
            "accent": #"{"fg": 33, "attributes": ["bold", "underline"]}"#,
            "selection": ##"{"fg": "default", "bg": "#303030", "attributes": "reverse"}"##,
            "success": #""alias""#,
            "error": #"{"fg": "bright-red", "bg": "196"}"#,
            "muted": #"{"fg": "gray", "attributes": ["dim", "italic"]}"#,
        ], extra: #" "name": "leafy", "appearance": "light", "description": "test","#)
        let spec = try ThemeLoader.parse(json, file: "themes/x.json")
        #expect(spec.name == "leafy")
        #expect(spec.appearance == .light)
        let theme = spec.resolved(for: .xterm256)
        #expect(theme.text == Style(foreground: .ansi(12)))
        #expect(theme.accent == Style(foreground: .indexed(33), attributes: [.bold, .underline]))
        #expect(theme.selection == Style(background: .indexed(236), attributes: .reverse))
        #expect(theme.success == Style(foreground: .indexed(114)))
        #expect(theme.error == Style(foreground: .ansi(9), background: .indexed(196)))
        #expect(theme.muted == Style(foreground: .ansi(8), attributes: [.dim, .italic]))
        #expect(theme.meter == Style(foreground: .ansi(12), attributes: .reverse))  // optional role: reversed text
        #expect(theme.input == theme.text)
        let sixteen = spec.resolved(for: .ansi16)
        #expect(sixteen.success == Style(foreground: .ansi(10)))
        #expect(sixteen.error == Style(foreground: .ansi(9), background: .ansi(9)))
        let mono = spec.resolved(for: .monochrome)
        #expect(mono.accent == Style(attributes: [.bold, .underline]))
        #expect(mono.error == .plain)
    }

    @Test func theNameDefaultsToTheFileName() throws {
        #expect(try ThemeLoader.parse(themeJSON(), file: "/home/me/.config/swiftcoder/themes/mine.json").name == "mine")
    }

    /// Each kind of mistake is reported with the file and the key at fault.
    @Test(arguments: [
        (themeJSON(overrides: ["diffAdded": #"{"fg": "grean"}"#]), "roles.diffAdded.fg", #"unknown colour "grean""#),
        (themeJSON(overrides: ["text": #"{"fg": 300}"#]), "roles.text.fg", "out of range 0-255"),
        (themeJSON(overrides: ["text": ##"{"fg": "#12345"}"##]), "roles.text.fg", ##"unknown colour "#12345""##),
        (themeJSON(overrides: ["text": #"{"fg": true}"#]), "roles.text.fg", "expected a colour"),
        (themeJSON(overrides: ["text": #"{"bg": "red"}"#]), "roles.text.fg", "missing"),
        (themeJSON(overrides: ["text": #"{"fg": "red", "fgg": "blue"}"#]), "roles.text.fgg", "unknown key"),
        (themeJSON(overrides: ["warning": #"{"fg": "red", "attributes": ["bold", "blink"]}"#]),
         "roles.warning.attributes[1]", #"unknown attribute "blink""#),
        (themeJSON(omitting: ["tool"]), "roles.tool", "missing"),
        (themeJSON(overrides: ["text": #"{"fg": "red"}, "texts": {"fg": "red"}"#]), "roles.texts", "unknown role"),
        (themeJSON(palette: ##"{"bg": "#zzzzzz"}"##), "palette.bg", ##"unknown colour "#zzzzzz""##),
        (themeJSON(palette: #"["red"]"#), "palette", "expected an object"),
        (themeJSON(extra: #" "appearance": "dim","#), "appearance", "expected \"dark\" or \"light\""),
        (themeJSON(extra: #" "colours": {},"#), "colours", "unknown key"),
        (#"{"name": "x"}"#, "roles", "missing"),
        (#"{"roles": {"text": }"#, "", "(line 1, column"),
        ("[1]", "", "expected a JSON object"),
    ])
    func mistakesNameTheFileAndTheKey(json: String, key: String, message: String) {
        #expect {
            _ = try ThemeLoader.parse(json, file: "themes/x.json")
        } throws: { error in
            guard let error = error as? ThemeError else { return false }
            let prefix = key.isEmpty ? "themes/x.json: " : "themes/x.json: \(key): "
            return error.file == "themes/x.json" && error.key == key && error.description.hasPrefix(prefix)
                && error.description.contains(message)
        }
    }

    @Test func theExampleFromTheIssueReadsAsWritten() {
        let json = themeJSON(overrides: ["diffAdded": #"{"fg": "grean"}"#])
        #expect(throws: ThemeError.self) { try ThemeLoader.parse(json, file: "themes/x.json") }
        do {
            _ = try ThemeLoader.parse(json, file: "themes/x.json")
        } catch {
            #expect(error.description.hasPrefix(#"themes/x.json: roles.diffAdded.fg: unknown colour "grean" (line "#))
        }
    }
}

@Suite(.timeLimit(.minutes(2))) struct ThemeCatalogTests {
    @Test func everyShippedThemeLoadsAtEveryDepth() throws {
        let names = ThemeCatalog.shippedNames
        #expect(names.count >= 6)
        for required in ["default-dark", "default-light", "solarized-dark", "solarized-light", "gruvbox-dark",
                         "tokyo-night", "ansi16", "monochrome"] {
            #expect(names.contains(required))
        }
        var appearances: Set<ThemeSpec.Appearance> = []
        for name in names {
            let spec = try ThemeCatalog().spec(named: name)
            if let appearance = spec.appearance { appearances.insert(appearance) }
            #expect(spec.name == name)
            for depth in [ColorDepth.xterm256, .ansi16, .monochrome] {
                let selection = ThemeCatalog().load(name, depth: depth)
                #expect(selection.problem == nil)
                #expect(selection.theme.name == name)
            }
        }
        #expect(appearances == [.dark, .light])
    }

    @Test func sixteenColourDepthUsesOnlyANSIColours() {
        for name in ThemeCatalog.shippedNames {
            let theme = ThemeCatalog().load(name, depth: .ansi16).theme
            for role in ThemeRole.allCases {
                for color in [theme.style(role).foreground, theme.style(role).background] {
                    if case .indexed = color { Issue.record("\(name).\(role) is \(color) at 16 colours") }
                }
            }
        }
        let ansi = ThemeCatalog().load("ansi16", depth: .xterm256).theme
        #expect(ThemeRole.allCases.allSatisfy { role in
            if case .indexed = ansi.style(role).foreground { return false }
            return true
        })
    }

    @Test func aBrokenThemeFallsBackToTheDefaultWithTheMessage() {
        let catalog = ThemeCatalog(userThemes: [
            "broken": UserThemeFile(path: "/cfg/themes/broken.json",
                                    text: themeJSON(overrides: ["diffAdded": #"{"fg": "grean"}"#])),
        ])
        let selection = catalog.load("broken", depth: .xterm256)
        #expect(selection.theme == ThemeCatalog().load("default-dark", depth: .xterm256).theme)
        #expect(selection.problem?.contains(#"/cfg/themes/broken.json: roles.diffAdded.fg: unknown colour "grean""#) == true)
        let unknown = catalog.load("nope", depth: .ansi16)
        #expect(unknown.theme.name == "default-dark")
        #expect(unknown.problem?.contains("no such theme") == true)
        #expect(unknown.problem?.contains("broken") == true)  // the list of available themes
    }

    @Test func userThemesOverrideAndExtendTheShippedOnes() throws {
        let own = themeJSON(overrides: ["text": #"{"fg": "green"}"#])
        let catalog = ThemeCatalog(userThemes: [
            "default-dark": UserThemeFile(path: "/cfg/default-dark.json", text: own),
            "mine": UserThemeFile(path: "/cfg/mine.json", text: own),
        ])
        #expect(catalog.names == (ThemeCatalog.shippedNames + ["mine"]).sorted())
        #expect(catalog.isUserTheme("mine") && catalog.isUserTheme("default-dark") && !catalog.isUserTheme("ansi16"))
        #expect(catalog.load(nil, depth: .xterm256).theme.text == Style(foreground: .indexed(46)))  // the palette's green
        #expect(catalog.load("mine", depth: .xterm256).theme.name == "mine")
    }

    @Test func noColorSelectsTheMonochromeTheme() {
        let catalog = ThemeCatalog()
        let mono = catalog.select("tokyo-night", colorCount: 256, environment: ["NO_COLOR": "1"])
        #expect(mono.theme.name == "monochrome")
        #expect(mono.problem == nil)
        for role in ThemeRole.allCases {
            #expect(mono.theme.style(role).foreground == .default && mono.theme.style(role).background == .default)
        }
        #expect(mono.theme.selection.attributes.contains(.reverse))
        #expect(catalog.select("tokyo-night", colorCount: 256, environment: ["NO_COLOR": ""]).theme.name == "tokyo-night")
        #expect(catalog.select("tokyo-night", colorCount: 0, environment: [:]).theme.name == "monochrome")
        let eight = catalog.select("tokyo-night", colorCount: 8, environment: [:]).theme
        #expect(eight.accent.foreground == .ansi(ColorMapping.nearestANSI16(0x7a, 0xa2, 0xf7)))
        #expect(Theme.standard.name == "default-dark")
    }

    @Test func userThemesAreReadFromTheXDGFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("themes-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("swiftcoder/themes")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try themeJSON().write(to: folder.appendingPathComponent("mine.json"), atomically: true, encoding: .utf8)
        try "not a theme".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let environment = ["XDG_CONFIG_HOME": root.path, "HOME": "/nonexistent"]
        let (themes, problems) = ThemeCatalog.readUserThemes(environment: environment)
        #expect(problems.isEmpty)
        #expect(Array(themes.keys) == ["mine"])
        #expect(themes["mine"]?.path == folder.path + "/mine.json")
        #expect(ThemeCatalog.userThemeDirectory(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/h"])
                == "/h/.config/swiftcoder/themes")
        #expect(ThemeCatalog.userThemeDirectory(environment: [:]) == nil)
        #expect(ThemeCatalog.readUserThemes(environment: ["HOME": "/nonexistent"]).themes.isEmpty)
    }
}
