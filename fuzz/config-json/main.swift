import AgentCore
import FuzzSupport

/// agents.config.json bytes through JSONReader and the config interpreter: errors point at a
/// real position (line and column from 1) and never carry the value of a secret.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = FuzzInput(start, count)
    let environment = ["OPENAI_API_KEY": secret, "HOME": "/home/fuzz", "EMPTY": ""]
    let document: ConfigDocument
    do {
        document = try ConfigLoader.document(parsing: input.bytes, path: "agents.config.json")
    } catch {
        if let position = error.position {
            fuzzRequire(position.line >= 1 && position.column >= 1, "syntax error at \(position)")
        }
        return 0
    }
    do {
        _ = try ConfigLoader.appConfig(from: document, environment: environment)
    } catch {
        // A secret that is in the file itself may be quoted; one from the environment never.
        if !input.text.contains("sk-fuzz") {
            fuzzRequire(!error.description.contains(secret), "error shows the secret: \(error)")
        }
    }
    return 0
}

let secret = "sk-fuzz-secret-4242"

runFuzzer(fuzzOne)
