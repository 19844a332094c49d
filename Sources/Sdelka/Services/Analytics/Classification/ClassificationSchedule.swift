import Fluent
import NIOCore
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// Runs classification at the start of every period the settings name, inside the server,
/// and refreshes periodic segments daily. With several servers on one database, each due run
/// is claimed by one compare-and-set update of `scheduled_jobs`, so it runs once.
struct ClassificationSchedule: LifecycleHandler {
    static let job = "classification"
    static let interval: TimeAmount = .seconds(60)

    final class Box: @unchecked Sendable { var task: RepeatedTask? }
    let box = Box()

    func didBootAsync(_ app: Application) async throws {
        box.task = app.eventLoopGroup.next().scheduleRepeatedAsyncTask(initialDelay: .seconds(5), delay: Self.interval) { _ in
            app.eventLoopGroup.next().makeFutureWithTask {
                do {
                    try await Self.tick(app.db, zone: app.sdelka.timeZone, now: Date())
                    try await SegmentSchedule.tick(app.db, zone: app.sdelka.timeZone, now: Date())
                } catch {
                    app.logger.report(error: error)
                }
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        box.task?.cancel()
    }

    /// Runs classification for today when the schedule is on and its period has come;
    /// answers the run, or nil when nothing was due (or another server took it).
    @discardableResult
    static func tick(_ db: any Database, zone: TimeZone, now: Date) async throws -> ClassificationRunDTO? {
        guard let unit = try await SettingsStore.classification(on: db).schedule else { return nil }
        let today = CalendarDate(now, in: zone)
        let next = unit.advance(unit.start(of: today), by: 1).start(in: zone)
        guard try await ScheduledJobs.claim(job, now: now, next: next, on: db.sql) else { return nil }
        return try await ClassificationRunner(db: db, author: .system).run(date: today)
    }
}
