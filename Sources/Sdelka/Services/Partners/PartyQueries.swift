import Fluent

/// The access rule for what belongs to a partner: a counterparty or a contact person is seen
/// through its partner's access group, in the SQL itself.
enum CounterpartyQueries {
    static func scoped(_ scope: AccessScope, on db: any Database) -> QueryBuilder<Counterparty> {
        let query = Counterparty.query(on: db).join(Partner.self, on: \Counterparty.$partnerID == \Partner.$id)
        return scope.apply(to: query, joined: Partner.self, groupField: \.$accessGroupID)
    }
}

enum ContactPersonQueries {
    static func scoped(_ scope: AccessScope, on db: any Database) -> QueryBuilder<ContactPerson> {
        let query = ContactPerson.query(on: db).join(Partner.self, on: \ContactPerson.$partnerID == \Partner.$id)
        return scope.apply(to: query, joined: Partner.self, groupField: \.$accessGroupID)
    }
}
