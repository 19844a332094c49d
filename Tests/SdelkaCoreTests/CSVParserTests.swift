import Testing
@testable import SdelkaCore

@Suite struct CSVParserTests {
    func parse(_ text: String, chunk: Int = 3) throws -> [CSVParser.Record] {
        var parser = CSVParser()
        var records: [CSVParser.Record] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            records += try parser.feed(bytes[index..<min(index + chunk, bytes.count)])
            index += chunk
        }
        if let last = try parser.finish() { records.append(last) }
        return records
    }

    @Test(arguments: [1, 2, 3, 7, 1000])
    func quotedFieldsWithCommasNewlinesAndQuotesInAnyChunking(chunk: Int) throws {
        let text = "\u{FEFF}code,name,comment\r\nP1,\"ООО \"\"Ромашка\"\"\",\"две\nстроки\"\r\nP2,Север,\n\nP3,\"\",x"
        let records = try parse(text, chunk: chunk)
        #expect(records == [
            .init(line: 1, fields: ["code", "name", "comment"]),
            .init(line: 2, fields: ["P1", "ООО \"Ромашка\"", "две\nстроки"]),
            .init(line: 4, fields: ["P2", "Север", ""]),
            .init(line: 6, fields: ["P3", "", "x"]),
        ])
    }

    @Test func errorsNameTheLine() {
        #expect(throws: CSVParser.Failure(line: 2, message: "a quote inside an unquoted field; quote the whole field and double the quote")) {
            try parse("a,b\nx\"y,z\n")
        }
        #expect(throws: CSVParser.Failure(line: 1, message: "unexpected character after a closing quote")) {
            try parse("\"a\"b,c\n")
        }
        #expect(throws: CSVParser.Failure(line: 3, message: "a quoted field is not closed")) {
            try parse("a\nb\n\"open\nstill open")
        }
    }

    @Test func invalidUTF8IsRefused() {
        var parser = CSVParser()
        #expect(throws: CSVParser.Failure(line: 1, message: "the text is not valid UTF-8")) {
            _ = try parser.feed([0x61, 0xFF, 0x2C, 0x62, 0x0A])
        }
    }
}

extension CSVParserTests {
    @Test func aFirstCharacterThatMerelyStartsLikeABOMIsKept() throws {
        // "ｅ" (U+FF45) is EF BD 85 in UTF-8: it shares the BOM's first byte.
        #expect(try parse("ｅ,\"q\"\n", chunk: 1) == [.init(line: 1, fields: ["ｅ", "q"])])
    }
}

@Suite struct CSVWriterTests {
    @Test func quotesOnlyWhatNeedsQuotingAndReadsBackTheSame() throws {
        let fields: [String?] = ["C-1", #"ООО "Ромашка""#, "Москва, ул. Ленина, 1", nil, "две\nстроки", "true"]
        let line = CSVWriter.line(fields)
        #expect(line == "C-1,\"ООО \"\"Ромашка\"\"\",\"Москва, ул. Ленина, 1\",,\"две\nстроки\",true\r\n")
        var parser = CSVParser()
        let records = try parser.feed(Array(line.utf8)) + [try parser.finish()].compactMap { $0 }
        #expect(records.map(\.fields) == [fields.map { $0 ?? "" }])
    }
}

extension CSVParserTests {
    /// Contiguous chunks take a faster path for unquoted fields: whatever the chunking, it
    /// must read exactly what the byte-by-byte reading of a plain sequence reads.
    @Test(arguments: [1, 2, 5, 64, 100_000])
    func contiguousChunksReadLikeAPlainSequence(chunk: Int) throws {
        var text = "doc,date,partner,amount\r\n"
        for n in 0..<300 {
            let partner = n % 7 == 0 ? "\"ООО \"\"Ромашка №\(n)\"\"\"" : (n % 5 == 0 ? "" : "Лютик-\(n)")
            text += "Д-\(n),2026-03-\(n % 28 + 1),\(partner),\(n * 37).5\(n % 3 == 0 ? "\r\n" : "\n")"
            if n % 50 == 0 { text += "\n" }
        }
        var plain = CSVParser()
        let expected = try plain.feed(text.utf8.lazy.map { $0 }) + [try plain.finish()].compactMap { $0 }
        #expect(expected.count == 301 && expected[8].fields == ["Д-7", "2026-03-8", "ООО \"Ромашка №7\"", "259.5"])
        #expect(expected.last?.line == 307, "blank lines count")
        #expect(try parse(text, chunk: chunk) == expected)
    }

    @Test func invalidUTF8SplitAcrossChunksIsRefused() {
        #expect(throws: CSVParser.Failure(line: 2, message: "the text is not valid UTF-8")) {
            var parser = CSVParser()
            _ = try parser.feed(Array("a,b\nок".utf8.dropLast()))
            _ = try parser.feed([0x2C, 0x62, 0x0A])
        }
    }
}

@Suite struct CSVInjectionTests {
    @Test func formulaLikeCellsAreWrittenAsTextAndReadBackUnchanged() {
        #expect(CSVWriter.line(["=HYPERLINK(\"http://x\")", "+7 495 123-45-67", "-12.50", "@SUM(A1)", "\tx", "Ромашка", "-"])
                == "\"'=HYPERLINK(\"\"http://x\"\")\",'+7 495 123-45-67,-12.50,'@SUM(A1),'\tx,Ромашка,'-\r\n")
        for cell in ["=1+2", "+7 495", "@x", "-", "\rx"] {
            #expect(CSVWriter.unprotected(CSVWriter.neutralised(cell)) == cell)
        }
        #expect(CSVWriter.unprotected("'plain") == "'plain", "an apostrophe before ordinary text is the text's own")
        #expect(CSVWriter.neutralised("-5") == "-5" && CSVWriter.neutralised("+3.25") == "+3.25" && CSVWriter.neutralised("-1.") == "'-1.")
        #expect(CSVWriter.neutralised("+1+2") == "'+1+2" && CSVWriter.neutralised("-1-2") == "'-1-2", "a sign inside is a formula")
    }
}
