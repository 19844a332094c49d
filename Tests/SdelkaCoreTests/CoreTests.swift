import Foundation
import Testing
@testable import SdelkaCore

@Suite struct RoleTests {
    @Test func permissionsFollowDomainSection9() {
        #expect(Permission.allCases.allSatisfy { Role.admin.can($0) })
        #expect(Role.head.seesAllPartners && Role.admin.seesAllPartners)
        #expect(!Role.manager.seesAllPartners && !Role.marketer.seesAllPartners && !Role.viewer.seesAllPartners)
        #expect(Permission.allCases.allSatisfy { !Role.viewer.can($0) }, "viewers change nothing")
        #expect(Role.head.can(.overrideChecklist) && !Role.manager.can(.overrideChecklist))
        #expect(!Role.head.can(.manageUsers) && !Role.head.can(.purge))
        #expect(Role.marketer.can(.manageCatalogs) && !Role.manager.can(.manageCatalogs))
    }
}

@Suite struct FeatureSwitchTests {
    @Test func dependentPartsFollowTheirParent() {
        var features = FeatureSwitches()
        #expect(features.isEnabled(.email))
        features.interactions = false
        #expect(!features.isEnabled(.email) && !features.isEnabled(.sms))
        #expect(features.email, "the stored switch is kept for when interactions come back")
        features.deals = false
        #expect(!features.isEnabled(.dealStages))
        features[.claims] = false
        #expect(!features.claims)
    }
}

@Suite struct ClassificationSettingsTests {
    @Test func subPeriodsMustDivideThePeriod() {
        #expect(PeriodUnit.month.divides(.month))
        #expect(PeriodUnit.decade.divides(.halfYear))
        #expect(PeriodUnit.day.divides(.week))
        #expect(!PeriodUnit.week.divides(.month), "weeks straddle month ends")
        #expect(!PeriodUnit.quarter.divides(.month))
        #expect(PeriodUnit.halfYear.divides(.year) && !PeriodUnit.year.divides(.halfYear))
    }

    @Test func validationNamesEachField() {
        let bad = ClassificationSettings(abc: .init(unit: .month, count: 0),
                                         xyz: .init(unit: .month, count: 400, subUnit: .week))
        #expect(throws: FieldErrors([
            "abc.count": "must be between 1 and 366",
            "xyz.count": "must be between 1 and 366",
            "xyz.subUnit": "a week does not fit a whole number of times into a month",
        ])) { try bad.validate() }
        #expect(throws: Never.self) { try ClassificationSettings.default.validate() }
    }
}

@Suite struct FieldChangeTests {
    @Test func diffListsOnlyChangedFieldsAndIgnoresVersion() {
        let old: [String: JSONValue] = ["name": .string("Юг"), "comment": .null, "version": .number(1), "active": .bool(true)]
        let new: [String: JSONValue] = ["name": .string("Юг России"), "comment": .null, "version": .number(2), "active": .bool(true), "email": .string("a@b.ru")]
        #expect(FieldChange.diff(old: old, new: new) == [
            FieldChange(field: "email", old: nil, new: .string("a@b.ru")),
            FieldChange(field: "name", old: .string("Юг"), new: .string("Юг России")),
        ])
    }

    @Test func creationAndDeletionShowEveryField() {
        let fields: [String: JSONValue] = ["name": .string("Опт"), "version": .number(1)]
        #expect(FieldChange.diff(old: nil, new: fields) == [FieldChange(field: "name", old: nil, new: .string("Опт"))])
        #expect(FieldChange.diff(old: fields, new: nil) == [FieldChange(field: "name", old: .string("Опт"), new: nil)])
    }
}

@Suite struct FormatTests {
    @Test(arguments: [(1, "сделка"), (2, "сделки"), (4, "сделки"), (5, "сделок"), (11, "сделок"), (12, "сделок"),
                      (14, "сделок"), (21, "сделка"), (22, "сделки"), (25, "сделок"), (101, "сделка"), (111, "сделок"), (0, "сделок")])
    func russianPlurals(count: Int, word: String) {
        #expect(RussianPlural.choose(count, one: "сделка", few: "сделки", many: "сделок") == word)
    }

    @Test func datesInRussianFormat() {
        let moscow = TimeZone(identifier: "Europe/Moscow")!
        let date = ISO8601DateFormatter().date(from: "2026-11-28T11:05:00Z")!
        #expect(RussianFormat.date(date, zone: moscow) == "28.11.2026")
        #expect(RussianFormat.dateTime(date, zone: moscow) == "28.11.2026 14:05")
    }

    @Test func calendarDatesParseStrictly() {
        #expect(CalendarDate("2026-11-28")?.description == "2026-11-28")
        #expect(CalendarDate("2026-02-29") == nil, "2026 is not a leap year")
        #expect(CalendarDate("28.11.2026") == nil)
        #expect(CalendarDate("2026-12-31")?.next.description == "2027-01-01")
        #expect(CalendarDate("2024-03-01")!.adding(days: -1).description == "2024-02-29")
    }

    @Test func searchTextFoldsCyrillicCaseAndYo() {
        #expect(SearchText.normalize("ООО «Ромашка»", nil, "Ёлкин  Пётр") == "ооо «ромашка» елкин петр")
    }
}

extension FieldChangeTests {
    @Test func handWrittenJSONReadsBackAsTheSameChanges() throws {
        let changes = [
            FieldChange(field: "name", old: .string("ООО \"Ромашка\"\\\n\t/"), new: .string("Ромашка\u{1}")),
            FieldChange(field: "flags", old: nil, new: .array([.bool(true), .null, .number(Decimal(string: "12.5")!)])),
            FieldChange(field: "nested", old: .object(["b": .number(1), "a": .string("x")]), new: nil),
        ]
        let decoded = try JSONDecoder().decode([FieldChange].self, from: Data(FieldChange.json(changes).utf8))
        #expect(decoded == changes)
        #expect(FieldChange.json([]) == "[]")
    }
}

@Suite struct FastTextTests {
    @Test func normalisingFollowsUnicodeBeyondRussian() {
        #expect(SearchText.normalize("ÄÖÜ Straße", "ΣΟΦΙΑ\u{00A0}Ltd") == "äöü straße σοφια ltd")
        #expect(SearchText.normalize("  ЁЛКА  İ𐐀", nil, "Ёж") == "елка i̇𐐨 еж")
        #expect(PartnerName.key("ООО «Müller-Ёж»") == "müller еж")
    }

    @Test func timeOrderedIDsAreVersion7AndSortByTime() {
        let early = TimeOrderedID.make(at: Date(timeIntervalSince1970: 1_700_000_000))
        let late = TimeOrderedID.make(at: Date(timeIntervalSince1970: 1_700_000_001))
        #expect(early.uuidString.prefix(13) == "018BCFE5-6800")
        #expect(Array(early.uuidString)[14] == "7")
        #expect(early.uuidString < late.uuidString)
        #expect("89AB".contains(Array(early.uuidString)[19]))
        #expect(early != TimeOrderedID.make(at: Date(timeIntervalSince1970: 1_700_000_000)))
    }

    @Test func identifiersAreWrittenAsFoundationWritesThem() {
        for id in [UUID(), TimeOrderedID.make(), UUID(uuidString: "00000000-0000-0000-0000-0000000000FF")!] {
            #expect(id.text == id.uuidString)
        }
    }

    @Test func byteOrderKeysAreTheBytesInOrder() {
        let id = UUID(uuidString: "01234567-89AB-CDEF-0011-223344556677")!
        #expect(id.byteOrderKey == (0x0123_4567_89AB_CDEF, 0x0011_2233_4455_6677))
        #expect(UUID(byteOrderKey: id.byteOrderKey) == id)
        #expect(UUID(byteOrderKey: (0, 0xFF)).uuidString == "00000000-0000-0000-0000-0000000000FF")
    }

    @Test func arraysAreCutIntoChunksInOrder() {
        #expect([1, 2, 3, 4, 5].chunks(of: 2).map(Array.init) == [[1, 2], [3, 4], [5]])
        #expect([Int]().chunks(of: 3).isEmpty)
    }

    @Test func cellsAreTrimmedOfUnicodeSpacesOnly() {
        #expect(SearchText.trimmed("  ООО «Ромашка»\u{00A0}\t") == "ООО «Ромашка»")
        #expect(SearchText.trimmed("Ёлка") == "Ёлка")
        #expect(SearchText.trimmed(" \u{2003} ") == "")
        #expect(SearchText.trimmed("") == "")
    }

    @Test func spacesAreUnicodesWhiteSpaceBeyondASCII() {
        // The fast ranges of `isSpace` must agree with Unicode's tables for every scalar.
        for value in UInt32(0x80)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if SearchText.isSpace(scalar) != scalar.properties.isWhitespace {
                Issue.record("U+\(String(value, radix: 16)) disagrees")
                return
            }
        }
        #expect(SearchText.normalize("ООО\u{1680}«Ёж»\u{3000}") == "ооо «еж»")
    }

    @Test func jsonStringsEscapeWhatJSONRequires() throws {
        var writer = JSONWriter()
        writer.string("Ъ \"q\" \\ \n\u{01}😀")
        #expect(writer.text == #""Ъ \"q\" \\ \n\u0001😀""#)
        #expect(try JSONDecoder().decode(String.self, from: Data(writer.bytes)) == "Ъ \"q\" \\ \n\u{01}😀")
        var plain = JSONWriter()
        plain.string("")
        plain.string("Ромашка")
        plain.string("\"")
        #expect(plain.text == #""""Ромашка""\"""#)
    }

    @Test func identifiersAndNestedDocumentsAreWrittenAsStrings() throws {
        let id = UUID(uuidString: "01a22b2e-83ae-7f12-9276-8b8fd84d266f")!
        var inner = JSONWriter()
        inner.raw("[{\"field\":\"number\",\"new\":")
        inner.string("Д-1 \"срочно\"")
        inner.raw("}]")
        var row = JSONWriter()
        row.uuid(id)
        row.raw(",")
        row.string(of: inner)
        #expect(row.text == #""01A22B2E-83AE-7F12-9276-8B8FD84D266F","[{\"field\":\"number\",\"new\":\"Д-1 \\\"срочно\\\"\"}]""#)
        let decoded = try JSONDecoder().decode([String].self, from: Data(("[" + row.text + "]").utf8))
        #expect(decoded == [id.uuidString, inner.text], "the id reads as `uuidString`, the nested text as written")
        inner.reset()
        #expect(inner.text.isEmpty)
    }

    @Test func integersAreWrittenWithTheirSign() {
        var writer = JSONWriter()
        for value: Int64 in [0, 7, -7, 1_234_567_890, Int64.max, Int64.min] {
            writer.integer(value)
            writer.raw(",")
        }
        #expect(writer.text == "0,7,-7,1234567890,9223372036854775807,-9223372036854775808,")
    }
}

@Suite struct BoundedArithmeticTests {
    @Test func dateArithmeticHoldsAtTheEndsOfTheCalendar() {
        let last = CalendarDate(year: 9999, month: 12, day: 31)!
        #expect(last.next == last)
        #expect(last.adding(days: Int.max) == last)
        #expect(CalendarDate(year: 1, month: 1, day: 1)!.adding(days: -1) == CalendarDate.first)
        #expect(CalendarDate(year: 1, month: 1, day: 15)!.firstOfMonth(addingMonths: -12) == CalendarDate.first)
        #expect(last.firstOfMonth(addingMonths: Int.min) == CalendarDate.first)
        #expect(CalendarDate(year: 2026, month: 3, day: 10)!.firstOfMonth(addingMonths: -3).description == "2025-12-01")
        #expect(CalendarDate(Date(timeIntervalSince1970: 1e15), in: TimeZone(identifier: "Europe/Moscow")!) == last)
        #expect(CalendarDate(Date(timeIntervalSince1970: -1e15), in: TimeZone(identifier: "UTC")!) == CalendarDate.first)
    }

    @Test func requestsMayNameDatesFrom1900ToTheDayBeforeTheLast() {
        #expect(CalendarDate(accepting: "1900-01-01") != nil)
        #expect(CalendarDate(accepting: "9999-12-30") != nil)
        #expect(CalendarDate(accepting: "9999-12-31") == nil)
        #expect(CalendarDate(accepting: "1899-12-31") == nil)
        #expect(CalendarDate(accepting: "0001-01-15") == nil)
    }

    @Test func moneyIsBelowATrillionAndSumsSaturate() {
        #expect(Money.cents(Decimal(string: "999999999999.99")!) == 99_999_999_999_999)
        #expect(Money.cents(Decimal(string: "1000000000000")!) == nil)
        #expect(Money.cents(Decimal(string: "-40000000000000000")!) == nil)
        #expect(Money.scaled(Decimal(string: "999999999999.999")!, decimals: 3) == 999_999_999_999_999)
        #expect([Int64.max, 1].saturatedSum == Int64.max)
        #expect([Int64.min, -1].saturatedSum == Int64.min)
        #expect([Int64(40), 2].saturatedSum == 42)
        #expect(Int64.min.subtractingSaturated(1) == Int64.min)
        #expect(Int64(-1).multipliedSaturated(by: Int64.min) == Int64.max)
        var sum = Int64.max - 1
        sum +| 5
        #expect(sum == Int64.max)
    }
}

@Suite struct LocalPathTests {
    @Test func onlyPathsOnThisServerAreRedirectTargets() {
        #expect(LocalPath.checked("/deals/12?tab=stages") == "/deals/12?tab=stages")
        #expect(LocalPath.checked("/") == "/")
        for bad in ["//evil.example", "/\\evil.example", "/%5Cevil.example".removingPercentEncoding!, "https://evil.example", "evil",
                    "/a\r\nSet-Cookie: x=1", "/ /evil", "/a\\b", ""] {
            #expect(LocalPath.checked(bad) == nil, "\(bad)")
        }
        #expect(LocalPath.checked(nil) == nil)
    }
}
