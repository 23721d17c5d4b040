import AgentCore
import TerminalUI

extension ThemeLoader {
    /// Walks a theme's JSON, remembering the palette, and throws errors naming the key.
    struct Reader {
        let file: String
        var palette: [String: ThemeColor] = [:]

        init(file: String) { self.file = file }

        func error(_ key: String, _ message: String, at value: JSONValue? = nil) -> ThemeError {
            ThemeError(file: file, key: key, message: message, position: value?.position)
        }

        func string(_ value: JSONValue, key: String) throws(ThemeError) -> String {
            guard case .string(let text) = value.kind else { throw error(key, "expected a string", at: value) }
            return text
        }

        mutating func readPalette(_ value: JSONValue) throws(ThemeError) {
            guard let members = value.members else {
                throw error("palette", "expected an object of colour names", at: value)
            }
            for member in members {
                let key = "palette." + member.key
                guard let color = try color(member.value, key: key, usePalette: true) else {
                    throw error(key, "unknown colour \(Self.shown(member.value)) (use #rrggbb, 0-255 or an ANSI name)",
                                at: member.value)
                }
                palette[member.key] = color
            }
        }

        func readRoles(_ value: JSONValue) throws(ThemeError) -> [ThemeRole: RoleSpec] {
            guard let members = value.members else { throw error("roles", "expected an object of roles", at: value) }
            var roles: [ThemeRole: RoleSpec] = [:]
            for member in members {
                guard let role = ThemeRole(rawValue: member.key) else {
                    throw ThemeError(file: file, key: "roles." + member.key, message: "unknown role (expected one of "
                                     + ThemeRole.allCases.map(\.rawValue).joined(separator: ", ") + ")",
                                     position: member.keyPosition)
                }
                roles[role] = try readRole(member.value, key: "roles." + member.key)
            }
            for role in ThemeRole.required where roles[role] == nil {
                throw error("roles." + role.rawValue, "missing", at: value)
            }
            return roles
        }

        /// A role is `{"fg", "bg", "attributes"}` or just a colour (its foreground).
        func readRole(_ value: JSONValue, key: String) throws(ThemeError) -> RoleSpec {
            guard let members = value.members else {
                return RoleSpec(foreground: try requiredColor(value, key: key + ".fg"))
            }
            var spec = RoleSpec()
            for member in members {
                let memberKey = key + "." + member.key
                switch member.key {
                case "fg": spec.foreground = try requiredColor(member.value, key: memberKey)
                case "bg": spec.background = try requiredColor(member.value, key: memberKey)
                case "attributes": spec.attributes = try attributes(member.value, key: memberKey)
                default:
                    throw ThemeError(file: file, key: memberKey, message: "unknown key (expected fg, bg or attributes)",
                                     position: member.keyPosition)
                }
            }
            guard value["fg"] != nil else { throw error(key + ".fg", "missing", at: value) }
            return spec
        }

        func requiredColor(_ value: JSONValue, key: String) throws(ThemeError) -> ThemeColor {
            guard let color = try color(value, key: key, usePalette: true) else {
                throw error(key, "unknown colour \(Self.shown(value))", at: value)
            }
            return color
        }

        /// The colour `value` names, nil when it names none; throws for a wrong JSON type
        /// or an index out of range.
        func color(_ value: JSONValue, key: String, usePalette: Bool) throws(ThemeError) -> ThemeColor? {
            switch value.kind {
            case .number(let number):
                guard let index = number.int, (0...255).contains(index) else {
                    throw error(key, "colour index \(number.text) is out of range 0-255", at: value)
                }
                return .indexed(UInt8(index))
            case .string(let text):
                if usePalette, let named = palette[text] { return named }
                return ThemeLoader.plainColor(text)
            default:
                throw error(key, "expected a colour (a string or a 0-255 number)", at: value)
            }
        }

        func attributes(_ value: JSONValue, key: String) throws(ThemeError) -> TextAttributes {
            let items: [(JSONValue, String)]
            switch value.kind {
            case .string: items = [(value, key)]
            case .array(let values): items = values.enumerated().map { ($1, "\(key)[\($0)]") }
            default: throw error(key, "expected a list of attributes", at: value)
            }
            var result: TextAttributes = []
            for (item, itemKey) in items {
                let name = try string(item, key: itemKey)
                guard let attribute = ThemeLoader.attributeNames[name.lowercased()] else {
                    throw error(itemKey, "unknown attribute \"\(name)\" (expected bold, dim, italic, underline or reverse)",
                                at: item)
                }
                result.formUnion(attribute)
            }
            return result
        }

        static func shown(_ value: JSONValue) -> String {
            switch value.kind {
            case .string(let text): "\"\(text)\""
            case .number(let number): number.text
            default: "value"
            }
        }
    }
}
