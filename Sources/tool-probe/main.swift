import AgentCore
import AgentTools
import Glibc

// tool-probe PROJECT TOOL ARGUMENTS-FILE: runs one built-in tool call in PROJECT with the JSON
// arguments read from ARGUMENTS-FILE and prints its output. Tests use it as a child process
// they can kill mid-call (a SIGKILL during a 50 MB write_file) without starting a model.
let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    print("usage: tool-probe PROJECT TOOL ARGUMENTS-FILE")
    exit(2)
}
guard let file = fopen(arguments[3], "re") else {
    print("tool-probe: cannot open \(arguments[3])")
    exit(2)
}
var bytes: [UInt8] = []
var chunk = [UInt8](repeating: 0, count: 1 << 16)
while true {
    let count = fread(&chunk, 1, chunk.count, file)
    if count <= 0 { break }
    bytes.append(contentsOf: chunk[0..<count])
}
fclose(file)
let tools = BuiltinTools(projectRoot: arguments[1])
let call = ToolCall(id: "probe", name: arguments[2], arguments: String(decoding: bytes, as: UTF8.self))
let output = await tools.execute(call)
print(output.content)
exit(output.isError ? 1 : 0)
