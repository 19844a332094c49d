import Fluent
import SdelkaCore
import Vapor

/// What every page template gets: the strings of the user's language, the frame (user,
/// navigation, CSRF token, flash message) and the page's own data under `page`.
struct WebContext<Body: Encodable & Sendable>: Encodable, Sendable {
    var t: [String: String]
    var lang: String
    var title: String
    var me: Me?
    var nav: [NavItem]
    var csrf: String
    var flash: String?
    var page: Body

    struct Me: Encodable, Sendable {
        var name: String
        var login: String
        var role: String
        var isAdmin: Bool
    }
}

struct NavItem: Encodable, Sendable {
    var href: String
    var label: String
    var active: Bool
}

struct NoBody: Encodable, Sendable {}

enum WebPage {
    static let flashCookie = "sdelka_flash"

    static func language(_ req: Request) -> Language {
        if let user = req.auth.get(CurrentUser.self) { return user.language }
        if let raw = req.query[String.self, at: "lang"], let language = Language(rawValue: raw) { return language }
        if let raw = req.cookies["sdelka_lang"]?.string, let language = Language(rawValue: raw) { return language }
        return .ru
    }

    static func text(_ req: Request, _ key: String, _ values: [String: String] = [:]) -> String {
        req.application.localizer.text(key, language(req), values)
    }

    static func render<Body: Encodable & Sendable>(
        _ template: String, titleKey: String, page: Body, for req: Request, status: HTTPStatus = .ok
    ) async throws -> Response {
        let language = language(req)
        let strings = req.application.localizer.strings(language)
        let user = req.auth.get(CurrentUser.self)
        var nav: [NavItem] = []
        if let user { nav = try await Navigation.items(for: user, path: req.url.path, strings: strings, on: req.db) }
        let context = WebContext(
            t: strings, lang: language.rawValue, title: strings[titleKey] ?? titleKey,
            me: user.map { .init(name: $0.name, login: $0.login, role: strings["role_\($0.role.rawValue)"] ?? $0.role.rawValue,
                                 isAdmin: $0.role == .admin) },
            nav: nav, csrf: CSRF.sessionToken(req) ?? req.cookies[CSRF.cookie]?.string ?? "",
            flash: req.cookies[flashCookie]?.string.removingPercentEncoding, page: page)
        let view = try await req.view.render(template, context)
        let response = try await view.encodeResponse(status: status, for: req)
        if req.cookies[flashCookie] != nil { response.cookies[flashCookie] = HTTPCookies.Value.expired }
        response.headers.replaceOrAdd(name: HTTPHeaders.Name.cacheControl, value: "no-store")
        return response
    }

    /// Back to a record's page after marking it for deletion, saying so.
    static func markedDeleted(_ req: Request, to path: String, name: String) -> Response {
        redirect(req, to: path, flash: text(req, "marked_deleted", ["name": name]))
    }

    /// Back to a record's page after removing its deletion mark, saying so.
    static func restored(_ req: Request, to path: String, name: String) -> Response {
        redirect(req, to: path, flash: text(req, "restored", ["name": name]))
    }

    /// Redirects after a successful action, confirming it on the next page.
    static func redirect(_ req: Request, to path: String, flash: String? = nil) -> Response {
        let response = req.redirect(to: path)
        if let flash {
            response.cookies[flashCookie] = HTTPCookies.Value(
                string: flash.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "",
                maxAge: 60, path: "/", isSecure: req.cameOverTLS, isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }
}

/// The left navigation: a part switched off, or out of the user's role, is absent (UI.md).
enum Navigation {
    struct Entry: Sendable {
        var href: String
        var key: String
        var feature: FeatureSwitches.Feature?
        var permission: Permission?
    }

    static let entries: [Entry] = [
        Entry(href: "/", key: "nav_desktop"),
        Entry(href: Site.partners.path, key: "nav_partners"),
        Entry(href: Site.deals.path, key: "nav_deals", feature: .deals),
        Entry(href: Site.tasks.path, key: "nav_tasks", feature: .dealStages),
        Entry(href: Site.interactions.path, key: "nav_interactions", feature: .interactions),
        Entry(href: Site.sales.path, key: "nav_sales"),
        Entry(href: Site.claims.path, key: "nav_claims", feature: .claims),
        Entry(href: Site.surveys.path, key: "nav_surveys", feature: .surveys),
        Entry(href: Site.mailings.path, key: "nav_mailings", feature: .mailings),
        Entry(href: Site.competitorPrices.path, key: "nav_competitor_prices", feature: .competitorIntel),
        Entry(href: Site.reports.path, key: "nav_reports"),
        Entry(href: Site.segments.path, key: "nav_segments", feature: .segments),
        Entry(href: Site.marketingEvents.path, key: "nav_events", feature: .marketingEvents),
        Entry(href: Site.channels.path, key: "nav_channels"),
        Entry(href: Site.contactRoles.path, key: "nav_contact_roles"),
        Entry(href: Site.partnerLinkKinds.path, key: "nav_link_kinds"),
        Entry(href: Site.dealKinds.path, key: "nav_deal_kinds", feature: .deals),
        Entry(href: Site.lossReasons.path, key: "nav_loss_reasons", feature: .deals),
        Entry(href: Site.unsatisfiedReasons.path, key: "nav_unsatisfied_reasons", feature: .deals),
        Entry(href: Site.surveyTemplates.path, key: "nav_survey_templates", feature: .surveys),
        Entry(href: Site.mailingTopics.path, key: "nav_mailing_topics", feature: .mailings),
        Entry(href: Site.competitorPriceSources.path, key: "nav_competitor_price_sources", feature: .competitorIntel),
        Entry(href: Site.claimCauses.path, key: "nav_claim_causes", feature: .claims),
        Entry(href: Site.claimDepartments.path, key: "nav_claim_departments", feature: .claims),
        Entry(href: Site.products.path, key: "nav_products"),
        Entry(href: Site.productGroups.path, key: "nav_product_groups"),
        Entry(href: Site.organizations.path, key: "nav_organizations"),
        Entry(href: Site.agreements.path, key: "nav_agreements"),
        Entry(href: Site.contracts.path, key: "nav_contracts"),
        Entry(href: Site.imports.path, key: "nav_import", permission: .editRecords),
        Entry(href: Site.businessRegions.path, key: "nav_regions", feature: .businessRegions),
        Entry(href: Site.accessGroups.path, key: "nav_access_groups", feature: .accessGroups, permission: .manageAccessGroups),
        Entry(href: Site.users.path, key: "nav_users", permission: .manageUsers),
        Entry(href: Site.audit.path, key: "nav_audit", permission: .viewAudit),
        Entry(href: Site.settings.path, key: "nav_settings", permission: .manageSettings),
    ]

    static func items(for user: CurrentUser, path: String, strings: [String: String], on db: any Database) async throws -> [NavItem] {
        let features = try await SettingsStore.features(on: db)
        return entries.filter { entry in
            (entry.feature.map(features.isEnabled) ?? true) && (entry.permission.map(user.role.can) ?? true)
        }.map { entry in
            let active = entry.href == "/" ? path == "/" : path.hasPrefix(entry.href)
            return NavItem(href: entry.href, label: strings[entry.key] ?? entry.key, active: active)
        }
    }
}

/// The HTML face of an error: the same classification as the API, in the user's language.
enum WebErrorPage {
    struct Body: Encodable, Sendable {
        var status: Int
        var message: String
    }

    static func render(_ error: APIError, for req: Request) async throws -> Response {
        let key = "error_\(error.code)"
        let strings = req.application.localizer.strings(WebPage.language(req))
        let message = strings[key] ?? error.message
        do {
            return try await WebPage.render("error", titleKey: "error_title",
                                            page: Body(status: Int(error.status.code), message: message),
                                            for: req, status: error.status)
        } catch {
            return Response(status: .internalServerError, body: .init(string: message))
        }
    }
}

extension Request {
    /// A link to `path` that carries this request's query without the parameters in `dropping`
    /// (and, with `droppingEmpty`, without the empty ones), then `adding`: paging, sorting and
    /// exporting keep the filters a list was opened with.
    func link(to path: String, dropping names: Set<String>, droppingEmpty: Bool = false, adding: [URLQueryItem] = []) -> String {
        let items = (URLComponents(string: url.string)?.queryItems ?? [])
            .filter { !names.contains($0.name) && (!droppingEmpty || $0.value?.isEmpty == false) } + adding
        var components = URLComponents()
        components.queryItems = items
        guard !items.isEmpty, let query = components.percentEncodedQuery else { return path }
        return path + "?" + query
    }
}
