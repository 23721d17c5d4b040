import AgentCore

/// Builds the system prompt: who the agent is, the working directory, the platform, the
/// tools, and the project's `AGENTS.md` when present. Pure.
public enum SystemPrompt {
    /// - Parameters:
    ///   - workingDirectory: The project root the tools are confined to.
    ///   - platform: e.g. `Linux x86_64`.
    ///   - tools: The tools offered (named in the prompt; their schemas go on the wire).
    ///   - agentsFile: The contents of `AGENTS.md`, when the project has one.
    public static func build(workingDirectory: String, platform: String, tools: [ToolDefinition],
                             agentsFile: String?) -> String {
        var lines = [
            "You are swiftcoder, a coding agent working in the user's terminal.",
            "Working directory: \(workingDirectory)",
            "Platform: \(platform)",
            "",
            "Be concise. Read files before you change them; prefer small, exact edits.",
            "Paths are relative to the working directory; you cannot reach outside it.",
        ]
        if !tools.isEmpty {
            lines += ["", "Tools you can call:"]
            lines += tools.map { "- \($0.name): \(firstSentence($0.description))" }
            lines.append("Writes and commands may need the user's approval; a denial comes back as a tool error "
                + "with the user's reason. Do not retry a denied call unchanged.")
        }
        if let agentsFile, !agentsFile.isEmpty {
            lines += ["", "# Project instructions (AGENTS.md)", "", agentsFile]
        }
        return lines.joined(separator: "\n")
    }

    private static func firstSentence(_ text: String) -> String {
        let line = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? text
        guard let end = line.firstIndex(of: ".") else { return line }
        return String(line[...end])
    }
}
