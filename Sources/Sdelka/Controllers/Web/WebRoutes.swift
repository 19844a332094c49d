import Vapor

enum WebRoutes {
    static func register(_ app: Application) throws {
        let web = app.grouped(SessionCookieAuthenticator())
        LoginPages.register(on: web)
        let signedIn = web.grouped(WebAuthRedirect(), CSRFMiddleware())
        signedIn.post("logout", use: LoginPages.logout)
        signedIn.get(use: DashboardPage.show)
        ProfilePages.register(on: signedIn)
        UserPages.register(on: signedIn)
        CatalogPages<BusinessRegion>(path: "business-regions", titleKey: "nav_regions",
                                     editPermission: .manageCatalogs).register(on: signedIn.feature(.businessRegions))
        CatalogPages<AccessGroup>(path: "access-groups", titleKey: "nav_access_groups",
                                  editPermission: .manageAccessGroups).register(on: signedIn.feature(.accessGroups))
        PartnerPages.register(on: signedIn)
        DossierPage.register(on: signedIn)
        SegmentPages.register(on: signedIn.feature(.segments))
        InteractionPages.register(on: signedIn.feature(.interactions))
        CounterpartyPages.register(on: signedIn)
        ContactPersonPages.register(on: signedIn)
        CatalogPages<Channel>(path: "channels", titleKey: "nav_channels", editPermission: .manageCatalogs).register(on: signedIn)
        CatalogPages<ContactRole>(path: "contact-roles", titleKey: "nav_contact_roles", editPermission: .manageCatalogs).register(on: signedIn)
        CatalogPages<PartnerLinkKind>(path: "partner-link-kinds", titleKey: "nav_link_kinds", editPermission: .manageCatalogs).register(on: signedIn)
        MarketingEventPages.register(on: signedIn.feature(.marketingEvents))
        let deals = signedIn.feature(.deals)
        DealPages.register(on: deals)
        DealKindPages.register(on: deals)
        TaskPages.register(on: signedIn.feature(.dealStages))
        CatalogPages<LossReason>(path: "loss-reasons", titleKey: "nav_loss_reasons", editPermission: .manageCatalogs).register(on: deals)
        CatalogPages<UnsatisfiedReason>(path: "unsatisfied-reasons", titleKey: "nav_unsatisfied_reasons", editPermission: .manageCatalogs).register(on: deals)
        ProductPages.register(on: signedIn)
        CatalogPages<ProductGroup>(path: "product-groups", titleKey: "nav_product_groups", editPermission: .manageCatalogs).register(on: signedIn)
        CatalogPages<Organization>(path: "organizations", titleKey: "nav_organizations", editPermission: .manageCatalogs).register(on: signedIn)
        SalePages.register(on: signedIn)
        TermsPages<Agreement>(path: "agreements", titleKey: "nav_agreements", newKey: "agreement_new").register(on: signedIn)
        TermsPages<Contract>(path: "contracts", titleKey: "nav_contracts", newKey: "contract_new").register(on: signedIn)
        ImportPages.register(on: signedIn)
        SettingsPages.register(on: signedIn)
        AuditPages.register(on: signedIn)
        AnalyticsPages.register(on: signedIn, deals: deals, events: signedIn.feature(.marketingEvents), segments: signedIn.feature(.segments))
    }
}
