import Fluent
import Foundation
import SdelkaCore
import Vapor

/// Periodic segments are refreshed once a day, at the first tick after midnight in the
/// company's zone, while segments are switched on.
enum SegmentSchedule {
    static let job = "segments"

    /// Answers how many segments were refreshed, or nil when nothing was due.
    @discardableResult
    static func tick(_ db: any Database, zone: TimeZone, now: Date) async throws -> Int? {
        guard try await SettingsStore.features(on: db).isEnabled(.segments) else { return nil }
        let today = CalendarDate(now, in: zone)
        guard try await ScheduledJobs.claim(job, now: now, next: today.next.start(in: zone), on: db.sql) else { return nil }
        let service = SegmentService(db: db, author: .system, scope: .all, today: today, timeZone: zone)
        let segments = try await Segment.query(on: db).filter(\.$kind == .periodic).filter(\.$deletionMark == false).all()
        for segment in segments { try await service.refresh(segment, now: now) }
        return segments.count
    }
}
