import Testing
@testable import AgentCore

/// Parses `text`, returning the syntax error it must produce.
private func syntaxError(_ text: String) -> JSONSyntaxError? {
    do {
        _ = try JSONReader.parse(text)
        return nil
    } catch {
        return error
    }
}

@Suite(.timeLimit(.minutes(2))) struct JSONReaderTests {
    @Test func parsesScalars() throws {
        #expect(try JSONReader.parse("true").bool == true)
        #expect(try JSONReader.parse(" false ").bool == false)
        #expect(try JSONReader.parse("null").isNull)
        #expect(try JSONReader.parse("\"hi\"").string == "hi")
    }

    @Test func parsesNumbersWithTheirText() throws {
        let cases: [(String, Double)] = [("0", 0), ("-0", 0), ("42", 42), ("-17", -17), ("3.25", 3.25),
                                         ("1e3", 1000), ("2.5E-1", 0.25), ("-1.5e+2", -150)]
        for (text, value) in cases {
            let number = try #require(try JSONReader.parse(text).number, "\(text)")
            #expect(number.double == value)
            #expect(number.text == text)
        }
        #expect(try JSONReader.parse("8192").number?.int == 8192)
        #expect(try JSONReader.parse("8192.0").number?.int == 8192)
        #expect(try JSONReader.parse("1.5").number?.int == nil)
        #expect(try JSONReader.parse("9007199254740993").number?.int == 9_007_199_254_740_993)
    }

    @Test func rejectsMalformedNumbers() {
        #expect(syntaxError("01")?.message.contains("leading zeros") == true)
        #expect(syntaxError("-")?.message.contains("expected a digit") == true)
        #expect(syntaxError("1.")?.message.contains("expected a digit after '.'") == true)
        #expect(syntaxError("1e")?.message.contains("exponent") == true)
        #expect(syntaxError("+1") != nil)
        #expect(syntaxError(".5") != nil)
    }

    @Test func decodesEveryEscape() throws {
        let value = try JSONReader.parse(#""q\" b\\ s\/ \b\f\n\r\t end""#)
        #expect(value.string == "q\" b\\ s/ \u{8}\u{C}\n\r\t end")
    }

    @Test func decodesUnicodeEscapesAndSurrogatePairs() throws {
        #expect(try JSONReader.parse(#""\u00e9\u4E2D""#).string == "é中")
        #expect(try JSONReader.parse(#""\ud83d\ude00!""#).string == "😀!")
        #expect(try JSONReader.parse("\"raw é 😀\"").string == "raw é 😀")
    }

    @Test func rejectsBadEscapes() {
        #expect(syntaxError(#""\x""#)?.message.contains("invalid escape") == true)
        #expect(syntaxError(#""\u12G4""#)?.message.contains("4 hexadecimal digits") == true)
        #expect(syntaxError(#""\ud83d""#)?.message.contains("high surrogate") == true)
        #expect(syntaxError(#""\ud83d\u0041""#)?.message.contains("high surrogate") == true)
        #expect(syntaxError(#""\ude00""#)?.message.contains("low surrogate") == true)
    }

    @Test func rejectsRawControlCharactersAndInvalidUTF8() {
        #expect(syntaxError("\"a\tb\"")?.message.contains("control characters") == true)
        #expect(syntaxError("\"a\nb\"")?.message.contains("unterminated string") == true)
        var bytes = Array("\"ab".utf8)
        bytes += [0xFF, UInt8(ascii: "\"")]
        #expect(throws: JSONSyntaxError.self) { try JSONReader.parse(bytes) }
    }

    @Test func keepsObjectOrderAndDuplicateKeys() throws {
        let value = try JSONReader.parse(#"{"z": 1, "a": 2, "m": 3, "a": 4}"#)
        let members = try #require(value.members)
        #expect(members.map(\.key) == ["z", "a", "m", "a"])
        #expect(value["a"]?.number?.double == 4)
        #expect(value["missing"] == nil)
    }

    @Test func parsesNestingWithPositions() throws {
        let text = """
            {
              "list": [1, {"deep": [true, null]}],
              "name": "x"
            }
            """
        let root = try JSONReader.parse(text)
        #expect(root.position == SourcePosition(line: 1, column: 1))
        let list = try #require(root["list"])
        #expect(list.position == SourcePosition(line: 2, column: 11))
        let inner = try #require(list.elements?[1])
        #expect(inner.position == SourcePosition(line: 2, column: 15))
        #expect(inner["deep"]?.elements?.count == 2)
        #expect(inner["deep"]?.elements?[1].isNull == true)
        let nameMember = try #require(root.members?.last)
        #expect(nameMember.keyPosition == SourcePosition(line: 3, column: 3))
        #expect(nameMember.value.position == SourcePosition(line: 3, column: 11))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let root = try JSONReader.parse("{\"é😀\": 1, \"b\": 2}")
        #expect(root["b"]?.position == SourcePosition(line: 1, column: 16))
    }

    @Test func skipsByteOrderMark() throws {
        let value = try JSONReader.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))
        #expect(value.elements?.count == 1)
        #expect(value.position == SourcePosition(line: 1, column: 1))
    }

    @Test func reportsMissingCommaAtTheNextToken() throws {
        let error = try #require(syntaxError("{\n  \"a\": 1\n  \"b\": 2\n}"))
        #expect(error.position == SourcePosition(line: 3, column: 3))
        #expect(error.message == "expected ',' or '}' after object member, found '\"'")
    }

    @Test func reportsTrailingCommaAtTheComma() throws {
        let object = try #require(syntaxError("{\"a\": 1,\n}"))
        #expect(object.position == SourcePosition(line: 1, column: 8))
        #expect(object.message.contains("trailing comma"))
        let array = try #require(syntaxError("[1, 2, ]"))
        #expect(array.position == SourcePosition(line: 1, column: 6))
        #expect(array.message.contains("before ']'"))
    }

    @Test func reportsUnterminatedStringAtItsStart() throws {
        let error = try #require(syntaxError("{\n  \"a\": \"open,\n  \"b\": 1\n}"))
        #expect(error.position == SourcePosition(line: 2, column: 8))
        #expect(error.message.contains("unterminated string"))
        let atEnd = try #require(syntaxError("[\"abc"))
        #expect(atEnd.position == SourcePosition(line: 1, column: 2))
    }

    @Test func reportsOtherStructuralErrors() throws {
        #expect(syntaxError("")?.message == "expected a value, found end of input")
        #expect(syntaxError("{\"a\" 1}")?.message.contains("expected ':'") == true)
        #expect(syntaxError("{a: 1}")?.message.contains("expected a string key") == true)
        #expect(syntaxError("[1 2]")?.message.contains("expected ',' or ']'") == true)
        #expect(syntaxError("tru")?.message.contains("invalid literal") == true)
        let extra = try #require(syntaxError("{} x"))
        #expect(extra.position == SourcePosition(line: 1, column: 4))
        #expect(extra.message.contains("end of input after the top-level value"))
    }

    @Test func messagesDoNotQuoteLettersFromTheInput() throws {
        let error = try #require(syntaxError("{\"apiKey\": sk-live-123}"))
        #expect(!error.description.contains("sk"))
        #expect(error.message.contains("an unexpected character"))
    }

    @Test func limitsNestingDepth() {
        let deep = String(repeating: "[", count: JSONReader.maximumDepth + 1)
            + String(repeating: "]", count: JSONReader.maximumDepth + 1)
        #expect(syntaxError(deep)?.message.contains("nesting") == true)
        let ok = String(repeating: "[", count: JSONReader.maximumDepth) + String(repeating: "]", count: JSONReader.maximumDepth)
        #expect(syntaxError(ok) == nil)
    }
}
