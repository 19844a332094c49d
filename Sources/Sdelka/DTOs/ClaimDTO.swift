import SdelkaCore
import Vapor

/// What a claim rests on: a sales document, a deal or an interaction.
struct ClaimBasisDTO: Content, Equatable {
    var type: Claim.BasisType
    var id: UUID
}

struct ClaimDTO: Content, Equatable {
    var id: UUID
    var number: String
    var date: String
    var partnerId: UUID
    var counterpartyId: UUID?
    var contactPersonId: UUID?
    var amount: Decimal?
    var basis: ClaimBasisDTO?
    var causeId: UUID?
    var departmentId: UUID?
    var guiltyUserId: UUID?
    var description: String
    var status: ClaimStatus
    var result: String?
    var settledAmount: Decimal?
    var closedOn: String?
    var responsibleId: UUID?
    var deletionMark: Bool
    var version: Int

    init(_ c: Claim) throws {
        id = try c.requireID()
        number = c.number
        date = c.date
        partnerId = c.partnerID
        counterpartyId = c.counterpartyID
        contactPersonId = c.contactPersonID
        amount = c.amountCents.map(Money.decimal(cents:))
        basis = c.basisType.flatMap { type in c.basisID.map { ClaimBasisDTO(type: type, id: $0) } }
        causeId = c.causeID
        departmentId = c.departmentID
        guiltyUserId = c.guiltyUserID
        description = c.details
        status = c.status
        result = c.result
        settledAmount = c.settledCents.map(Money.decimal(cents:))
        closedOn = c.closedOn
        responsibleId = c.responsibleID
        deletionMark = c.deletionMark
        version = c.version
    }
}

/// Create and PATCH body; absent fields stay, `null` clears an optional one. The status moves
/// only through `POST /claims/{id}/status`.
struct ClaimInput: Content {
    var number: String?
    var date: String?
    var partnerId: UUID?
    var counterpartyId: UUID?
    var contactPersonId: UUID?
    var amount: Decimal?
    var basis: ClaimBasisDTO?
    var causeId: UUID?
    var departmentId: UUID?
    var guiltyUserId: UUID?
    var description: String?
    var responsibleId: UUID?
    var version: Int?
    /// The optional fields a PATCH may clear by sending `null` (see `ExplicitNulls`).
    static let clearable: Set<String> = ["counterpartyId", "contactPersonId", "amount", "basis", "causeId", "departmentId",
                                         "guiltyUserId", "responsibleId"]

    func validate(current: Claim?) -> FieldErrors {
        var errors = FieldErrors()
        if current == nil {
            if partnerId == nil { errors.add("partnerId", "is required") }
            if description.cleaned == nil { errors.add("description", "is required") }
        } else if let description, description.cleaned == nil {
            errors.add("description", "must not be empty")
        }
        if let description, description.count > 10_000 { errors.add("description", "must be at most 10000 characters") }
        if let number, number.count > 50 { errors.add("number", "must be at most 50 characters") }
        if let date, CalendarDate(accepting: date) == nil { errors.add("date", CalendarDate.acceptedMessage) }
        if let amount {
            if amount < 0 { errors.add("amount", "must not be negative") }
            else if Money.cents(amount) == nil { errors.add("amount", Money.amountMessage) }
        }
        return errors
    }
}

/// `POST /claims/{id}/status`: the next status, with the outcome when the claim closes.
struct ClaimStatusInput: Content {
    var status: ClaimStatus
    var result: String?
    var settledAmount: Decimal?
    /// The day the claim closes; today by default.
    var closedOn: String?
    var version: Int?
}
