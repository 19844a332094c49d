import Fluent
import SdelkaCore
import Vapor

struct ContactPersonService: Sendable {
    let db: any Database
    let author: ChangeAuthor
    let scope: AccessScope

    func dtos(_ people: [ContactPerson]) async throws -> [ContactPersonDTO] {
        let ids = try people.map { try $0.requireID() }
        let contacts = try await ContactStore.lists(.contactPerson, ownerIDs: ids, on: db)
        let roles = Dictionary(grouping: try await ContactPersonRole.query(on: db).filter(\.$contactPersonID ~~ ids).all(),
                               by: \.contactPersonID)
        return try people.map { person in
            let id = try person.requireID()
            return try ContactPersonDTO(person, roles: roles[id, default: []].map(\.roleID), contacts: contacts[id] ?? [])
        }
    }

    func dto(_ person: ContactPerson) async throws -> ContactPersonDTO { try await dtos([person])[0] }

    func create(_ input: ContactPersonInput) async throws -> ContactPerson {
        var errors = input.validate(creating: true, current: nil)
        if let partnerID = input.partnerId,
           !(try await PartnerQueries.isLive(partnerID, scope: scope, on: db)) {
            errors.add("partnerId", "names a partner that does not exist")
        }
        try await checkRoles(input.roles, into: &errors)
        try errors.check()
        let person = ContactPerson()
        person.partnerID = input.partnerId!
        apply(input, to: person)
        let roles = Array(Set(input.roles ?? []))
        let contacts = input.contacts ?? []
        try await writer(roles: roles, contacts: contacts).create(person) { tx in
            try await save(person, roles: roles, contacts: contacts, on: tx)
        }
        return person
    }

    func update(_ person: ContactPerson, with input: ContactPersonInput) async throws {
        var errors = input.validate(creating: false, current: person)
        if input.partnerId != nil && input.partnerId != person.partnerID {
            errors.add("partnerId", "cannot change; merge the partners instead")
        }
        try await checkRoles(input.roles, into: &errors)
        try errors.check()
        let before = try await dto(person)
        apply(input, to: person)
        let roles = input.roles.map { Array(Set($0)) } ?? before.roles
        let contacts = input.contacts ?? before.contacts
        try await writer(roles: roles, contacts: contacts).update(person, before: before, expectedVersion: input.version) { tx in
            try await save(person, roles: roles, contacts: contacts, on: tx)
        }
    }

    func writer(roles: [UUID], contacts: [ContactDTO]) -> RecordWriter<ContactPerson> {
        RecordWriter(db: db, author: author) { try ContactPersonDTO($0, roles: roles, contacts: []).with(contacts: contacts) }
    }

    private func save(_ person: ContactPerson, roles: [UUID], contacts: [ContactDTO], on tx: any Database) async throws {
        let id = try person.requireID()
        try await ContactPersonRole.query(on: tx).filter(\.$contactPersonID == id).delete()
        for role in roles {
            let link = ContactPersonRole()
            link.contactPersonID = id
            link.roleID = role
            try await link.create(on: tx)
        }
        try await ContactStore.replace(.contactPerson, ownerID: id, partnerID: person.partnerID, with: contacts, on: tx)
    }

    private func apply(_ input: ContactPersonInput, to p: ContactPerson) {
        if let name = input.name.cleaned { p.name = name }
        if let position = input.position { p.position = position.cleaned }
        if let gender = input.gender { p.gender = gender.cleaned.flatMap(Partner.Gender.init(rawValue:)) }
        if let date = input.birthDate { p.birthDate = date.cleaned }
        if let date = input.since { p.since = date.cleaned }
        if let date = input.until { p.until = date.cleaned }
        p.searchText = SearchText.normalize(p.name, p.position)
    }

    private func checkRoles(_ roles: [UUID]?, into errors: inout FieldErrors) async throws {
        guard let roles, !roles.isEmpty else { return }
        let found = try await ContactRole.query(on: db).filter(\.$id ~~ roles).filter(\.$deletionMark == false).count()
        if found != Set(roles).count { errors.add("roles", "names a role that does not exist") }
    }
}

extension ContactPersonDTO {
    func with(contacts: [ContactDTO]) -> ContactPersonDTO {
        var copy = self
        copy.contacts = contacts
        return copy
    }
}

extension ContactPersonService: RecordService {
    static let noun = "contact person"

    init(_ context: ServiceContext) {
        self.init(db: context.db, author: context.author, scope: context.scope)
    }

    func visible(_ id: UUID) async throws -> ContactPerson? {
        try await ContactPersonQueries.scoped(scope, on: db).filter(\.$id == id).first()
    }

    func update(_ person: ContactPerson, with input: ContactPersonInput, clearing: Set<String>) async throws {
        try await update(person, with: input)
    }

    func setDeletionMark(_ person: ContactPerson, to mark: Bool, expectedVersion: Int?) async throws {
        let stored = try await dto(person)
        let writer = writer(roles: stored.roles, contacts: stored.contacts)
        try await writer.setDeletionMark(person, to: mark, expectedVersion: expectedVersion)
    }
}
