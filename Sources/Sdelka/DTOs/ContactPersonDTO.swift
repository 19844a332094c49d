import SdelkaCore
import Vapor

struct ContactPersonDTO: Content, Equatable {
    var id: UUID
    var partnerId: UUID
    var name: String
    var position: String?
    var roles: [UUID]
    var gender: String?
    var birthDate: String?
    var since: String?
    var until: String?
    var contacts: [ContactDTO]
    var deletionMark: Bool
    var version: Int

    init(_ p: ContactPerson, roles: [UUID], contacts: [ContactDetail]) throws {
        id = try p.requireID()
        partnerId = p.partnerID
        name = p.name
        position = p.position
        self.roles = roles.sorted { $0.uuidString < $1.uuidString }
        gender = p.gender?.rawValue
        birthDate = p.birthDate
        since = p.since
        until = p.until
        self.contacts = ContactDTO.list(contacts)
        deletionMark = p.deletionMark
        version = p.version
    }
}

struct ContactPersonInput: Content {
    var partnerId: UUID?
    var name: String?
    var position: String?
    var roles: [UUID]?
    var gender: String?
    var birthDate: String?
    var since: String?
    var until: String?
    var contacts: [ContactDTO]?
    var version: Int?

    func validate(creating: Bool, current: ContactPerson?) -> FieldErrors {
        var errors = FieldErrors()
        if creating {
            if partnerId == nil { errors.add("partnerId", "is required") }
            if name == nil { errors.add("name", "is required") }
        }
        if let name, name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("name", "must not be empty") }
        if let gender, !gender.isEmpty, Partner.Gender(rawValue: gender) == nil { errors.add("gender", "must be male or female") }
        for (field, value) in [("birthDate", birthDate), ("since", since), ("until", until)] {
            if let value, !value.isEmpty, CalendarDate(accepting: value) == nil { errors.add(field, CalendarDate.acceptedMessage) }
        }
        let start = (since ?? current?.since).flatMap { CalendarDate($0) }
        let end = (until ?? current?.until).flatMap { CalendarDate($0) }
        if let start, let end, end < start { errors.add("until", "must not be before since") }
        for (index, contact) in (contacts ?? []).enumerated() {
            errors.merge(ContactValidation.check(contact), prefix: "contacts.\(index).")
        }
        return errors
    }
}
