import SdelkaCore
import Vapor

struct DealParticipantDTO: Content, Equatable {
    var partnerId: UUID
    var role: String?
    var contactPersonId: UUID?
    var contactRole: String?
    var wonDeal: Bool?
}

struct DemandLineDTO: Content, Equatable {
    var description: String
    var amount: Decimal?
    var satisfiedPercent: Int?
    var unsatisfiedReasonId: UUID?
}

struct DealDTO: Content, Equatable {
    var id: UUID
    var number: Int
    var name: String
    var partnerId: UUID
    var kindId: UUID
    var status: DealStatus
    var stageId: UUID?
    var startDate: String
    var endDate: String?
    var closed: Bool
    var responsibleId: UUID?
    var potentialAmount: Decimal?
    var currency: String
    var managerProbability: Int?
    /// Computed on every read (DOMAIN.md §4); absent from audit snapshots, where it would
    /// record other deals' outcomes as changes of this one.
    var probability: Decimal?
    var lossReasonId: UUID?
    var agreementId: UUID?
    var participants: [DealParticipantDTO]
    var demand: [DemandLineDTO]
    var source: SourceDTO?
    var comment: String?
    var deletionMark: Bool
    var version: Int

    init(_ d: Deal, participants: [DealParticipantDTO], demand: [DemandLineDTO], source: SourceDTO?, probability: Decimal?) throws {
        id = try d.requireID()
        number = d.number
        name = d.name
        partnerId = d.partnerID
        kindId = d.kindID
        status = d.status
        stageId = d.stageID
        startDate = d.startDate
        endDate = d.endDate
        closed = d.closed
        responsibleId = d.responsibleID
        potentialAmount = d.potentialCents.map(Money.decimal(cents:))
        currency = d.currency
        managerProbability = d.managerProbability
        self.probability = probability
        lossReasonId = d.lossReasonID
        agreementId = d.agreementID
        self.participants = participants
        self.demand = demand
        self.source = source
        comment = d.comment
        deletionMark = d.deletionMark
        version = d.version
    }
}

/// Create and PATCH body; absent fields stay, "" clears an optional text or date. Status and
/// stage change only through the actions (`stage`, `win`, `lose`, `reopen`).
struct DealInput: Content {
    var name: String?
    var partnerId: UUID?
    var kindId: UUID?
    var startDate: String?
    var endDate: String?
    var responsibleId: UUID?
    var potentialAmount: Decimal?
    var currency: String?
    var managerProbability: Int?
    var agreementId: UUID?
    var participants: [DealParticipantDTO]?
    var demand: [DemandLineDTO]?
    var source: SourceDTO?
    var comment: String?
    var version: Int?
    /// The optional fields a PATCH may clear by sending `null` (see `ExplicitNulls`).
    static let clearable: Set<String> = ["responsibleId", "potentialAmount", "managerProbability", "agreementId", "endDate", "comment"]

    func validate(current: Deal?) -> FieldErrors {
        var errors = FieldErrors()
        if current == nil {
            if name.cleaned == nil { errors.add("name", "is required") }
            if partnerId == nil { errors.add("partnerId", "is required") }
            if kindId == nil { errors.add("kindId", "is required") }
        } else {
            if let name, name.cleaned == nil { errors.add("name", "must not be empty") }
            if let kindId, kindId != current?.kindID { errors.add("kindId", "cannot be changed: open a new deal of the other kind") }
        }
        if let name, name.count > 300 { errors.add("name", "must be at most 300 characters") }
        let start = date("startDate", startDate, current?.startDate, into: &errors)
        let end = date("endDate", endDate, current?.endDate, into: &errors)
        if let start, let end, end < start { errors.add("endDate", "must not be before startDate") }
        if let amount = potentialAmount {
            if amount < 0 { errors.add("potentialAmount", "must not be negative") }
            else if Money.cents(amount) == nil { errors.add("potentialAmount", Money.amountMessage) }
        }
        if let p = managerProbability, !(0...100).contains(p) { errors.add("managerProbability", "must be between 0 and 100") }
        if let currency, currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isLetter }) {
            errors.add("currency", "must be a three-letter code such as RUB")
        }
        for (index, line) in (demand ?? []).enumerated() {
            if line.description.cleaned == nil { errors.add("demand.\(index).description", "is required") }
            if let amount = line.amount, amount < 0 || Money.cents(amount) == nil {
                errors.add("demand.\(index).amount", "must be a non-negative amount with at most 2 decimals")
            }
            if let percent = line.satisfiedPercent, !(0...100).contains(percent) {
                errors.add("demand.\(index).satisfiedPercent", "must be between 0 and 100")
            }
        }
        var seen = Set<String>()
        for (index, p) in (participants ?? []).enumerated() where !seen.insert("\(p.partnerId)/\(p.contactPersonId?.uuidString ?? "")").inserted {
            errors.add("participants.\(index).partnerId", "is already a participant")
        }
        return errors
    }

    private func date(_ field: String, _ value: String?, _ existing: String?, into errors: inout FieldErrors) -> CalendarDate? {
        guard let value else { return existing.flatMap { CalendarDate($0) } }
        guard let text = value.cleaned else { return nil }
        guard let parsed = CalendarDate(accepting: text) else { errors.add(field, CalendarDate.acceptedMessage); return nil }
        return parsed
    }
}

/// A row of stage statistics as the API shows it.
struct StageRowDTO: Content, Equatable {
    var stageId: UUID
    var name: String
    var order: Int
    var start: Date
    var end: Date?
    var durationDays: Int?
    var potential: Decimal?
    var result: StageResult
    var responsibleId: UUID?
    var override: ChecklistOverrideDTO?
}

struct ChecklistOverrideDTO: Content, Equatable {
    var userId: UUID
    var at: Date
}

struct DealTaskDTO: Content, Equatable {
    var id: UUID
    var dealId: UUID
    var dealNumber: Int?
    var dealName: String?
    var stageId: UUID
    var text: String
    var required: Bool
    var dueDate: String?
    var responsibleId: UUID?
    var done: Bool
    var doneAt: Date?
    var doneBy: UUID?
}
