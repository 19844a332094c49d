import Fluent
import Foundation
import SQLKit

/// The figures of mailings from their recipient rows, in one grouped query for a page of them.
enum MailingStats {
    static func load(_ ids: [UUID], on db: any Database) async throws -> [UUID: MailingStatsDTO] {
        guard !ids.isEmpty else { return [:] }
        struct Row: Decodable { var mailing_id: UUID; var status: String; var n: Int }
        var result: [UUID: MailingStatsDTO] = [:]
        for chunk in ids.chunks(of: 500) {
            let rows = try await db.sql.select().column("mailing_id").column("status")
                .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
                .from(MailingRecipient.schema).where("mailing_id", .in, SQLBind.group(Array(chunk)))
                .groupBy("mailing_id").groupBy("status").all(decoding: Row.self)
            for row in rows {
                var stats = result[row.mailing_id] ?? MailingStatsDTO()
                stats.recipients += row.n
                switch MailingRecipient.Status(rawValue: row.status) {
                case .sent: stats.sent += row.n
                case .failed: stats.failed += row.n
                case .skipped: stats.skipped += row.n
                case .queued, nil: stats.queued += row.n
                }
                result[row.mailing_id] = stats
            }
        }
        return result
    }
}
