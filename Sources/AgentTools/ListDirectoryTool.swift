import AgentCore

/// `list_directory`: the entries of one directory, directories marked with a trailing `/`.
struct ListDirectoryTool: BlockingTool {
    struct Request: Sendable {
        var path: ResolvedPath
    }

    var definition: ToolDefinition {
        ToolDefinition(
            name: "list_directory",
            description: """
                List the files and directories directly inside a directory of the project \
                (directories end with /, symlinks show their target). Use find_files to search \
                a whole tree.
                """,
            parameters: Schema.object([
                .init(name: "path", type: "string", description: "Directory path, relative to the project root. Default \".\"."),
            ], required: []))
    }

    var effect: ToolEffect { .read }

    func parse(_ arguments: String, context: ToolContext) throws(ToolError) -> Request {
        let arguments = try ToolArguments(arguments, tool: "list_directory", allowed: ["path"])
        return Request(path: try context.paths.resolve(arguments.optionalString("path") ?? "."))
    }

    func preview(_ request: Request, context: ToolContext) throws(ToolError) -> ToolPreview {
        ToolPreview(toolName: "list_directory", keyArgument: request.path.relative, target: request.path.relative)
    }

    func perform(_ request: Request, context: ToolContext) throws(ToolError) -> ToolOutput {
        let directory = request.path
        switch FileSystem.targetKind(directory.absolute) {
        case nil: throw ToolError("not found: \(directory.relative)")
        case .directory: break
        default: throw ToolError("\(directory.relative) is not a directory; use read_file to read a file")
        }
        guard let names = FileSystem.entries(directory.absolute) else {
            throw ToolError("cannot list \(directory.relative): \(FileSystem.errorText())")
        }
        let visible = names.filter { $0 != ".git" }
        guard !visible.isEmpty else { return ToolOutput(content: "(empty directory)", summary: "empty directory") }
        let shown = visible.prefix(context.limits.listMaxEntries)
        var lines = shown.map { describe(name: $0, in: directory.absolute) }
        if shown.count < visible.count {
            lines.append("[showing \(shown.count) of \(visible.count) entries; use find_files with a pattern to narrow]")
        }
        return ToolOutput(content: lines.joined(separator: "\n"), summary: "\(visible.count) entries")
    }

    private func describe(name: String, in directory: String) -> String {
        let path = directory + "/" + name
        switch FileSystem.kind(path) {
        case .directory: return name + "/"
        case .symlink:
            let target = (try? ProjectPaths.readLinkTarget(path)) ?? "?"
            return name + (FileSystem.targetKind(path) == .directory ? "/" : "") + " -> " + target
        default: return name
        }
    }
}
