import Vapor

func routes(_ app: Application) throws {
    let api = app.grouped("api", "v1")
    api.get("health", use: { _ in HealthStatus(status: "ok") })
    api.get("openapi.json", use: OpenAPIController.document)

    let authenticated = api.grouped(BearerTokenAuthenticator(), RequireUserMiddleware())
    AuthController.register(public: api, protected: authenticated)
    MeController.register(on: authenticated)
    UsersController.register(on: authenticated)
    CatalogController<BusinessRegion>(path: "business-regions")
        .register(on: authenticated.feature(.businessRegions))
    CatalogController<AccessGroup>(path: "access-groups")
        .register(on: authenticated.feature(.accessGroups))
    SettingsController.register(on: authenticated)
    AuditController.register(on: authenticated)
    PurgeController.register(on: authenticated)
    PartyExports.register(on: authenticated)
    SalesExports.register(on: authenticated)
    PartnersController.register(on: authenticated)
    ImportController.register(on: authenticated)
    CounterpartiesController.register(on: authenticated)
    ContactPersonsController.register(on: authenticated)
    CatalogController<ContactRole>(path: "contact-roles").register(on: authenticated)
    // Channels stay available whatever is switched off: sources of interest need them.
    CatalogController<Channel>(path: "channels").register(on: authenticated)

    CatalogController<PartnerLinkKind>(path: "partner-link-kinds").register(on: authenticated)
    PartnerLinksController.register(on: authenticated)
    MarketingEventsController.register(on: authenticated.feature(.marketingEvents))
    MarketingEffectivenessController.register(on: authenticated.feature(.marketingEvents))

    let deals = authenticated.feature(.deals)
    DealKindsController.register(on: deals)
    DealsController.register(on: deals, stages: authenticated.feature(.dealStages))
    TasksController.register(on: authenticated.feature(.dealStages))
    CatalogController<LossReason>(path: "loss-reasons").register(on: deals)
    CatalogController<UnsatisfiedReason>(path: "unsatisfied-reasons").register(on: deals)

    CatalogController<ProductGroup>(path: "product-groups").register(on: authenticated)
    CatalogController<Organization>(path: "organizations").register(on: authenticated)
    ProductsController.register(on: authenticated)
    SalesController.register(on: authenticated)
    TermsController<Agreement>(path: "agreements").register(on: authenticated)
    TermsController<Contract>(path: "contracts").register(on: authenticated)
    ClassificationController.register(on: authenticated)
    FunnelController.register(on: deals)
    LossReasonsController.register(on: deals)
    DealAnalysisController.register(on: deals)
    ForecastController.register(on: deals)
    PartnerDossierController.register(on: authenticated)
    SegmentsController.register(on: authenticated.feature(.segments))
    SegmentComparisonController.register(on: authenticated.feature(.segments))
    InteractionsController.register(on: authenticated.feature(.interactions))
    SurveysController.register(on: authenticated.feature(.surveys))
    let claims = authenticated.feature(.claims)
    ClaimsController.register(on: claims)
    CatalogController<ClaimCause>(path: "claim-causes").register(on: claims)
    CatalogController<ClaimDepartment>(path: "claim-departments").register(on: claims)
    MailingsController.register(on: authenticated.feature(.mailings))
    CompetitorsController.register(on: authenticated.feature(.competitorIntel))
    CalendarFeed.register(api: api, authenticated: authenticated)
    InboundMailController.register(api: api, authenticated: authenticated.feature(.interactions))

    try WebRoutes.register(app)
}

struct HealthStatus: Content {
    var status: String
}
