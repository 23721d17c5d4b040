import AgentCore

/// `edit_file`: replaces one exact occurrence of a text in a file.
///
/// Works on bytes, not `String` (where `"\r\n"` is one character and `"\n"` would never match
/// inside it). In a CRLF file, `\n` in old_string and new_string stands for `\r\n`, so the
/// file keeps its endings. A file without a final newline keeps lacking one, even when
/// old_string ends with a newline the file does not have.
struct EditFileTool: BlockingTool {
    struct Request: Sendable {
        var path: ResolvedPath
        var oldString: String
        var newString: String
    }

    /// A planned edit: the file before and after, and where the new text landed.
    struct Plan: Sendable, Hashable {
        var before: [UInt8]
        var after: [UInt8]
        /// Byte range of the inserted text in `after`.
        var inserted: Range<Int>
    }

    var definition: ToolDefinition {
        ToolDefinition(
            name: "edit_file",
            description: """
                Replace exactly one occurrence of old_string with new_string in a file. \
                old_string must match the file exactly, including whitespace and indentation, \
                and must be unique: include enough surrounding lines to identify the place. \
                Read the file first. To delete text use an empty new_string.
                """,
            parameters: Schema.object([
                .init(name: "path", type: "string", description: "File path, relative to the project root."),
                .init(name: "old_string", type: "string", description: "The exact text to replace (unique in the file)."),
                .init(name: "new_string", type: "string", description: "The text to put in its place."),
            ], required: ["path", "old_string", "new_string"]))
    }

    var effect: ToolEffect { .write }

    func parse(_ arguments: String, context: ToolContext) throws(ToolError) -> Request {
        let arguments = try ToolArguments(arguments, tool: "edit_file", allowed: ["path", "old_string", "new_string"])
        let path = try context.paths.resolve(arguments.string("path"))
        return Request(path: path, oldString: try arguments.string("old_string"),
                       newString: try arguments.string("new_string"))
    }

    func preview(_ request: Request, context: ToolContext) throws(ToolError) -> ToolPreview {
        let plan = try plan(request, limits: context.limits)
        let diff = UnifiedDiff(old: plan.before, new: plan.after, oldName: request.path.relative,
                               newName: request.path.relative)
        return ToolPreview(toolName: "edit_file", keyArgument: request.path.relative, detail: diff.text, target: request.path.relative)
    }

    func perform(_ request: Request, context: ToolContext) throws(ToolError) -> ToolOutput {
        let plan = try plan(request, limits: context.limits)
        try FileSystem.write(plan.after, to: request.path.absolute, display: request.path.relative)
        let diff = UnifiedDiff(old: plan.before, new: plan.after, oldName: nil, newName: request.path.relative)
        let content = "Edited \(request.path.relative). The changed region now reads:\n" + Self.snippet(plan)
        return ToolOutput(content: content, summary: "edited · +\(diff.added) −\(diff.removed)",
                          fileChange: FileChange(path: request.path.relative, before: .of(plan.before), after: .of(plan.after)))
    }

    private func plan(_ request: Request, limits: ToolLimits) throws(ToolError) -> Plan {
        let before = try FileLoader.load(request.path, limits: limits, purpose: "edit_file")
        return try Self.replace(request.oldString, with: request.newString, in: before, name: request.path.relative)
    }

    /// Replaces the single occurrence of `old` in `content`, or explains why it cannot. Pure.
    static func replace(_ old: String, with new: String, in content: [UInt8], name: String) throws(ToolError) -> Plan {
        guard !old.isEmpty else {
            throw ToolError("old_string is empty; to create or replace a whole file use write_file, to insert "
                + "text include a neighbouring line in old_string and new_string")
        }
        guard old != new else { throw ToolError("old_string and new_string are identical; nothing would change") }
        let usesCRLF = TextBytes.occurrences(of: [TextBytes.carriageReturn, TextBytes.newline], in: content).count > 0
        var candidates: [([UInt8], [UInt8])] = []
        if usesCRLF { candidates.append((crlf(old), crlf(new))) }
        candidates.append((Array(old.utf8), Array(new.utf8)))
        for (oldBytes, newBytes) in candidates {
            let matches = TextBytes.occurrences(of: oldBytes, in: content)
            if matches.count > 1 {
                throw ToolError("old_string matches \(matches.count) places in \(name); include more surrounding "
                    + "lines so that it matches exactly one")
            }
            if let start = matches.first {
                let after = Array(content[..<start]) + newBytes + Array(content[(start + oldBytes.count)...])
                return Plan(before: content, after: after, inserted: start..<(start + newBytes.count))
            }
        }
        if let plan = replaceAtEndWithoutNewline(candidates[0], in: content, usesCRLF: usesCRLF) { return plan }
        throw ToolError("old_string was not found in \(name); it must match the file exactly, including "
            + "whitespace and indentation. Read the file again to see its current text")
    }

    /// Handles an old_string ending in a newline that the file's last line does not have.
    private static func replaceAtEndWithoutNewline(_ pair: ([UInt8], [UInt8]), in content: [UInt8],
                                                   usesCRLF: Bool) -> Plan? {
        let terminator: [UInt8] = usesCRLF ? [TextBytes.carriageReturn, TextBytes.newline] : [TextBytes.newline]
        let (old, new) = pair
        guard content.last != TextBytes.newline, old.count > terminator.count, old.suffix(terminator.count).elementsEqual(terminator) else {
            return nil
        }
        let trimmedOld = old.dropLast(terminator.count)
        guard content.count >= trimmedOld.count, content.suffix(trimmedOld.count).elementsEqual(trimmedOld) else {
            return nil
        }
        let start = content.count - trimmedOld.count
        let newBody = new.suffix(terminator.count).elementsEqual(terminator) ? Array(new.dropLast(terminator.count)) : new
        return Plan(before: content, after: Array(content[..<start]) + newBody,
                    inserted: start..<(start + newBody.count))
    }

    /// `text` with every `\n` not already after a `\r` written as `\r\n`.
    static func crlf(_ text: String) -> [UInt8] {
        var result: [UInt8] = []
        for byte in text.utf8 {
            if byte == TextBytes.newline && result.last != TextBytes.carriageReturn {
                result.append(TextBytes.carriageReturn)
            }
            result.append(byte)
        }
        return result
    }

    /// The edited lines with three lines around them, numbered, so the model sees the result.
    static func snippet(_ plan: Plan) -> String {
        let lines = TextBytes.lines(plan.after)
        guard !lines.isEmpty else { return "(the file is now empty)\n" }
        let firstLine = plan.after[..<plan.inserted.lowerBound].count(where: { $0 == TextBytes.newline })
        let insertedLines = plan.after[plan.inserted].count(where: { $0 == TextBytes.newline })
        let lower = max(0, firstLine - 3)
        let upper = min(lines.count - 1, firstLine + insertedLines + 3)
        guard lower <= upper else { return "" }
        return (lower...upper).map { ReadFileTool.pad($0 + 1) + "\t" + TextBytes.string(TextBytes.content(of: lines[$0])) }
            .joined(separator: "\n") + "\n"
    }
}
