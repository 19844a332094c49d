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
