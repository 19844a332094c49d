import Foundation
import SQLKit

/// Jobs the server runs by itself. A job is due when its `next_run_at` has passed; whoever
/// moves it to the next time by a compare-and-set update runs it, so with several servers on
/// one database it runs once. A job seen for the first time is due at once.
enum ScheduledJobs {
    static func claim(_ job: String, now: Date, next: Date, on sql: any SQLDatabase) async throws -> Bool {
        let nowSeconds = Int64(now.timeIntervalSince1970)
        try await sql.raw("""
            INSERT INTO scheduled_jobs (name, next_run_at) VALUES (\(bind: job), \(bind: nowSeconds)) ON CONFLICT (name) DO NOTHING
            """).run()
        struct Job: Decodable { var next_run_at: Int64 }
        guard let seen = try await sql.select().column("next_run_at").from("scheduled_jobs")
            .where("name", .equal, SQLBind(job)).first(decoding: Job.self)?.next_run_at, seen <= nowSeconds else { return false }
        let claimed = try await sql.raw("""
            UPDATE scheduled_jobs SET next_run_at = \(bind: Int64(next.timeIntervalSince1970))
            WHERE name = \(bind: job) AND next_run_at = \(bind: seen) RETURNING name
            """).all()
        return !claimed.isEmpty
    }
}
