import AgentCore

/// `read_file`: a text file's lines, numbered, optionally a range; long files are cut with a
/// note saying how to read on.
struct ReadFileTool: BlockingTool {
    struct Request: Sendable {
        var path: ResolvedPath
        var startLine: Int
        var endLine: Int?
    }

    var definition: ToolDefinition {
        ToolDefinition(
            name: "read_file",
            description: """
                Read a text file in the project. Returns its lines numbered from 1 (number, tab, \
                text). Give start_line and/or end_line to read part of a long file; output stops \
                after a size limit with a note telling where to continue. Read a file before \
                editing it.
                """,
            parameters: Schema.object([
                .init(name: "path", type: "string", description: "File path, relative to the project root."),
                .init(name: "start_line", type: "integer", description: "First line to read (1-based). Default 1."),
                .init(name: "end_line", type: "integer", description: "Last line to read (inclusive). Default: end of file."),
            ], required: ["path"]))
    }

    var effect: ToolEffect { .read }

    func parse(_ arguments: String, context: ToolContext) throws(ToolError) -> Request {
        let arguments = try ToolArguments(arguments, tool: "read_file", allowed: ["path", "start_line", "end_line"])
        let path = try context.paths.resolve(arguments.string("path"))
        let start = try arguments.optionalInt("start_line") ?? 1
        let end = try arguments.optionalInt("end_line")
        guard start >= 1 else { throw ToolError("invalid arguments for read_file: start_line must be 1 or more") }
        if let end, end < start {
            throw ToolError("invalid arguments for read_file: end_line (\(end)) is before start_line (\(start))")
        }
        return Request(path: path, startLine: start, endLine: end)
    }

    func preview(_ request: Request, context: ToolContext) throws(ToolError) -> ToolPreview {
        ToolPreview(toolName: "read_file", keyArgument: request.path.relative, target: request.path.relative)
    }

    func perform(_ request: Request, context: ToolContext) throws(ToolError) -> ToolOutput {
        let bytes = try FileLoader.load(request.path, limits: context.limits, purpose: "read_file")
        guard !bytes.isEmpty else { return ToolOutput(content: "(empty file)", summary: "empty file") }
        let lines = TextBytes.lines(bytes)
        guard request.startLine <= lines.count else {
            throw ToolError("start_line \(request.startLine) is past the end of \(request.path.relative) (\(lineCountText(lines.count)))")
        }
        let lastWanted = min(request.endLine ?? lines.count, lines.count)
        var text = ""
        var byteCount = 0
        var lastShown = request.startLine - 1
        for number in request.startLine...lastWanted {
            let body = TextBytes.clip(TextBytes.string(TextBytes.content(of: lines[number - 1])),
                                      to: context.limits.lineMaxCharacters)
            let line = Self.pad(number) + "\t" + body + "\n"
            if lastShown >= request.startLine
                && (number - request.startLine >= context.limits.readMaxLines
                    || byteCount + line.utf8.count > context.limits.readMaxBytes) { break }
            text += line
            byteCount += line.utf8.count
            lastShown = number
        }
        let whole = request.startLine == 1 && lastShown == lines.count
        if lastShown < lastWanted {
            text += "[output cut at the size limit: showing lines \(request.startLine)-\(lastShown) of \(lines.count); "
                + "call read_file with start_line=\(lastShown + 1) to read more]\n"
        } else if !whole {
            text += "[lines \(request.startLine)-\(lastShown) of \(lines.count)]\n"
        }
        let summary = whole ? lineCountText(lines.count) : "lines \(request.startLine)-\(lastShown) of \(lines.count)"
        return ToolOutput(content: text, summary: summary)
    }

    /// A line number right-aligned in six columns, as `cat -n` prints it.
    static func pad(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: " ", count: max(0, 6 - digits.count)) + digits
    }
}

/// Loads a text file for the file tools with clear errors for the usual problems.
enum FileLoader {
    /// The file's bytes; refuses directories, missing files, huge files and binary files.
    static func load(_ path: ResolvedPath, limits: ToolLimits, purpose: String) throws(ToolError) -> [UInt8] {
        switch FileSystem.targetKind(path.absolute) {
        case nil: throw ToolError("not found: \(path.relative)")
        case .directory: throw ToolError("\(path.relative) is a directory; use list_directory to see its contents")
        case .file: break
        default: throw ToolError("\(path.relative) is not a regular file")
        }
        let size = FileSystem.size(path.absolute) ?? 0
        guard size <= limits.fileMaxBytes else {
            throw ToolError("\(path.relative) is \(size) bytes, over the \(limits.fileMaxBytes)-byte limit of "
                + "\(purpose); use search_files, or run_command with head/sed, to work with parts of it")
        }
        // Read no more than the cap even if the file grew since it was measured.
        let (bytes, grew) = try FileSystem.readPrefix(path.absolute, limit: limits.fileMaxBytes, display: path.relative)
        guard !grew else { throw ToolError("\(path.relative) grew past the \(limits.fileMaxBytes)-byte limit of \(purpose) while it was read") }
        guard !TextBytes.looksBinary(bytes) else {
            throw ToolError("\(path.relative) looks like a binary file (\(bytes.count) bytes); it is not shown")
        }
        return bytes
    }
}
