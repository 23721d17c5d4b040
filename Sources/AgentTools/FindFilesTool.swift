import AgentCore

/// `find_files`: paths matching a glob, honouring `.gitignore`.
struct FindFilesTool: BlockingTool {
    struct Request: Sendable {
        var pattern: String
        var base: ResolvedPath
    }

    var definition: ToolDefinition {
        ToolDefinition(
            name: "find_files",
            description: """
                Find files by glob pattern, e.g. "**/*.swift", "src/**/*.{ts,tsx}", "Package.swift". \
                A pattern without "/" matches file names at any depth. Files ignored by .gitignore \
                and the .git directory are skipped. Returns paths relative to the project root, sorted.
                """,
            parameters: Schema.object([
                .init(name: "pattern", type: "string", description: "Glob: * ? [abc] {a,b} and ** for any directories."),
                .init(name: "path", type: "string", description: "Directory to search, relative to the project root. Default \".\"."),
            ], required: ["pattern"]))
    }

    var effect: ToolEffect { .read }

    func parse(_ arguments: String, context: ToolContext) throws(ToolError) -> Request {
        let arguments = try ToolArguments(arguments, tool: "find_files", allowed: ["pattern", "path"])
        let pattern = try arguments.string("pattern")
        guard !pattern.trimmingWhitespace.isEmpty else { throw ToolError("invalid arguments for find_files: the pattern is empty") }
        try NameFilter.check(pattern, tool: "find_files")
        let base = try context.paths.resolve(arguments.optionalString("path") ?? ".")
        return Request(pattern: pattern, base: base)
    }

    func preview(_ request: Request, context: ToolContext) throws(ToolError) -> ToolPreview {
        ToolPreview(toolName: "find_files", keyArgument: request.pattern, target: request.base.relative)
    }

    func perform(_ request: Request, context: ToolContext) throws(ToolError) -> ToolOutput {
        guard FileSystem.targetKind(request.base.absolute) == .directory else {
            throw ToolError("not a directory: \(request.base.relative)")
        }
        let matcher = NameFilter(request.pattern)
        let limit = context.limits.findMaxResults
        var found: [String] = []
        var more = false
        ProjectWalker(context: context).walk(from: request.base) { entry in
            guard matcher.matches(entry.relative, under: request.base.relative) else { return true }
            guard found.count < limit else { more = true; return false }
            found.append(entry.relative)
            return true
        }
        guard !found.isEmpty else {
            return ToolOutput(content: "No files match \"\(request.pattern)\" in \(request.base.relative)", summary: "no matches")
        }
        var text = found.joined(separator: "\n")
        if more { text += "\n[stopped at \(limit) files; use a narrower pattern or path]" }
        return ToolOutput(content: text, summary: more ? "\(limit)+ files" : "\(found.count) files")
    }
}

/// A glob (braces expanded) matched against a path relative to a base directory; a pattern
/// without `/` matches the name at any depth.
struct NameFilter: Sendable {
    private let patterns: [GlobPattern]

    init(_ pattern: String) {
        patterns = GlobPattern.expandingBraces(pattern).map { option in
            var text = option
            while text.hasPrefix("./") { text.removeFirst(2) }
            if text.hasPrefix("/") { text.removeFirst() }
            return GlobPattern(text.contains("/") ? text : "**/" + text)
        }
    }

    /// Patterns longer than this are refused (a real glob is a few dozen characters).
    static let maxPatternLength = 4096

    /// Refuses a pattern too long, or whose braces expand to too many alternatives.
    static func check(_ pattern: String, tool: String) throws(ToolError) {
        guard pattern.utf8.count <= maxPatternLength else {
            throw ToolError("invalid arguments for \(tool): the glob is longer than \(maxPatternLength) bytes")
        }
        guard Glob.braceExpansion(pattern).complete else {
            throw ToolError("invalid arguments for \(tool): the glob's braces expand to more than "
                + "\(Glob.braceExpansionLimit) alternatives; use fewer or smaller {a,b} groups")
        }
    }

    /// `path` and `base` are relative to the root; `base` is "." for the root.
    func matches(_ path: String, under base: String) -> Bool {
        let relative = base == "." ? path : (path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path)
        return patterns.contains { $0.matches(relative) }
    }
}
