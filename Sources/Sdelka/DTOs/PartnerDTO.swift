import SdelkaCore
import Vapor

/// One line of contact information: `{type, kind, value}` (DOMAIN.md §1).
struct ContactDTO: Content, Equatable {
    var type: String
    var kind: String
    var value: String
    var validFrom: String?

    /// Stored contact lines of one owner, in the order they were given.
    static func list(_ details: [ContactDetail]) -> [ContactDTO] {
        details.sorted { $0.position < $1.position }
            .map { ContactDTO(type: $0.type.rawValue, kind: $0.kind, value: $0.value, validFrom: $0.validFrom) }
    }
}

struct PartnerDTO: Content, Equatable {
    var id: UUID
    var code: String?
    var name: String
    var fullName: String
    var parentId: UUID?
    var kind: String
    var isClient: Bool
    var isSupplier: Bool
    var isCompetitor: Bool
    var isOther: Bool
    var mainManagerId: UUID?
    var businessRegionId: UUID?
    var accessGroupId: UUID?
    var registeredOn: String?
    var gender: String?
    var birthDate: String?
    var comment: String?
    var contacts: [ContactDTO]
    /// Read-only: the manual and periodic segments that list the partner (a dynamic segment's
    /// membership is its rule, evaluated when the segment is used).
    var segmentIds: [UUID]
    /// Where the client came from: the partner's registration source of interest.
    var source: SourceDTO?
    var deletionMark: Bool
    var version: Int

    init(_ partner: Partner, contacts: [ContactDetail], source: SourceDTO? = nil, segmentIds: [UUID] = []) throws {
        self.source = source
        id = try partner.requireID()
        code = partner.code
        name = partner.name
        fullName = partner.fullName
        parentId = partner.parentID
        kind = partner.kind.rawValue
        isClient = partner.isClient
        isSupplier = partner.isSupplier
        isCompetitor = partner.isCompetitor
        isOther = partner.isOther
        mainManagerId = partner.mainManagerID
        businessRegionId = partner.businessRegionID
        accessGroupId = partner.accessGroupID
        registeredOn = partner.registeredOn
        gender = partner.gender?.rawValue
        birthDate = partner.birthDate
        comment = partner.comment
        self.contacts = ContactDTO.list(contacts)
        self.segmentIds = segmentIds
        deletionMark = partner.deletionMark
        version = partner.version
    }
}

/// A primary-interest record as a partner shows it.
struct SourceDTO: Content, Equatable {
    var channelId: UUID
    var eventId: UUID?
    var referrerPartnerId: UUID?
    var note: String?
}

/// Create and PATCH body for partners; absent fields are left as they are.
struct PartnerInput: Content {
    var code: String?
    var name: String?
    var fullName: String?
    var parentId: UUID?
    var kind: String?
    var isClient: Bool?
    var isSupplier: Bool?
    var isCompetitor: Bool?
    var isOther: Bool?
    var mainManagerId: UUID?
    var businessRegionId: UUID?
    var accessGroupId: UUID?
    var registeredOn: String?
    var gender: String?
    var birthDate: String?
    var comment: String?
    var contacts: [ContactDTO]?
    var source: SourceDTO?
    /// The partner's counterparty, created or changed with it in one step (the one-form mode).
    var counterparty: CounterpartyInput?
    var version: Int?

    /// The checks that need no database.
    func validate(creating: Bool, currentKind: Partner.Kind?) -> FieldErrors {
        var errors = FieldErrors()
        if creating && name == nil { errors.add("name", "is required") }
        if let name {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { errors.add("name", "must not be empty") }
            else if trimmed.count > 300 { errors.add("name", "must be at most 300 characters") }
        }
        if let kind, Partner.Kind(rawValue: kind) == nil { errors.add("kind", "must be company or person") }
        let effectiveKind = kind.flatMap(Partner.Kind.init(rawValue:)) ?? currentKind ?? .company
        if let gender, !gender.isEmpty {
            if Partner.Gender(rawValue: gender) == nil { errors.add("gender", "must be male or female") }
            else if effectiveKind != .person { errors.add("gender", "applies to persons only") }
        }
        if let birthDate, !birthDate.isEmpty {
            if CalendarDate(accepting: birthDate) == nil { errors.add("birthDate", CalendarDate.acceptedMessage) }
            else if effectiveKind != .person { errors.add("birthDate", "applies to persons only") }
        }
        if let registeredOn, !registeredOn.isEmpty, CalendarDate(accepting: registeredOn) == nil {
            errors.add("registeredOn", CalendarDate.acceptedMessage)
        }
        if let code, code.count > 64 { errors.add("code", "must be at most 64 characters") }
        for (index, contact) in (contacts ?? []).enumerated() {
            errors.merge(ContactValidation.check(contact), prefix: "contacts.\(index).")
        }
        if let counterparty {
            errors.merge(counterparty.validate(creating: false, current: nil), prefix: "counterparty.")
        }
        return errors
    }
}

enum ContactValidation {
    static func check(_ contact: ContactDTO) -> FieldErrors {
        var errors = FieldErrors()
        guard let type = ContactDetail.DetailType(rawValue: contact.type) else {
            errors.add("type", "must be one of: " + ContactDetail.DetailType.allCases.map(\.rawValue).joined(separator: ", "))
            return errors
        }
        let value = contact.value.trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty { errors.add("value", "must not be empty") }
        else if type == .email && !EmailAddress.looksValid(value) { errors.add("value", "is not an e-mail address") }
        else if (type == .phone || type == .fax) && Phone.normalize(value).count < 5 { errors.add("value", "is not a phone number") }
        if let validFrom = contact.validFrom, !validFrom.isEmpty, CalendarDate(accepting: validFrom) == nil {
            errors.add("validFrom", CalendarDate.acceptedMessage)
        }
        return errors
    }
}
