import Foundation
import Vapor

/// The web UI's sections, one path segment each under the site root. Pages register their
/// routes from these and build their redirects and links with them: renaming a section renames
/// its routes and every link to them at once, and a link to a page that does not exist does
/// not compile.
enum Site: String, CaseIterable, Sendable {
    case login, logout, profile, users, settings, audit, tasks, reports, lookup
    case imports = "import", exports = "export"
    case partners, counterparties, contactPersons = "contact-persons", segments
    case interactions, marketingEvents = "marketing-events"
    case deals, dealKinds = "deal-kinds"
    case sales, products, agreements, contracts
    case businessRegions = "business-regions", accessGroups = "access-groups", channels, contactRoles = "contact-roles"
    case partnerLinkKinds = "partner-link-kinds", lossReasons = "loss-reasons", unsatisfiedReasons = "unsatisfied-reasons"
    case productGroups = "product-groups", organizations
    case claims, claimCauses = "claim-causes", claimDepartments = "claim-departments"
    case surveys, surveyTemplates = "survey-templates"
    case mailings, mailingTopics = "mailing-topics"
    case competitorPrices = "competitor-prices", competitorPriceSources = "competitor-price-sources", competitorNotes = "competitor-notes"

    var component: PathComponent { .constant(rawValue) }
    /// The section's list: `/deals`.
    var path: String { "/\(rawValue)" }
    /// The form of a new record: `/deals/new`.
    var new: String { path(.new) }
    /// A page of the section that names no record: `/deals/board`.
    func path(_ page: SitePage) -> String { "\(path)/\(page.rawValue)" }
    /// A record's page: `/deals/<id>`.
    func path(_ id: UUID) -> String { "\(path)/\(id.uuidString)" }
    /// An action on a record or a page of it: `/deals/<id>/stage`.
    func path(_ id: UUID, _ action: SiteAction) -> String { "\(path(id))/\(action.rawValue)" }
}

/// Pages under a section that name no record: `/deals/board`, `/reports/funnel`, `/partners/new`.
enum SitePage: String, Sendable {
    case new, board, bulk, caller, link, unknownSenders = "unknown-senders"
    case abcXYZ = "abc-xyz", abcXYZCSV = "abc-xyz.csv", bcg, classification, funnel, lossReasons = "loss-reasons"
    case forecast, forecastCSV = "forecast.csv", deals, dealsCSV = "deals.csv"
    case marketingEvents = "marketing-events", marketingEventsCSV = "marketing-events.csv"
    case segmentsCompare = "segments-compare", segmentsCompareCSV = "segments-compare.csv"
    case claims, claimsCSV = "claims.csv"
    case priceComparison = "price-comparison", priceComparisonCSV = "price-comparison.csv", competitors, competitorsCSV = "competitors.csv"
    case features, tokens, calendarLink = "calendar-link"
    case partners, contactPersons = "contact-persons", products
    case partnersCSV = "partners.csv", contactPersonsCSV = "contact-persons.csv", salesCSV = "sales.csv", productsCSV = "products.csv"

    var component: PathComponent { .constant(rawValue) }
}

/// What is done to one record, or a page of it: `/deals/<id>/stage`, `/segments/<id>/members`.
enum SiteAction: String, Sendable {
    case delete, restore, edit, members, refresh, stage, win, lose, reopen, merge, links, tasks
    case attachments, dossier, dossierCSV = "dossier.csv", revoke, remove, complete, status
    case start, close, invite, questionnaires, results, linksCSV = "links.csv"
    case schedule, pause, resume, cancel, preview, subscriptions

    var component: PathComponent { .constant(rawValue) }
}
