import Testing
@testable import AgentCore

private let env = ["HOST": "example.com", "PORT": "8443", "EMPTY": "", "KEY_2": "k2", "_U": "u"]

private func expand(_ text: String) throws(ConfigInterpolation.Failure) -> String {
    try ConfigInterpolation.expand(text, environment: env)
}

private func failure(_ text: String) -> ConfigInterpolation.Failure? {
    do {
        _ = try expand(text)
        return nil
    } catch {
        return error
    }
}

@Suite(.timeLimit(.minutes(2))) struct ConfigInterpolationTests {
    @Test func bracedAndBareReferences() throws {
        #expect(try expand("https://${HOST}:$PORT/v1") == "https://example.com:8443/v1")
        #expect(try expand("$KEY_2-$_U") == "k2-u")
        #expect(try expand("${KEY_2}x") == "k2x")
        #expect(failure("$HOSTx") == .unsetVariable("HOSTx"))  // the name runs to the last identifier character
    }

    /// From the interpolation fuzzer's input `$؃$a…`: U+0603 (a prepended mark) and the `$`
    /// after it are one Character, so `contains("$")` said there was no reference.
    @Test func aReferenceAfterAPrependedMarkExpands() throws {
        #expect(try expand("\u{603}$PORT") == "\u{603}8443")
        #expect(try expand("\u{603}$$") == "\u{603}$")
        #expect(failure("\u{603}$a") == .unsetVariable("a"))
    }

    @Test func textWithoutReferencesIsUnchanged() throws {
        #expect(try expand("plain text") == "plain text")
        #expect(try expand("") == "")
    }

    @Test func doubleDollarIsALiteralDollar() throws {
        #expect(try expand("cost $$5 and $${HOST}") == "cost $5 and ${HOST}")
        #expect(try expand("$$$HOST") == "$example.com")
    }

    @Test func loneDollarStaysLiteral() throws {
        #expect(try expand("price $5") == "price $5")
        #expect(try expand("end $") == "end $")
        #expect(try expand("a $ b") == "a $ b")
    }

    @Test func defaultsApplyWhenUnsetOrEmpty() throws {
        #expect(try expand("${MISSING:-fallback}") == "fallback")
        #expect(try expand("${EMPTY:-fallback}") == "fallback")
        #expect(try expand("${HOST:-fallback}") == "example.com")
        #expect(try expand("${MISSING:-}") == "")
        #expect(try expand("${MISSING:-a:b/c}") == "a:b/c")
    }

    @Test func defaultsMayThemselvesReferenceVariables() throws {
        #expect(try expand("${MISSING:-${HOST}}") == "example.com")
        #expect(try expand("${MISSING:-http://$HOST:${PORT}}/x") == "http://example.com:8443/x")
        #expect(try expand("${MISSING:-$${LITERAL}}") == "${LITERAL}")
        #expect(failure("${MISSING:-${ALSO_MISSING}}") == .unsetVariable("ALSO_MISSING"))
    }

    @Test func setButEmptyWithoutDefaultIsEmpty() throws {
        #expect(try expand("[${EMPTY}]") == "[]")
    }

    @Test func unsetVariablesAreNamed() {
        #expect(failure("${OPENAI_API_KEY}") == .unsetVariable("OPENAI_API_KEY"))
        #expect(failure("Bearer $TOKEN") == .unsetVariable("TOKEN"))
        #expect(failure("$HOST/${NOPE}/$ALSO") == .unsetVariable("NOPE"))
    }

    @Test func malformedReferencesAreRejected() {
        for text in ["${", "${HOST", "${}", "${1X}", "${HOST-x}", "${HOST:=x}", "${MISSING:-abc"] {
            guard case .malformed = failure(text) else {
                Issue.record("expected \(text) to be malformed")
                continue
            }
        }
    }
}
