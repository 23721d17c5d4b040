import AgentCore
import Glibc

/// The file side of `/undo` and `/rewind` (D132): reads what the files are now and puts
/// them back, confined to the project root like the tools, on threads off the pool.
public struct CheckpointFiles: Sendable {
    private let paths: ProjectPaths
    /// Files larger than this are not hashed to compare (they count as changed since).
    static let compareLimit = 16 * 1024 * 1024

    /// For the project at `projectRoot` (the directory the tools work in).
    public init(projectRoot: String) {
        paths = ProjectPaths(root: projectRoot)
    }

    /// What each path is now: absent, its SHA-256, or unknown (not a regular file, unreadable,
    /// outside the project, or too large to compare).
    public func current(_ relativePaths: [String]) async -> [String: CurrentFile] {
        let paths = self.paths
        return await OffPool.run {
            var result: [String: CurrentFile] = [:]
            for relative in relativePaths { result[relative] = Self.state(of: relative, paths: paths) }
            return result
        }
    }

    /// Applies the steps: a target content is written (atomically, parents created), an
    /// absent target deletes the file. `contents` holds the bytes of each stored target by
    /// hash. Returns the problems, one line per file that could not be put back.
    public func restore(_ steps: [FileRestoreStep], contents: [String: [UInt8]]) async -> [String] {
        let paths = self.paths
        return await OffPool.run {
            var problems: [String] = []
            for step in steps {
                do throws(ToolError) {
                    let resolved = try paths.resolve(step.path)
                    switch step.target {
                    case .absent:
                        if unlink(resolved.absolute) != 0 && errno != ENOENT {
                            throw ToolError("cannot delete \(step.path): \(FileSystem.errorText())")
                        }
                    case .stored(let hash):
                        guard let bytes = contents[hash] else { throw ToolError("the content of \(step.path) is missing") }
                        try FileSystem.write(bytes, to: resolved.absolute, display: step.path)
                    case .tooLarge:
                        throw ToolError("\(step.path) was too large to keep")
                    }
                } catch {
                    problems.append(error.message)
                }
            }
            return problems
        }
    }

    private static func state(of relative: String, paths: ProjectPaths) -> CurrentFile {
        guard let resolved = try? paths.resolve(relative) else { return .unknown }
        switch FileSystem.targetKind(resolved.absolute) {
        case nil: return .absent
        case .file:
            guard let prefix = try? FileSystem.readPrefix(resolved.absolute, limit: compareLimit, display: relative),
                  !prefix.truncated else { return .unknown }
            return .hash(SHA256.hex(prefix.bytes))
        default: return .unknown
        }
    }
}
