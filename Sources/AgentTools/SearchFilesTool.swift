import AgentCore

/// `search_files`: lines matching a regular expression, with optional context, honouring
/// `.gitignore` and skipping binary and huge files.
struct SearchFilesTool: BlockingTool {
    struct Request: Sendable {
        var pattern: String
        var base: ResolvedPath
        var glob: String?
        var contextLines: Int
        var caseInsensitive: Bool
    }

    var definition: ToolDefinition {
        ToolDefinition(
            name: "search_files",
            description: """
                Search file contents with a regular expression (Swift/PCRE-style syntax, e.g. \
                "func \\\\w+\\\\(", "TODO|FIXME"). Prints path:line:text for each matching line \
                (context lines as path-line-text, groups separated by --). Skips files ignored by \
                .gitignore, binary files and .git. Results are capped; narrow with path or glob.
                """,
            parameters: Schema.object([
                .init(name: "pattern", type: "string", description: "Regular expression to find in lines."),
                .init(name: "path", type: "string", description: "File or directory to search, relative to the project root. Default \".\"."),
                .init(name: "glob", type: "string", description: "Only search files matching this glob, e.g. \"*.swift\" or \"src/**/*.ts\"."),
                .init(name: "context_lines", type: "integer", description: "Lines of context before and after each match (0-10). Default 0."),
                .init(name: "case_insensitive", type: "boolean", description: "Ignore case. Default false."),
            ], required: ["pattern"]))
    }

    var effect: ToolEffect { .read }

    func parse(_ arguments: String, context: ToolContext) throws(ToolError) -> Request {
        let arguments = try ToolArguments(arguments, tool: "search_files",
                                          allowed: ["pattern", "path", "glob", "context_lines", "case_insensitive"])
        let pattern = try arguments.string("pattern")
        guard !pattern.isEmpty else { throw ToolError("invalid arguments for search_files: the pattern is empty") }
        _ = try Self.compile(pattern, caseInsensitive: false)
        let contextLines = try arguments.optionalInt("context_lines") ?? 0
        guard (0...10).contains(contextLines) else {
            throw ToolError("invalid arguments for search_files: context_lines must be between 0 and 10")
        }
        let glob = try arguments.optionalString("glob")
        if let glob { try NameFilter.check(glob, tool: "search_files") }
        return Request(pattern: pattern, base: try context.paths.resolve(arguments.optionalString("path") ?? "."),
                       glob: glob, contextLines: contextLines,
                       caseInsensitive: try arguments.optionalBool("case_insensitive") ?? false)
    }

    static func compile(_ pattern: String, caseInsensitive: Bool) throws(ToolError) -> Regex<AnyRegexOutput> {
        do {
            let regex = try Regex(pattern)
            return caseInsensitive ? regex.ignoresCase() : regex
        } catch {
            throw ToolError("invalid regular expression \"\(pattern)\": \(error)")
        }
    }

    func preview(_ request: Request, context: ToolContext) throws(ToolError) -> ToolPreview {
        ToolPreview(toolName: "search_files", keyArgument: request.pattern, target: request.base.relative)
    }

    func perform(_ request: Request, context: ToolContext) throws(ToolError) -> ToolOutput {
        guard FileSystem.targetKind(request.base.absolute) != nil else { throw ToolError("not found: \(request.base.relative)") }
        let regex = try Self.compile(request.pattern, caseInsensitive: request.caseInsensitive)
        let filter = request.glob.map(NameFilter.init)
        var report = SearchReport(limit: context.limits.searchMaxMatches, contextLines: request.contextLines,
                                  lineLimit: context.limits.lineMaxCharacters)
        ProjectWalker(context: context).walk(from: request.base) { entry in
            if let filter, !filter.matches(entry.relative, under: request.base.relative) { return true }
            guard let size = FileSystem.size(entry.absolute), size <= context.limits.fileMaxBytes,
                  let (bytes, _) = try? FileSystem.readPrefix(entry.absolute, limit: context.limits.fileMaxBytes, display: entry.relative),
                  !TextBytes.looksBinary(bytes) else { return true }
            let lines = TextBytes.lines(bytes).map { TextBytes.string(TextBytes.content(of: $0)) }
            let matching = lines.indices.filter { lines[$0].contains(regex) }
            return report.add(path: entry.relative, lines: lines, matching: matching)
        }
        guard report.matchCount > 0 else {
            return ToolOutput(content: "No matches for /\(request.pattern)/ in \(request.base.relative)", summary: "no matches")
        }
        var text = report.text
        if report.stopped {
            text += "[stopped after \(report.matchCount) matches; narrow the pattern, path or glob to see the rest]\n"
        }
        let files = report.fileCount == 1 ? "1 file" : "\(report.fileCount) files"
        return ToolOutput(content: text, summary: "\(report.matchCount)\(report.stopped ? "+" : "") matches in \(files)")
    }
}

/// Collects `search_files` output in ripgrep's format. Pure.
struct SearchReport: Sendable {
    let limit: Int
    let contextLines: Int
    let lineLimit: Int
    private(set) var text = ""
    private(set) var matchCount = 0
    private(set) var fileCount = 0
    private(set) var stopped = false

    init(limit: Int, contextLines: Int, lineLimit: Int) {
        self.limit = limit
        self.contextLines = contextLines
        self.lineLimit = lineLimit
    }

    /// Adds one file's matching line indices; returns false once the cap is reached.
    mutating func add(path: String, lines: [String], matching: [Int]) -> Bool {
        guard !matching.isEmpty else { return true }
        fileCount += 1
        var lastPrinted = -1
        for index in matching {
            guard matchCount < limit else { stopped = true; return false }
            let from = max(index - contextLines, lastPrinted + 1)
            if contextLines > 0 && lastPrinted >= 0 && from > lastPrinted + 1 { text += "--\n" }
            for contextIndex in from..<index { text += line(path, contextIndex, lines, separator: "-") }
            if index > lastPrinted { text += line(path, index, lines, separator: ":") }
            matchCount += 1
            lastPrinted = index
            // Trailing context, stopping before the next match (printed as a match).
            let next = matching.first(where: { $0 > index }) ?? Int.max
            for after in (index + 1)..<min(lines.count, index + contextLines + 1) where after < next {
                text += line(path, after, lines, separator: "-")
                lastPrinted = after
            }
        }
        if contextLines > 0 { text += "--\n" }
        return true
    }

    private func line(_ path: String, _ index: Int, _ lines: [String], separator: String) -> String {
        path + separator + String(index + 1) + separator + TextBytes.clip(lines[index], to: lineLimit) + "\n"
    }
}
