import Fluent
import SdelkaCore
import Vapor

/// On the partner card: which mailing topics each e-mail and phone of the partner and of its
/// contact persons receives, as checkboxes saved at once; service topics are shown, not
/// changed. Nil when mailings are switched off or there are no topics.
struct SubscriptionsPanel: Encodable, Sendable {
    struct Topic: Encodable, Sendable { var id: UUID; var name: String }
    struct Cell: Encodable, Sendable { var field: String; var subscribed: Bool; var locked: Bool }
    struct Row: Encodable, Sendable { var owner: String; var address: String; var cells: [Cell] }
    var action: String
    var topics: [Topic]
    var rows: [Row]
    var canEdit: Bool

    static func load(partner: Partner, req: Request) async throws -> SubscriptionsPanel? {
        guard try await SettingsStore.features(on: req.db).isEnabled(.mailings) else { return nil }
        let topics = try await MailingTopic.query(on: req.db).filter(\.$deletionMark == false).sort(\.$name).all()
        guard !topics.isEmpty else { return nil }
        var rows: [Row] = []
        let owners = try await owners(of: partner, on: req.db)
        let lists = try await SubscriptionService(db: req.db, author: .system).lists(owners.map(\.0))
        for (owner, label) in owners {
            let items = lists[owner.ownerID] ?? []
            for (address, group) in Dictionary(grouping: items, by: \.address).sorted(by: { $0.key < $1.key }) {
                rows.append(Row(owner: label, address: address.contains("@") ? address : Phone.display(address), cells: group.map {
                    Cell(field: "s.\(owner.ownerID.uuidString).\($0.topicId.uuidString).\(address)", subscribed: $0.subscribed, locked: $0.unsubscribable == false)
                }))
            }
        }
        return SubscriptionsPanel(action: Site.partners.path(try partner.requireID(), .subscriptions),
                                  topics: try topics.map { Topic(id: try $0.requireID(), name: $0.name) }, rows: rows,
                                  canEdit: try req.user.role.can(.editRecords))
    }

    static func owners(of partner: Partner, on db: any Database) async throws -> [(SubscriptionService.Owner, String)] {
        let people = try await ContactPerson.query(on: db).filter(\.$partnerID == (try partner.requireID())).filter(\.$deletionMark == false)
            .sort(\.$name).all()
        return [(.partner(partner), partner.name)] + people.map { (.contactPerson($0), $0.name) }
    }

    /// `POST /partners/{id}/subscriptions`: every shown, changeable box as ticked or not.
    @Sendable static func save(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let (partner, _) = try await req.record(PartnerService.self)
        let form = try PostedForm(req)
        let service = SubscriptionService(try await req.serviceContext())
        let unsubscribable = Set(try await MailingTopic.query(on: req.db).filter(\.$isUnsubscribable == true).all().compactMap(\.id))
        let owners = try await owners(of: partner, on: req.db)
        let lists = try await service.lists(owners.map(\.0))
        for (owner, _) in owners {
            let items = (lists[owner.ownerID] ?? []).filter { unsubscribable.contains($0.topicId) }.map { item in
                SubscriptionDTO(address: item.address, topicId: item.topicId,
                                subscribed: form.flag("s.\(owner.ownerID.uuidString).\(item.topicId.uuidString).\(item.address)"))
            }
            if !items.isEmpty { _ = try await service.replace(owner, with: items) }
        }
        return WebPage.redirect(req, to: Site.partners.path(try partner.requireID()), flash: WebPage.text(req, "subscriptions_saved"))
    }
}
