import Vapor

/// Everything Sdelka reads from its environment (a `.env` file included), in one place.
public struct AppConfig: Sendable {
    public enum DatabaseLocation: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String, searchPath: [String]?)
    }

    public var database: DatabaseLocation
    public var adminPassword: String?
    public var secret: String
    public var loginTokenLifetime: TimeInterval
    public var webSessionLifetime: TimeInterval
    public var apiTokenMaxLifetimeDays: Int
    public var bcryptCost: Int
    public var timeZone: TimeZone
    /// PostgreSQL connections per event loop (`SDELKA_DB_CONNECTIONS`).
    public var connectionsPerLoop: Int
    /// Where outgoing SMS are POSTed as `{"id","to","text"}` (`SMS_GATEWAY_URL`); nil: no SMS sending.
    public var smsGatewayURL: String?
    /// The SMTP server letters go through (`SMTP_URL` and `MAIL_FROM`); nil: no e-mail sending.
    var smtp: SMTPSettings?
    /// Why `SMTP_URL`/`MAIL_FROM` could not be used; the server refuses to start with it.
    public var smtpProblem: String?
    /// The secret a mail server's pipe or an inbound webhook presents to
    /// `POST /api/v1/inbound/email` (`SDELKA_INBOUND_TOKEN`).
    public var inboundToken: String?
    /// Proxies whose `X-Forwarded-Proto` and `X-Forwarded-For` are believed
    /// (`SDELKA_TRUSTED_PROXIES`, addresses separated by commas).
    public var trustedProxies: Set<String> = []
    /// Cookies are `Secure` whatever the request says (`SDELKA_SECURE_COOKIES=1`).
    public var secureCookies = false
    /// The largest CSV file `POST /api/v1/import/<kind>` takes (`SDELKA_IMPORT_MAX_BYTES`,
    /// 1 GB by default); `sdelka import` has no limit.
    public var importMaxBytes = 1 << 30
    /// How often the server hands queued messages on; nil stops it (tests send by hand).
    public var outboxInterval: TimeInterval? = 5
    /// The address links in letters start with (`SDELKA_PUBLIC_URL`, `https://crm.example.ru`);
    /// without it, the address the user who scheduled the mailing reached the server by.
    public var publicURL: String?
    /// How many messages of mailings go to the outbox per second at most (`SDELKA_MAILING_RATE`).
    public var mailingRate = 200

    public init(
        database: DatabaseLocation,
        adminPassword: String? = nil,
        secret: String,
        loginTokenLifetime: TimeInterval = 12 * 3600,
        webSessionLifetime: TimeInterval = 12 * 3600,
        apiTokenMaxLifetimeDays: Int = 366,
        bcryptCost: Int = 12,
        timeZone: TimeZone = TimeZone(identifier: "Europe/Moscow")!,
        connectionsPerLoop: Int = 8
    ) {
        self.connectionsPerLoop = connectionsPerLoop
        self.database = database
        self.adminPassword = adminPassword
        self.secret = secret
        self.loginTokenLifetime = loginTokenLifetime
        self.webSessionLifetime = webSessionLifetime
        self.apiTokenMaxLifetimeDays = apiTokenMaxLifetimeDays
        self.bcryptCost = bcryptCost
        self.timeZone = timeZone
    }

    /// Reads `DATABASE_URL`, `SDELKA_ADMIN_PASSWORD`, `SDELKA_SECRET`, `SDELKA_TOKEN_HOURS`,
    /// `SDELKA_SESSION_HOURS`, `SDELKA_TIMEZONE`, `SDELKA_DB_CONNECTIONS`, `SMS_GATEWAY_URL`,
    /// `SMTP_URL`, `MAIL_FROM` and `SDELKA_INBOUND_TOKEN`.
    public static func fromEnvironment() -> AppConfig {
        let url = Environment.get("DATABASE_URL") ?? "sdelka.sqlite"
        let database: DatabaseLocation = url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")
            ? .postgres(url: url, searchPath: nil)
            : .sqlite(path: url.replacingOccurrences(of: "sqlite://", with: ""))
        var config = AppConfig(
            database: database,
            adminPassword: Environment.get("SDELKA_ADMIN_PASSWORD"),
            // Without a configured secret, sessions survive only until restart: say so loudly.
            secret: Environment.get("SDELKA_SECRET") ?? [UInt8].random(count: 32).base64
        )
        if let hours = Environment.get("SDELKA_TOKEN_HOURS").flatMap(Double.init) {
            config.loginTokenLifetime = hours * 3600
        }
        if let hours = Environment.get("SDELKA_SESSION_HOURS").flatMap(Double.init) {
            config.webSessionLifetime = hours * 3600
        }
        if let connections = Environment.get("SDELKA_DB_CONNECTIONS").flatMap(Int.init), connections > 0 {
            config.connectionsPerLoop = connections
        }
        if let zone = Environment.get("SDELKA_TIMEZONE").flatMap(TimeZone.init(identifier:)) {
            config.timeZone = zone
        }
        config.smsGatewayURL = Environment.get("SMS_GATEWAY_URL").flatMap { $0.isEmpty ? nil : $0 }
        if let url = Environment.get("SMTP_URL"), !url.isEmpty {
            switch SMTPSettings.parse(url: url, mailFrom: Environment.get("MAIL_FROM")) {
            case .success(let settings): config.smtp = settings
            case .failure(let problem): config.smtpProblem = problem.description
            }
        }
        config.inboundToken = Environment.get("SDELKA_INBOUND_TOKEN").flatMap { $0.count >= 16 ? $0 : nil }
        config.trustedProxies = Set((Environment.get("SDELKA_TRUSTED_PROXIES") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        if let bytes = Environment.get("SDELKA_IMPORT_MAX_BYTES").flatMap(Int.init), bytes > 0 { config.importMaxBytes = bytes }
        config.publicURL = Environment.get("SDELKA_PUBLIC_URL").flatMap { $0.isEmpty ? nil : String($0.reversed().drop { $0 == "/" }.reversed()) }
        if let rate = Environment.get("SDELKA_MAILING_RATE").flatMap(Int.init), (1...100_000).contains(rate) { config.mailingRate = rate }
        config.secureCookies = ["1", "true", "yes"].contains(Environment.get("SDELKA_SECURE_COOKIES")?.lowercased() ?? "")
        return config
    }
}

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }

    public var sdelka: AppConfig {
        get {
            guard let config = storage[ConfigKey.self] else { fatalError("configure(_:config:) was not called") }
            return config
        }
        set { storage[ConfigKey.self] = newValue }
    }
}
