import Fluent
import Foundation
import SdelkaCore
import Vapor

/// `GET /api/v1/interactions.ics?responsibleId=`: meetings and planned interactions as an
/// iCalendar feed, from 90 days back to a year ahead, for the signed-in user (by default their
/// own). Calendar apps cannot send a header, so each user may create a secret link,
/// `…/interactions.ics?key=…`, good for this feed only (`POST /api/v1/me/calendar-link`;
/// creating a new one revokes the old).
enum CalendarFeed {
    static func register(api: any RoutesBuilder, authenticated: any RoutesBuilder) {
        api.grouped(CalendarKeyAuthenticator(), BearerTokenAuthenticator(), RequireUserMiddleware())
            .feature(.interactions).get("interactions.ics", use: feed)
        authenticated.post("me", "calendar-link", use: createLink)
        authenticated.delete("me", "calendar-link", use: revokeLinks)
    }

    @Sendable static func feed(req: Request) async throws -> Response {
        let user = try req.user
        var params = QueryParameters(req)
        let responsible = params.uuid("responsibleId") ?? user.id
        try params.check()
        let now = Date()
        let query = InteractionQueries.scoped(try await req.accessScope(), userID: try req.user.id, on: req.db)
            .filter(\.$deletionMark == false).filter(\.$type ~~ [.meeting, .planned]).filter(\.$responsibleID == responsible)
            .filter(\.$occurredAt >= now.addingTimeInterval(-90 * 86_400)).filter(\.$occurredAt <= now.addingTimeInterval(366 * 86_400))
            .sort(\.$occurredAt)
        let events = try await query.all().map { i in
            let start = i.type == .meeting ? (i.start ?? i.occurredAt) : (i.plannedAt ?? i.occurredAt)
            // A planned contact is half an hour; a meeting without an end, an hour.
            let end = i.end ?? start.addingTimeInterval(i.type == .meeting ? 3_600 : 1_800)
            return ICalendar.Event(uid: "\(try i.requireID().uuidString.lowercased())@sdelka", start: start, end: max(end, start),
                                   summary: i.topic, description: i.details, location: i.place, stamp: i.updatedAt ?? i.createdAt ?? now)
        }
        let calendar = ICalendar(name: "Sdelka: \(user.name)", events: events)
        let response = Response(status: .ok, body: .init(string: calendar.text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        return response
    }

    struct LinkDTO: Content { var url: String }

    /// A new secret link (the secret shown once); the user's older links stop working.
    @Sendable static func createLink(req: Request) async throws -> Response {
        let url = try await ApiTokens(user: req.user, db: req.db).newCalendarLink()
        return try await LinkDTO(url: url).encodeResponse(status: .created, for: req)
    }

    @Sendable static func revokeLinks(req: Request) async throws -> HTTPStatus {
        try await ApiTokens(user: req.user, db: req.db).revokeCalendarLinks()
        return .noContent
    }
}

/// `?key=` of a calendar link: signs its user in for the feed alone.
struct CalendarKeyAuthenticator: AsyncRequestAuthenticator {
    func authenticate(request: Request) async throws {
        guard let key = request.query[String.self, at: "key"] else { return }
        if let user = try await TokenStore.find(secret: key, on: request.db), user.tokenKind == .calendar {
            request.auth.login(user)
        }
    }
}
