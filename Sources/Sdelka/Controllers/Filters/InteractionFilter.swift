import Fluent
import SdelkaCore
import Vapor

extension InteractionQueries {
    static func filter(_ req: Request) throws -> InteractionQueries.Filter {
        var params = QueryParameters(req)
        let zone = req.application.sdelka.timeZone
        var filter = InteractionQueries.Filter(reviewed: params.bool("reviewed"), reviewDue: params.bool("reviewDue") ?? false,
                            type: params.oneOf("type", Interaction.Kind.self), partnerID: params.uuid("partnerId"),
                            contactPersonID: params.uuid("contactPersonId"), responsibleID: params.uuid("responsibleId"),
                            from: params.date("from")?.start(in: zone), to: params.date("to")?.next.start(in: zone), q: params.text("q"),
                            today: CalendarDate(Date(), in: zone), includeDeleted: req.flag("includeDeleted"))
        let subjectType = params.oneOf("subjectType", Interaction.SubjectType.self), subjectID = params.uuid("subjectId")
        if let subjectType, let subjectID { filter.subject = .init(type: subjectType, id: subjectID) }
        else if subjectType != nil || subjectID != nil { params.fail("subjectId", "needs subjectType and subjectId together") }
        try params.check()
        return filter
    }
}
