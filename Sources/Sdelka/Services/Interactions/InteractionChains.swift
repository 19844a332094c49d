import Fluent
import Foundation
import SQLKit

/// The figures DOMAIN.md §3 keeps per subject: how many of its live interactions are not
/// reviewed and when the last one took place, recomputed for the subjects a write touched.
enum InteractionChains {
    static func refresh(_ subjects: Set<InteractionSubjectDTO>, on db: any Database) async throws {
        let sql = db.sql
        for subject in subjects {
            try await sql.delete(from: "interaction_subjects").where("subject_type", .equal, SQLBind(subject.type.rawValue))
                .where("subject_id", .equal, SQLBind(subject.id)).run()
            try await sql.raw("""
                INSERT INTO interaction_subjects (subject_type, subject_id, unreviewed, last_at)
                SELECT subject_type, subject_id, SUM(CASE WHEN reviewed THEN 0 ELSE 1 END), MAX(occurred_at)
                FROM interactions WHERE subject_type = \(bind: subject.type.rawValue) AND subject_id = \(bind: subject.id)
                  AND deletion_mark = \(SQLLiteral.boolean(false))
                GROUP BY subject_type, subject_id
                """).run()
        }
    }

    static func refresh(_ subjects: [InteractionSubjectDTO], on db: any Database) async throws {
        try await refresh(Set(subjects), on: db)
    }

    static func load(_ subjects: Set<InteractionSubjectDTO>, on db: any Database) async throws -> [InteractionSubjectDTO: ChainDTO] {
        guard !subjects.isEmpty else { return [:] }
        struct Row: Decodable { var subject_type: String; var subject_id: UUID; var unreviewed: Int; var last_at: Date? }
        var result: [InteractionSubjectDTO: ChainDTO] = [:]
        for chunk in Array(Set(subjects.map(\.id))).chunks(of: 500) {
            for row in try await db.sql.select().columns("subject_type", "subject_id", "unreviewed", "last_at").from("interaction_subjects")
                .where("subject_id", .in, SQLBind.group(Array(chunk))).all(decoding: Row.self) {
                guard let type = Interaction.SubjectType(rawValue: row.subject_type) else { continue }
                let key = InteractionSubjectDTO(type: type, id: row.subject_id)
                if subjects.contains(key) { result[key] = ChainDTO(unreviewed: row.unreviewed, lastAt: row.last_at) }
            }
        }
        return result
    }
}
