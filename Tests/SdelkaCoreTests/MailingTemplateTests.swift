import Foundation
import SdelkaCore
import Testing

/// The text of a mailing: placeholders found, refused when unknown, filled per recipient.
@Suite struct MailingTemplateTests {
    @Test func placeholdersAreFilledAndEscapedOnlyWhereAsked() {
        let template = MailingTemplate("Здравствуйте, {{ contact.firstName }}! Ваш менеджер {{manager.name}}, тел. {{manager.phone}}.")
        #expect(template.unknown == [])
        #expect(template.uses == ["contact.firstName", "manager.name", "manager.phone"])
        let values = ["contact.firstName": "Мария", "manager.name": "Иван Петров"]
        // A known placeholder with no value for this recipient is empty, not left as braces.
        #expect(template.render(values) == "Здравствуйте, Мария! Ваш менеджер Иван Петров, тел. .")
        let html = MailingTemplate("<p>{{partner.name}}</p>")
        #expect(html.render(["partner.name": "ООО «Рога & Копыта» <опт>"], escape: MailingTemplate.escapeHTML)
                == "<p>ООО «Рога &amp; Копыта» &lt;опт&gt;</p>")
    }

    @Test func unknownPlaceholdersAreListedOnceInOrder() {
        let template = MailingTemplate("{{partner.nmae}} {{deal.sum}} {{partner.nmae}} {{deal.name}} {{ unclosed")
        #expect(template.unknown == ["partner.nmae", "deal.sum"])
        #expect(template.render([:]) == "    {{ unclosed", "three separating spaces, the one before the unclosed braces, and the braces as text")
    }

    @Test func theFirstNameOfARussianFullNameIsItsSecondWord() {
        #expect(MailingTemplate.firstName(of: "Петрова Мария Ивановна") == "Мария")
        #expect(MailingTemplate.firstName(of: "Мария Петрова") == "Мария")
        #expect(MailingTemplate.firstName(of: "  Мария ") == "Мария")
        #expect(MailingTemplate.firstName(of: "") == "")
    }

    @Test func thoseBornOnTheTwentyNinthOfFebruaryAreGreetedOnTheTwentyEighthInCommonYears() throws {
        let leapling = try #require(CalendarDate("1992-02-29"))
        #expect(try #require(CalendarDate("2027-02-28")).isBirthday(of: leapling))
        #expect(try #require(CalendarDate("2028-02-29")).isBirthday(of: leapling))
        #expect(!(try #require(CalendarDate("2028-02-28")).isBirthday(of: leapling)), "a leap year has the day itself")
        #expect(!(try #require(CalendarDate("2027-03-01")).isBirthday(of: leapling)))
        let march = try #require(CalendarDate("1990-03-15"))
        #expect(try #require(CalendarDate("2027-03-15")).isBirthday(of: march))
        #expect(!(try #require(CalendarDate("2027-03-14")).isBirthday(of: march)))
    }
}

/// Our price against competitors': differences and percents worked by hand.
@Suite struct PriceComparisonTests {
    @Test func percentsAreRoundedHalfAwayFromZeroToHundredths() {
        #expect(PriceComparison.percent(1000, of: 10000) == 10)
        #expect(PriceComparison.percent(-950, of: 10000) == Decimal(string: "-9.5"))
        #expect(PriceComparison.percent(1, of: 3) == Decimal(string: "33.33"))
        #expect(PriceComparison.percent(2, of: 3) == Decimal(string: "66.67"))
        #expect(PriceComparison.percent(-2, of: 3) == Decimal(string: "-66.67"))
        #expect(PriceComparison.percent(1, of: 80000) == 0, "0.00125 % rounds to 0, with no minus sign")
        #expect(PriceComparison.percent(5, of: 0) == nil)
        #expect(PriceComparison.percent(99_999_999_999_999, of: 3) == Decimal(string: "3333333333333300"), "beyond Int64 after ×10 000: the Decimal way")
    }

    @Test func cheapestAndDearestAmongUsAndThem() {
        let (lines, ours) = PriceComparison.compare(ours: 10000, theirs: [11000, 10000])
        #expect(lines.map(\.differenceCents) == [1000, 0] && lines.map(\.differencePercent) == [10, 0])
        #expect(lines.map(\.dearest) == [true, false] && lines.map(\.cheapest) == [false, true] && ours == .cheapest)
        #expect(PriceComparison.compare(ours: 25000, theirs: [20000]).ours == .dearest)
        #expect(PriceComparison.compare(ours: nil, theirs: [20000]).ours == .unknown)
        #expect(PriceComparison.compare(ours: 100, theirs: []).ours == .alone)
    }

    @Test func kopecksBecomeAmountsExactly() {
        #expect(Money.decimal(cents: 12550) == Decimal(string: "125.5"))
        #expect(Money.decimal(cents: -1) == Decimal(string: "-0.01"))
        #expect(Money.decimal(cents: 0) == 0)
        #expect("\(Money.decimal(cents: 100))" == "1")
        #expect(Money.decimal(cents: Int64.min) == Decimal(Int64.min) / 100)
    }
}
