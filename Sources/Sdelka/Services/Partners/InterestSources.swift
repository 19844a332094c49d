import Fluent
import SdelkaCore
import Vapor

/// The registration source of interest of partners: the first primary-interest record not
/// tied to a deal.
enum InterestSources {
    static func registration(of partnerIDs: [UUID], on db: any Database) async throws -> [UUID: SourceDTO] {
        guard !partnerIDs.isEmpty else { return [:] }
        let rows = try await PrimaryInterest.query(on: db)
            .filter(\.$partnerID ~~ partnerIDs).filter(\.$dealID == nil)
            .sort(\.$createdAt).sort(\.$id).all()
        var result: [UUID: SourceDTO] = [:]
        for row in rows where result[row.partnerID] == nil {
            result[row.partnerID] = SourceDTO(channelId: row.channelID, eventId: row.eventID,
                                              referrerPartnerId: row.referrerPartnerID, note: row.note)
        }
        return result
    }

    static func check(_ source: SourceDTO, scope: AccessScope, on db: any Database, into errors: inout FieldErrors) async throws {
        if try await Channel.query(on: db).filter(\.$id == source.channelId).filter(\.$deletionMark == false).count() == 0 {
            errors.add("source.channelId", "names a channel that does not exist")
        }
        if let event = source.eventId,
           try await MarketingEvent.query(on: db).filter(\.$id == event).filter(\.$deletionMark == false).count() == 0 {
            errors.add("source.eventId", "names a marketing event that does not exist")
        }
        if let referrer = source.referrerPartnerId,
           try await PartnerQueries.scoped(scope, on: db).filter(\.$id == referrer).count() == 0 {
            errors.add("source.referrerPartnerId", "names a partner that does not exist")
        }
    }

    /// Sets the registration source: updates the record if there is one, creates it if not.
    static func setRegistration(_ source: SourceDTO, of partnerID: UUID, on db: any Database) async throws {
        let existing = try await PrimaryInterest.query(on: db)
            .filter(\.$partnerID == partnerID).filter(\.$dealID == nil)
            .sort(\.$createdAt).sort(\.$id).first()
        let record = existing ?? PrimaryInterest()
        record.partnerID = partnerID
        record.channelID = source.channelId
        record.eventID = source.eventId
        record.referrerPartnerID = source.referrerPartnerId
        record.note = source.note.flatMap { $0.isEmpty ? nil : $0 }
        try await record.save(on: db)
    }
}
