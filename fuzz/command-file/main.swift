import AgentCore
import FuzzSupport

/// A custom command file (D145-D146): the front matter parser and the template split never
/// trap, a file without front matter is all body, and splitting a body without `$` then
/// writing each part back as it was written gives the body again.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = FuzzInput(start, count).text
    let parsed = CommandFrontMatter.parse(text, file: "f.md")
    if !text.hasPrefix("---") { fuzzRequire(parsed.body == text && parsed.fields.isEmpty, "no front matter, yet fields") }
    for problem in parsed.problems { fuzzRequire(problem.hasPrefix("f.md:"), "a problem without the file: \(problem)") }
    let template = CommandTemplate(parsed.body)
    let back = template.render(arguments: "") { part in
        switch part {
        case .text(let text): text
        case .file(let path): "@" + path
        case .shell(let command): "!`" + command + "`"
        }
    }
    if !parsed.body.unicodeScalars.contains("$") { fuzzRequire(back == parsed.body, "the split lost or changed text") }
    _ = CommandTemplate.substitute(parsed.body, arguments: text)
    _ = CommandTemplate.splitArguments(text)
    return 0
}

runFuzzer(fuzzOne)
