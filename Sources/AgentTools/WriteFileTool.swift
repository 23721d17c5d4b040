import AgentCore

/// `write_file`: creates or replaces a whole file, creating missing parent directories.
struct WriteFileTool: BlockingTool {
    struct Request: Sendable {
        var path: ResolvedPath
        var content: [UInt8]
    }

    var definition: ToolDefinition {
        ToolDefinition(
            name: "write_file",
            description: """
                Create a file, or replace all of an existing file's content. Missing parent \
                directories are created. To change part of an existing file prefer edit_file; \
                read the file first when replacing it.
                """,
            parameters: Schema.object([
                .init(name: "path", type: "string", description: "File path, relative to the project root."),
                .init(name: "content", type: "string", description: "The complete new content of the file."),
            ], required: ["path", "content"]))
    }

    var effect: ToolEffect { .write }

    func parse(_ arguments: String, context: ToolContext) throws(ToolError) -> Request {
        let arguments = try ToolArguments(arguments, tool: "write_file", allowed: ["path", "content"])
        let path = try context.paths.resolve(arguments.string("path"))
        let content = try arguments.string("content")
        if let kind = FileSystem.targetKind(path.absolute), kind != .file {
            throw ToolError("\(path.relative) exists and is not a regular file; write_file writes files only")
        }
        return Request(path: path, content: Array(content.utf8))
    }

    func preview(_ request: Request, context: ToolContext) throws(ToolError) -> ToolPreview {
        let limit = context.limits.fileMaxBytes
        guard let (existing, truncated) = try existingContent(request, limit: limit) else {
            let diff = UnifiedDiff(old: [], new: request.content, oldName: nil, newName: request.path.relative)
            return ToolPreview(toolName: "write_file", keyArgument: request.path.relative, detail: diff.text, target: request.path.relative)
        }
        if truncated || request.content.count > limit {
            // A diff needs both texts whole; the preview never reads past the read cap.
            let size = FileSystem.size(request.path.absolute) ?? existing.count
            let detail = "(replaces all of \(request.path.relative), \(size) bytes, with \(request.content.count) bytes; "
                + "too large to show as a diff, over the \(limit)-byte limit)"
            return ToolPreview(toolName: "write_file", keyArgument: request.path.relative, detail: detail, target: request.path.relative)
        }
        let diff = UnifiedDiff(old: existing, new: request.content, oldName: request.path.relative,
                               newName: request.path.relative)
        let detail = diff.text.isEmpty ? "(no changes: the file already has this content)" : diff.text
        return ToolPreview(toolName: "write_file", keyArgument: request.path.relative, detail: detail, target: request.path.relative)
    }

    func perform(_ request: Request, context: ToolContext) throws(ToolError) -> ToolOutput {
        let existed = FileSystem.targetKind(request.path.absolute) == .file
        let before = existed ? try Self.snapshot(request) : .absent
        try FileSystem.write(request.content, to: request.path.absolute, display: request.path.relative)
        let lines = TextBytes.lines(request.content).count
        let verb = existed ? "Wrote" : "Created"
        let lineCount = lineCountText(lines)
        return ToolOutput(content: "\(verb) \(request.path.relative) (\(lineCount), \(request.content.count) bytes)",
                          summary: existed ? "wrote \(lineCount)" : "created · \(lineCount)",
                          fileChange: FileChange(path: request.path.relative, before: before, after: .of(request.content)))
    }

    /// The file as it is before the write, for rewinding: its content up to the cap, else its size.
    private static func snapshot(_ request: Request) throws(ToolError) -> FileSnapshot {
        let cap = FileCheckpoint.maxStoredBytes
        let prefix = try FileSystem.readPrefix(request.path.absolute, limit: cap, display: request.path.relative)
        guard prefix.truncated else { return .content(prefix.bytes) }
        return .tooLarge(hash: nil, size: FileSystem.size(request.path.absolute) ?? cap + 1)
    }

    private func existingContent(_ request: Request, limit: Int) throws(ToolError) -> ([UInt8], Bool)? {
        guard FileSystem.targetKind(request.path.absolute) == .file else { return nil }
        let prefix = try FileSystem.readPrefix(request.path.absolute, limit: limit, display: request.path.relative)
        return (prefix.bytes, prefix.truncated)
    }
}
