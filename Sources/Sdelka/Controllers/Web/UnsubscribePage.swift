import Fluent
import SdelkaCore
import Vapor

/// `/u/{token}`: a recipient's own unsubscribe page, without signing in. Opening it changes
/// nothing (mail scanners open links); the button, or a mail client's RFC 8058 one-click POST
/// (`List-Unsubscribe=One-Click`), unsubscribes the address — from the mailing's topic, or
/// from the topics ticked on the page. A wrong token answers 404.
enum UnsubscribePage {
    struct Body: Encodable, Sendable {
        struct Topic: Encodable, Sendable { var id: UUID; var name: String; var checked: Bool }
        var address: String
        var action: String
        var topics: [Topic]
        var done: [String]?
    }

    static func register(on routes: any RoutesBuilder) {
        routes.get("u", ":token", use: show)
        routes.post("u", ":token", use: submit)
    }

    static func found(_ req: Request) async throws -> UnsubscribeLink {
        guard let token = req.parameters.get("token"),
              try await SettingsStore.features(on: req.db).isEnabled(.mailings),
              let link = try await UnsubscribeLink.find(token, on: req.db) else { throw NotFound("link") }
        return link
    }

    @Sendable static func show(req: Request) async throws -> Response {
        try await render(req, link: try await found(req), done: nil)
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        let link = try await found(req)
        let form = try PostedForm(req)
        let author = ChangeAuthor(userID: nil, login: "recipient")
        if form.text("List-Unsubscribe") == "One-Click" {
            let left = try await link.unsubscribe(how: "oneClick", on: req.db, author: author)
            return try await render(req, link: link, done: left)
        }
        let chosen = try await link.unsubscribableTopics(on: req.db).compactMap { topic in
            topic.id.flatMap { form.flag("topic_\($0.uuidString)") ? $0 : nil }
        }
        let left = try await link.unsubscribe(from: chosen, how: "page", on: req.db, author: author)
        return try await render(req, link: link, done: left)
    }

    static func render(_ req: Request, link: UnsubscribeLink, done: [String]?) async throws -> Response {
        let subscribed = try await SubscriptionService(db: req.db, author: .system).stored([link.recipient.address ?? ""])
        let topics = try await link.unsubscribableTopics(on: req.db).compactMap { topic -> Body.Topic? in
            guard let id = topic.id else { return nil }
            let stillOn = subscribed[.init(address: link.recipient.address ?? "", topic: id)] ?? true
            guard stillOn else { return nil }
            return Body.Topic(id: id, name: topic.name, checked: id == link.mailing.topicID)
        }
        let body = Body(address: link.recipient.address ?? "", action: "/u/" + (req.parameters.get("token") ?? ""), topics: topics, done: done)
        return try await WebPage.render("unsubscribe", titleKey: "unsubscribe_title", page: body, for: req)
    }
}
