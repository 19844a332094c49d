import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// Survey campaigns: a draft names its template, period and respondents; starting it keeps
/// the template's questions and makes one questionnaire with a personal link per respondent
/// the user may see; closing it stops the links.
struct SurveyService: RecordService {
    static let noun = "survey"

    let context: ServiceContext
    var db: any Database { context.db }
    var scope: AccessScope { context.scope }

    init(_ context: ServiceContext) { self.context = context }

    func list(q: String?, status: Survey.Status?, includeDeleted: Bool) -> QueryBuilder<Survey> {
        let query = Survey.query(on: db)
        if !includeDeleted { query.filter(\.$deletionMark == false) }
        if let q { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        if let status { query.filter(\.$status == status) }
        return query.sort(\.$createdAt, .descending).sort(\.$id)
    }

    /// Surveys are everyone's; their questionnaires follow the partners' access groups.
    func visible(_ id: UUID) async throws -> Survey? { try await Survey.find(id, on: db) }

    func dto(_ survey: Survey) async throws -> SurveyDTO { try SurveyDTO(survey) }

    func create(_ input: SurveyInput) async throws -> Survey {
        var errors = FieldErrors()
        if input.name.cleaned == nil { errors.add("name", "is required") }
        if input.templateId == nil { errors.add("templateId", "is required") }
        let survey = Survey()
        survey.id = TimeOrderedID.make()
        survey.name = ""  // a body without a name is reported, not read unset
        survey.status = .draft
        survey.respondents = "{}"
        apply(input, to: survey, into: &errors)
        try await check(survey, input: input, into: &errors)
        try errors.check()
        try await writer.create(survey)
        return survey
    }

    func update(_ survey: Survey, with input: SurveyInput, clearing: Set<String>) async throws {
        var errors = FieldErrors()
        if let name = input.name, name.cleaned == nil { errors.add("name", "must not be empty") }
        if survey.status != .draft {
            if let template = input.templateId, template != survey.templateID { errors.add("templateId", "cannot change once the survey is started") }
            if input.respondents != nil { errors.add("respondents", "cannot change once the survey is started") }
        }
        let before = try SurveyDTO(survey)
        apply(input, to: survey, into: &errors)
        if clearing.contains("from") { survey.from = nil }
        if clearing.contains("to") { survey.to = nil }
        try await check(survey, input: input, into: &errors)
        try errors.check()
        try await writer.update(survey, before: before, expectedVersion: input.version)
    }

    func setDeletionMark(_ survey: Survey, to mark: Bool, expectedVersion: Int?) async throws {
        try await writer.setDeletionMark(survey, to: mark, expectedVersion: expectedVersion)
    }

    /// draft → active: the questions are kept as the template has them now, and each respondent
    /// the user may see gets a questionnaire (a partner once, a contact person once).
    func start(_ survey: Survey, expectedVersion: Int?) async throws -> Int {
        guard survey.status == .draft else { throw RuleConflict("survey_started", "The survey is already started.") }
        guard let template = try await SurveyTemplate.find(survey.templateID, on: db), !template.deletionMark else {
            throw FieldErrors("templateId", "names a survey template that does not exist")
        }
        let people = try await respondents(try SurveyDTO(survey).respondents)
        guard !people.isEmpty else { throw FieldErrors("respondents", "name nobody you may see") }
        let before = try SurveyDTO(survey)
        survey.status = .active
        survey.questions = template.questions
        let id = try survey.requireID()
        try await writer.update(survey, before: before, expectedVersion: expectedVersion) { tx in
            for chunk in people.chunks(of: 500) {
                let rows = chunk.map { person in
                    let q = Questionnaire()
                    q.id = TimeOrderedID.make()
                    q.surveyID = id
                    q.partnerID = person.partner
                    q.contactPersonID = person.person
                    q.token = Self.newToken()
                    q.status = .invited
                    return q
                }
                try await rows.create(on: tx)
            }
        }
        return people.count
    }

    func close(_ survey: Survey, expectedVersion: Int?) async throws {
        guard survey.status == .active else { throw RuleConflict("survey_not_active", "Only an active survey is closed.") }
        let before = try SurveyDTO(survey)
        survey.status = .closed
        try await writer.update(survey, before: before, expectedVersion: expectedVersion)
    }

    /// 128 random bits and more: a link is guessed no sooner than a password.
    static func newToken() -> String {
        Data([UInt8].random(count: 24)).base64URLEncoded()
    }

    /// Who the respondents are, as the user sees them: (partner, contact person?) pairs, once each.
    func respondents(_ r: SurveyRespondentsDTO) async throws -> [(partner: UUID, person: UUID?)] {
        var pairs: [(partner: UUID, person: UUID?)] = []
        var seen = Set<String>()
        func add(_ partner: UUID, _ person: UUID?) {
            if seen.insert("\(partner)/\(person?.uuidString ?? "")").inserted { pairs.append((partner, person)) }
        }
        if let id = r.segmentId, let segment = try await Segment.find(id, on: db) {
            struct Row: Decodable { var id: UUID }
            let members = try await SegmentService(context).members(of: segment).column(SQLColumn("id", table: "p"))
                .orderBy(SQLColumn("name", table: "p")).all(decoding: Row.self)
            for member in members { add(member.id, nil) }
        }
        if let id = r.eventId {
            let visible = Set(try await PartnerQueries.scoped(scope, on: db).join(EventParticipant.self, on: \Partner.$id == \EventParticipant.$partnerID)
                .filter(EventParticipant.self, \.$eventID == id).all(\.$id))
            for p in try await EventParticipant.query(on: db).filter(\.$eventID == id).sort(\.$position).all() where visible.contains(p.partnerID) {
                add(p.partnerID, p.contactPersonID)
            }
        }
        if let ids = r.partnerIds, !ids.isEmpty {
            for partner in try await PartnerQueries.scoped(scope, on: db).filter(\.$id ~~ ids).filter(\.$deletionMark == false).all() {
                add(try partner.requireID(), nil)
            }
        }
        if let ids = r.contactPersonIds, !ids.isEmpty {
            for person in try await ContactPersonQueries.scoped(scope, on: db).filter(\.$id ~~ ids).filter(\.$deletionMark == false).all() {
                add(person.partnerID, try person.requireID())
            }
        }
        return pairs
    }

    private var writer: RecordWriter<Survey> {
        RecordWriter(db: db, author: context.author) { try SurveyDTO($0) }
    }

    private func apply(_ input: SurveyInput, to s: Survey, into errors: inout FieldErrors) {
        if let name = input.name.cleaned { s.name = name }
        if let template = input.templateId { s.templateID = template }
        for (field, value) in [("from", input.from), ("to", input.to)] {
            guard let value else { continue }
            guard let text = value.cleaned else { continue }
            guard let day = CalendarDate(accepting: text) else { errors.add(field, CalendarDate.acceptedMessage); continue }
            if field == "from" { s.from = day.description } else { s.to = day.description }
        }
        if let respondents = input.respondents {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            s.respondents = String(decoding: (try? encoder.encode(respondents)) ?? Data("{}".utf8), as: UTF8.self)
        }
        s.searchText = SearchText.normalize(s.name)
    }

    private func check(_ s: Survey, input: SurveyInput, into errors: inout FieldErrors) async throws {
        if let from = s.from, let to = s.to, to < from { errors.add("to", "must not be before from") }
        if s.$templateID.value != nil, input.templateId != nil,
           try await SurveyTemplate.query(on: db).filter(\.$id == s.templateID).filter(\.$deletionMark == false).count() == 0 {
            errors.add("templateId", "names a survey template that does not exist")
        }
        if let r = input.respondents {
            if r.isEmpty { errors.add("respondents", "must name a segment, an event, partners or contact persons") }
            if (r.partnerIds ?? []).count + (r.contactPersonIds ?? []).count > 10_000 { errors.add("respondents", "must name at most 10000 partners and contact persons") }
            if let id = r.segmentId, try await Segment.find(id, on: db) == nil { errors.add("respondents.segmentId", "names a segment that does not exist") }
            if let id = r.eventId, try await MarketingEvent.find(id, on: db) == nil { errors.add("respondents.eventId", "names a marketing event that does not exist") }
        }
    }
}
