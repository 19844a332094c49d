import Foundation
import SdelkaCore
import Vapor

/// The interaction form: common fields, then the ones of its kind; the first participant is
/// chosen with partner and contact-person look-ups (others, added through the API, are kept).
enum InteractionForm {
    /// `2026-11-20T10:00` in the company's zone, as the browser's datetime-local input sends it.
    static func date(_ text: String?, zone: TimeZone) -> Date? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    static func text(_ date: Date?, zone: TimeZone) -> String? {
        guard let date else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }

    static func input(from form: PostedForm, type: Interaction.Kind, stored: InteractionDTO?, zone: TimeZone) throws -> InteractionInput {
        var errors = FieldErrors()
        var input = InteractionInput()
        input.type = type
        input.topic = form.text("topic") ?? ""
        input.description = form.text("description") ?? ""
        input.importance = form.text("importance").flatMap(Interaction.Importance.init(rawValue:))
        input.responsibleId = form.uuid("responsibleId")
        input.reviewed = form.flag("reviewed")
        input.reviewAfter = form.text("reviewAfter") ?? ""
        input.basisId = stored == nil ? form.uuid("basisId") : nil
        input.version = form.text("version").flatMap { Int($0) }
        func when(_ name: String) -> Date? {
            guard let text = form.text(name).cleaned else { return nil }
            guard let date = date(text, zone: zone) else { errors.add(name, "must be a date and time"); return nil }
            return date
        }
        switch type {
        case .meeting:
            input.start = when("start"); input.end = when("end"); input.place = form.text("place") ?? ""
        case .planned:
            input.plannedAt = when("plannedAt")
        case .call:
            input.incoming = form.text("incoming").map { $0 == "true" }
            input.phone = form.text("phone") ?? ""
            if let text = form.text("durationSeconds").cleaned {
                if let value = Int(text) { input.durationSeconds = value } else { errors.add("durationSeconds", "must be a whole number") }
            }
        case .email:
            input.incoming = form.flag("incoming")
            input.status = form.text("status").flatMap(Interaction.MailStatus.init(rawValue:))
            input.from = form.text("from") ?? ""; input.to = form.text("to") ?? ""; input.cc = form.text("cc") ?? ""
            input.bodyText = form.text("bodyText") ?? ""
            input.bodyHtml = form.text("bodyHtml") ?? ""
            // Files chosen are added to those the letter has.
            let added = form.files.filter { $0.field == "files" }
            if !added.isEmpty {
                input.attachments = (stored?.attachments ?? []).map { AttachmentInput(id: $0.id) }
                    + added.map { AttachmentInput(filename: $0.filename, contentType: $0.contentType, content: $0.data.base64EncodedString()) }
            }
        case .sms:
            input.text = form.text("text") ?? ""
            input.transliterate = form.flag("transliterate")
            input.recipients = (form.text("recipients") ?? "").split(whereSeparator: { $0 == "," || $0 == "\n" })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { SMSRecipientDTO(phone: $0) }
        }
        let first = InteractionParticipantDTO(partnerId: form.uuid("partnerId"), contactPersonId: form.uuid("contactPersonId"))
        var others = Array((stored?.participants ?? []).dropFirst())
        if first.partnerId != nil || first.contactPersonId != nil { others.insert(first, at: 0) }
        input.participants = others
        try errors.check()
        return input
    }

    /// The statuses a user may choose: queued («Отправить») only with SMTP configured; the
    /// stored one always, so that a sent or failed letter shows what it is.
    static func mailStatuses(stored: Interaction.MailStatus?, canSend: Bool) -> [Interaction.MailStatus] {
        Interaction.MailStatus.allCases.filter { status in
            status == stored || [.draft, .sent, .received].contains(status) || (status == .queued && canSend)
        }
    }

    static func fields(_ type: Interaction.Kind, dto: InteractionDTO?, make: FieldMaker, names: ReferenceNames,
                       display: (partner: String, person: String), zone: TimeZone, t: [String: String], canSend: Bool = false) -> [FormSection] {
        let first = dto?.participants.first
        let main = [
            make.field("topic", "field_topic", stored: dto?.topic, required: true, wide: true),
            make.field("description", "field_description", .textarea, stored: dto?.description, wide: true),
            FormField(name: "partnerId", label: make.label("field_partner"), type: .lookup, value: make.value("partnerId", first?.partnerId?.uuidString),
                      display: display.partner, lookup: Site.lookup.path(.partners)).withError(make.errors),
            FormField(name: "contactPersonId", label: make.label("field_contact_person"), type: .lookup,
                      value: make.value("contactPersonId", first?.contactPersonId?.uuidString), display: display.person,
                      lookup: Site.lookup.path(.contactPersons)).withError(make.errors),
            make.select("importance", "field_importance", Interaction.Importance.allCases.map { ($0.rawValue, t["importance_\($0.rawValue)"] ?? $0.rawValue) },
                        stored: dto?.importance.rawValue ?? "normal", blank: nil),
            make.select("responsibleId", "field_responsible", names.users.map { ($0.0.uuidString, $0.1) }, stored: dto?.responsibleId?.uuidString),
            make.checkbox("reviewed", "field_reviewed", stored: dto?.reviewed),
            make.field("reviewAfter", "field_review_after", .date, stored: dto?.reviewAfter),
        ]
        let when = { (date: Date?) in text(date, zone: zone) }
        var kind: [FormField] = []
        switch type {
        case .meeting:
            kind = [make.field("start", "field_start", .datetime, stored: when(dto?.start), required: true),
                    make.field("end", "field_end", .datetime, stored: when(dto?.end)), make.field("place", "field_place", stored: dto?.place)]
        case .planned:
            kind = [make.field("plannedAt", "field_planned_at", .datetime, stored: when(dto?.plannedAt))]
        case .call:
            kind = [make.select("incoming", "field_direction", [("true", t["call_incoming"] ?? ""), ("false", t["call_outgoing"] ?? "")],
                                stored: dto?.incoming.map { $0 ? "true" : "false" }, blank: nil),
                    make.field("phone", "field_phone", stored: dto?.phone), make.field("durationSeconds", "field_duration_seconds", .number, stored: dto?.durationSeconds.map(String.init))]
        case .email:
            var status = make.select("status", "field_mail_status",
                                     mailStatuses(stored: dto?.status, canSend: canSend).map { ($0.rawValue, t["mail_status_\($0.rawValue)"] ?? $0.rawValue) },
                                     stored: dto?.status?.rawValue ?? "draft", blank: nil)
            if let error = dto?.error { status.hint = "\(t["mail_error"] ?? "Error"): \(error)" }
            if let sent = dto?.sentAt { status.hint = [status.hint, "\(t["field_sent_at"] ?? "Sent"): \(RussianFormat.dateTime(sent, zone: zone))"].compactMap { $0 }.joined(separator: " · ") }
            kind = [status,
                    make.checkbox("incoming", "field_incoming_mail", stored: dto?.incoming),
                    make.field("from", "field_mail_from", stored: dto?.from), make.field("to", "field_mail_to", stored: dto?.to),
                    make.field("cc", "field_mail_cc", stored: dto?.cc),
                    make.field("bodyText", "field_body", .textarea, stored: dto?.bodyText, wide: true),
                    make.field("bodyHtml", "field_body_html", .textarea, stored: dto?.bodyHtml, wide: true, hint: "hint_body_html"),
                    FormField(name: "files", label: make.label("field_attachments"), type: .file, wide: true)]
        case .sms:
            kind = [make.field("text", "field_sms_text", .textarea, stored: dto?.text, required: true, wide: true),
                    make.field("recipients", "field_sms_recipients", stored: dto?.recipients?.map(\.phone).joined(separator: ", "), wide: true,
                               hint: "hint_sms_recipients"),
                    make.checkbox("transliterate", "field_transliterate", stored: dto?.transliterate)]
        }
        return [FormSection(title: nil, fields: main), FormSection(title: t["interaction_type_\(type.rawValue)"], fields: kind)]
    }
}
