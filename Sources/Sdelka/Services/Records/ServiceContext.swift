import Fluent
import Foundation
import SdelkaCore

/// What every service works with: the database, who acts, which partners they see, and the
/// server's configuration (its time zone for "today", the gateways for sending). A controller
/// builds it once per request; commands and demo data build it from plain values.
struct ServiceContext: Sendable {
    let db: any Database
    let author: ChangeAuthor
    let scope: AccessScope
    let config: AppConfig

    var zone: TimeZone { config.timeZone }
    var today: CalendarDate { CalendarDate(Date(), in: config.timeZone) }
}
