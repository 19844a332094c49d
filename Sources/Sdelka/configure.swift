import Fluent
import Leaf
import Vapor

/// The one composition root: `serve`, every command and every test build the app here.
public func configure(_ app: Application, config: AppConfig) async throws {
    if let problem = config.smtpProblem { throw SMTPSettings.SettingsError(problem) }
    app.sdelka = config
    app.passwords.use(.bcrypt(cost: config.bcryptCost))

    let encoder = JSONEncoder.custom(dates: .iso8601)
    let decoder = JSONDecoder.custom(dates: .iso8601)
    ContentConfiguration.global.use(encoder: encoder, for: .json)
    ContentConfiguration.global.use(decoder: decoder, for: .json)
    app.routes.defaultMaxBodySize = "10mb"

    try DatabaseSetup.register(app, config: config)
    app.migrations.add(Migrations.all)

    app.middleware = Middlewares()
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(SdelkaErrorMiddleware())
    app.middleware.use(NulGuardMiddleware())
    app.middleware.use(PublicFilesMiddleware(files: FileMiddleware(publicDirectory: app.directory.publicDirectory)))

    app.views.use(.leaf)
    app.leaf.configuration.rootDirectory = app.directory.viewsDirectory
    app.localizer = try Localizer(directory: app.directory.resourcesDirectory + "Localization/")
    app.openAPIDocument = try OpenAPIController.load(from: app.directory.resourcesDirectory)

    try routes(app)
    app.asyncCommands.use(PurgeCommand(), as: "purge")
    app.asyncCommands.use(ImportCommand(), as: "import")
    app.asyncCommands.use(BenchDealsCommand(), as: "bench-deals")
    app.asyncCommands.use(BenchSurveysCommand(), as: "bench-surveys")
    app.asyncCommands.use(BenchMailingsCommand(), as: "bench-mailings")
    app.asyncCommands.use(BenchCompetitorsCommand(), as: "bench-competitors")
    app.asyncCommands.use(ClassifyCommand(), as: "classify")
    app.asyncCommands.use(ReceiveMailCommand(), as: "receive-mail")
    app.asyncCommands.use(BenchMailCommand(), as: "bench-mail")
}

/// What `serve` does before it listens: migrate, tune the database, make sure an admin exists
/// and, with `--demo`, fill an empty database with demo data.
public func prepareForServing(_ app: Application, demo: Bool) async throws {
    try await app.autoMigrate()
    try await DatabaseSetup.tune(app)
    try await Bootstrap.ensureAdmin(app)
    if demo { try await DemoData.fillIfEmpty(app) }
    app.lifecycle.use(ClassificationSchedule())
    app.lifecycle.use(OutboxSchedule())
}

/// Serves `Public/` for the web UI but keeps API requests off the file system: a file lookup
/// on every API call costs more than the call itself on a constant route.
struct PublicFilesMiddleware: AsyncMiddleware {
    let files: FileMiddleware

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.url.path.hasPrefix("/api/") { return try await next.respond(to: request) }
        return try await files.respond(to: request, chainingTo: next)
    }
}
