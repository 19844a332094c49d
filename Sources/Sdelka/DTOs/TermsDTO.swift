import SdelkaCore
import Vapor

/// An agreement (Соглашение) or a contract (Договор) as the API shows it.
struct TermsDTO: Content, Equatable {
    var id: UUID
    var counterpartyId: UUID
    var organizationId: UUID?
    var number: String
    var name: String
    var date: String?
    var validFrom: String?
    var validTo: String?
    var priceType: String?
    var paymentTerms: String?
    var comment: String?
    var deletionMark: Bool
    var version: Int

    init<M: CounterpartyTerms>(_ t: M) throws {
        id = try t.requireID()
        counterpartyId = t.counterpartyID
        organizationId = t.organizationID
        number = t.number
        name = t.name
        date = t.date
        validFrom = t.validFrom
        validTo = t.validTo
        priceType = t.priceType
        paymentTerms = t.paymentTerms
        comment = t.comment
        deletionMark = t.deletionMark
        version = t.version
    }
}

/// Create and PATCH body; absent fields stay, `null` clears the optional ones.
struct TermsInput: Content {
    var counterpartyId: UUID?
    var organizationId: UUID?
    var number: String?
    var name: String?
    var date: String?
    var validFrom: String?
    var validTo: String?
    var priceType: String?
    var paymentTerms: String?
    var comment: String?
    var version: Int?
    static let clearable: Set<String> = ["organizationId", "date", "validFrom", "validTo", "priceType", "paymentTerms", "comment"]

    func validate<M: CounterpartyTerms>(current: M?) -> FieldErrors {
        var errors = FieldErrors()
        if current == nil {
            if counterpartyId == nil { errors.add("counterpartyId", "is required") }
            if number.cleaned == nil { errors.add("number", "is required") }
        } else if let counterpartyId, counterpartyId != current?.counterpartyID {
            errors.add("counterpartyId", "cannot be changed")
        }
        if let number, number.cleaned == nil, current != nil { errors.add("number", "must not be empty") }
        for (field, value) in [("date", date), ("validFrom", validFrom), ("validTo", validTo)] {
            if let text = value.cleaned, CalendarDate(accepting: text) == nil { errors.add(field, CalendarDate.acceptedMessage) }
        }
        let from = (validFrom ?? current?.validFrom).cleaned, to = (validTo ?? current?.validTo).cleaned
        if let from, let to, let start = CalendarDate(accepting: from), let end = CalendarDate(accepting: to), end < start {
            errors.add("validTo", "must not be before validFrom")
        }
        return errors
    }

    func apply<M: CounterpartyTerms>(to t: M, clearing: Set<String>) {
        if let value = counterpartyId { t.counterpartyID = value }
        if let value = organizationId { t.organizationID = value }
        if let value = number.cleaned { t.number = value }
        if let value = name { t.name = value.cleaned ?? "" }
        if let value = date { t.date = value.cleaned }
        if let value = validFrom { t.validFrom = value.cleaned }
        if let value = validTo { t.validTo = value.cleaned }
        if let value = priceType { t.priceType = value.cleaned }
        if let value = paymentTerms { t.paymentTerms = value.cleaned }
        if let value = comment { t.comment = value.cleaned }
        for field in clearing.intersection(Self.clearable) {
            switch field {
            case "organizationId": t.organizationID = nil
            case "date": t.date = nil
            case "validFrom": t.validFrom = nil
            case "validTo": t.validTo = nil
            case "priceType": t.priceType = nil
            case "paymentTerms": t.paymentTerms = nil
            default: t.comment = nil
            }
        }
        if t.name.isEmpty { t.name = t.number }
        t.searchText = SearchText.normalize(t.number, t.name, t.comment)
    }
}
