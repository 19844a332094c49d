import Fluent
import SdelkaCore
import Vapor

/// The mailing form: the letter, whom it goes to, and when (a moment, or an event).
/// Partners are named by code, one per line; extra addresses one per line.
enum MailingForm {
    static func input(from form: PostedForm, req: Request) async throws -> MailingInput {
        let zone = req.application.sdelka.timeZone
        var errors = FieldErrors()
        var input = MailingInput()
        input.name = form.text("name") ?? ""
        input.channel = form.text("channel").flatMap(Mailing.Channel.init(rawValue:))
        input.topicId = form.uuid("topicId")
        input.subject = form.text("subject") ?? ""
        input.text = form.text("text") ?? ""
        input.html = form.text("html")
        input.sender = form.text("sender")
        // Files chosen are added to those the mailing has.
        let added = form.files.filter { $0.field == "files" }
        if !added.isEmpty, let id = form.uuid("id") {
            input.attachments = (try await MailingService.files(of: [id], on: req.db)[id] ?? []).map { AttachmentInput(id: $0.id) }
        }
        if !added.isEmpty {
            input.attachments = (input.attachments ?? [])
                + added.map { AttachmentInput(filename: $0.filename, contentType: $0.contentType, content: $0.data.base64EncodedString()) }
        }
        input.mode = form.text("mode").flatMap(Mailing.Mode.init(rawValue:))
        for (field, target) in [("sendAt", \MailingInput.sendAt), ("validUntil", \MailingInput.validUntil)] {
            guard let text = form.text(field), !text.isEmpty else { continue }
            guard let date = InteractionForm.date(text, zone: zone) else { errors.add(field, "is not a date and time"); continue }
            input[keyPath: target] = date
        }
        var audience = MailingAudienceDTO()
        audience.segmentId = form.uuid("segmentId")
        audience.eventId = form.uuid("eventId")
        audience.eventAttendance = form.text("eventAttendance").flatMap(MailingAudienceDTO.Attendance.init(rawValue:))
        audience.surveyId = form.uuid("surveyId")
        audience.surveyRespondents = form.text("surveyRespondents").flatMap(MailingAudienceDTO.SurveyRespondents.init(rawValue:))
        audience.whom = form.text("whom").flatMap(MailingAudienceDTO.Whom.init(rawValue:))
        audience.roleId = form.uuid("roleId")
        let codes = SurveyTemplatePages.lines(form.text("partnerCodes"))
        if !codes.isEmpty {
            let found = try await Partner.query(on: req.db).filter(\.$code ~~ codes).filter(\.$deletionMark == false).all()
            let missing = codes.filter { code in !found.contains { $0.code == code } }
            if !missing.isEmpty { errors.add("partnerCodes", "names no partner with the code: " + missing.joined(separator: ", ")) }
            audience.partnerIds = try found.map { try $0.requireID() }
        }
        let extras = SurveyTemplatePages.lines(form.text("extraAddresses"))
        if !extras.isEmpty { audience.extraAddresses = extras }
        input.audience = audience
        if input.mode == .event {
            var trigger = MailingTriggerDTO(event: form.text("triggerEvent").flatMap(Mailing.Trigger.init(rawValue:)))
            trigger.dealKindId = form.uuid("dealKindId")
            trigger.stageId = form.uuid("stageId")
            if let delay = form.text("delayMinutes"), !delay.isEmpty {
                guard let minutes = Int(delay) else { throw FieldErrors("delayMinutes", "must be a whole number") }
                trigger.delayMinutes = minutes
            }
            input.trigger = trigger
        }
        input.version = form.text("version").flatMap { Int($0) }
        try errors.check()
        return input
    }

    /// The form's fields, filled from what was posted or stored.
    static func fields(_ req: Request, dto: MailingDTO?, make: FieldMaker, t: [String: String]) async throws -> [FormField] {
        let zone = req.application.sdelka.timeZone
        let names = try await ReferenceNames.load(req)
        func options<T: RawRepresentable & CaseIterable>(_: T.Type, _ prefix: String) -> [(String, String)] where T.RawValue == String {
            T.allCases.map { ($0.rawValue, t[prefix + $0.rawValue] ?? $0.rawValue) }
        }
        let topics = try await ReferenceNames.catalog(MailingTopic.self, req.db).map { ($0.0.uuidString, $0.1) }
        let events = names.features.isEnabled(.marketingEvents)
            ? try await MarketingEvent.query(on: req.db).filter(\.$deletionMark == false).sort(\.$plannedStart, .descending).range(0..<100).all()
                .map { (try $0.requireID().uuidString, $0.name) } : []
        let surveys = names.features.isEnabled(.surveys)
            ? try await Survey.query(on: req.db).filter(\.$deletionMark == false).sort(\.$createdAt, .descending).range(0..<100).all()
                .map { (try $0.requireID().uuidString, $0.name) } : []
        let kinds = try await DealKind.query(on: req.db).filter(\.$deletionMark == false).sort(\.$name).all()
        let stages = try await DealStage.query(on: req.db).filter(\.$kindID ~~ kinds.compactMap(\.id)).sort(\.$position).all()
        let kindNames = Dictionary(kinds.compactMap { k in k.id.map { ($0, k.name) } }, uniquingKeysWith: { a, _ in a })
        var codes = ""
        if let ids = dto?.audience.partnerIds, !ids.isEmpty {
            codes = try await Partner.query(on: req.db).filter(\.$id ~~ ids).all().compactMap(\.code).joined(separator: "\n")
        }
        let a = dto?.audience
        var fields = [
            make.field("name", "field_name", stored: dto?.name, required: true, wide: true),
            make.select("channel", "field_channel_kind", options(Mailing.Channel.self, "mailing_channel_"), stored: dto?.channel.rawValue ?? "email", blank: nil),
            make.select("topicId", "field_mailing_topic", topics, stored: dto?.topicId?.uuidString),
            make.field("subject", "field_mail_subject", stored: dto?.subject, wide: true, hint: "hint_mailing_placeholders"),
            make.field("text", "field_text", .textarea, stored: dto?.text, required: true, wide: true),
            make.field("html", "field_html", .textarea, stored: dto?.html, wide: true),
            make.field("sender", "field_sender", stored: dto?.sender, hint: "hint_mailing_sender"),
            FormField(name: "files", label: make.label("field_attachments"), type: .file,
                      hint: dto.flatMap { $0.attachments.isEmpty ? nil : $0.attachments.map(\.filename).joined(separator: ", ") }, wide: true),
            make.select("mode", "field_mailing_mode", options(Mailing.Mode.self, "mailing_mode_"), stored: dto?.mode.rawValue ?? "planned", blank: nil),
            make.field("sendAt", "field_send_at", .datetime, stored: InteractionForm.text(dto?.sendAt, zone: zone)),
            make.field("validUntil", "field_valid_until", .datetime, stored: InteractionForm.text(dto?.validUntil, zone: zone)),
            make.select("segmentId", "field_segment", names.segments.map { ($0.0.uuidString, $0.1) }, stored: a?.segmentId?.uuidString),
        ]
        if !events.isEmpty {
            fields.append(make.select("eventId", "field_event", events, stored: a?.eventId?.uuidString))
            fields.append(make.select("eventAttendance", "field_event_attendance", options(MailingAudienceDTO.Attendance.self, "attendance_"),
                                      stored: a?.eventAttendance?.rawValue, blank: nil))
        }
        if !surveys.isEmpty {
            fields.append(make.select("surveyId", "field_survey", surveys, stored: a?.surveyId?.uuidString))
            fields.append(make.select("surveyRespondents", "field_survey_respondents", options(MailingAudienceDTO.SurveyRespondents.self, "respondents_"),
                                      stored: a?.surveyRespondents?.rawValue, blank: nil))
        }
        fields += [
            make.field("partnerCodes", "field_partner_codes", .textarea, stored: codes, wide: true, hint: "hint_partner_codes"),
            make.field("extraAddresses", "field_extra_addresses", .textarea, stored: a?.extraAddresses?.joined(separator: "\n"), wide: true,
                       hint: "hint_extra_addresses"),
            make.select("whom", "field_whom", options(MailingAudienceDTO.Whom.self, "whom_"), stored: a?.whom?.rawValue ?? "partner", blank: nil),
            make.select("roleId", "field_contact_role", names.contactRoles.map { ($0.0.uuidString, $0.1) }, stored: a?.roleId?.uuidString),
            make.select("triggerEvent", "field_trigger", options(Mailing.Trigger.self, "mailing_trigger_"), stored: dto?.trigger?.event?.rawValue),
            make.select("dealKindId", "field_deal_kind", kinds.compactMap { k in k.id.map { ($0.uuidString, k.name) } }, stored: dto?.trigger?.dealKindId?.uuidString),
            make.select("stageId", "field_stage", stages.compactMap { s in s.id.map { ($0.uuidString, "\(kindNames[s.kindID] ?? "") — \(s.name)") } },
                        stored: dto?.trigger?.stageId?.uuidString),
            make.field("delayMinutes", "field_delay_minutes", .number, stored: dto?.trigger?.delayMinutes.map(String.init), hint: "hint_delay_minutes"),
        ]
        return fields
    }
}
