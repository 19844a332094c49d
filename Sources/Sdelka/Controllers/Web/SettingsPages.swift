import SdelkaCore
import Vapor

/// Feature switches and classification settings, for admins.
enum SettingsPages {
    struct Body: Encodable, Sendable {
        var features: [Switch]
        var abcUnit: String
        var abcCount: Int
        var xyzUnit: String
        var xyzCount: Int
        var xyzSubUnit: String
        var units: [UserPages.Option]
        var schedules: [FormOption]
        var errors: [String: String]
    }

    struct Switch: Encodable, Sendable {
        var key: String
        var label: String
        var on: Bool
    }

    static func register(on routes: any RoutesBuilder) {
        routes.get(Site.settings.component, use: show)
        routes.post(Site.settings.component, SitePage.features.component, use: saveFeatures)
        routes.post(Site.settings.component, SitePage.classification.component, use: saveClassification)
    }

    static func body(_ req: Request, classification: ClassificationSettings? = nil, errors: [String: String] = [:]) async throws -> Body {
        let strings = req.application.localizer.strings(WebPage.language(req))
        let features = try await SettingsStore.features(on: req.db)
        var settings = ClassificationSettings.default
        if let classification { settings = classification } else { settings = try await SettingsStore.classification(on: req.db) }
        return Body(
            features: FeatureSwitches.Feature.allCases.map {
                Switch(key: $0.rawValue, label: strings["feature_\($0.rawValue)"] ?? $0.rawValue, on: features[$0])
            },
            abcUnit: settings.abc.unit.rawValue, abcCount: settings.abc.count,
            xyzUnit: settings.xyz.unit.rawValue, xyzCount: settings.xyz.count, xyzSubUnit: settings.xyz.subUnit.rawValue,
            units: PeriodUnit.allCases.map { .init(value: $0.rawValue, label: strings["unit_\($0.rawValue)"] ?? $0.rawValue, selected: false) },
            schedules: FormOptions.make(PeriodUnit.allCases.map { ($0.rawValue, strings["unit_\($0.rawValue)"] ?? $0.rawValue) },
                                        selected: settings.schedule?.rawValue, blank: strings["schedule_off"] ?? ""),
            errors: errors)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        try req.require(.manageSettings)
        return try await WebPage.render("settings", titleKey: "nav_settings", page: body(req), for: req)
    }

    /// Unchecked boxes are absent from a form, so every switch not sent is off.
    @Sendable static func saveFeatures(req: Request) async throws -> Response {
        let admin = try req.require(.manageSettings)
        var switches = FeatureSwitches()
        for feature in FeatureSwitches.Feature.allCases {
            switches[feature] = (try? req.content.get(String.self, at: feature.rawValue)) != nil
        }
        try await SettingsStore.write(switches, default: FeatureSwitches(), key: .features, by: ChangeAuthor(admin), on: req.db)
        return WebPage.redirect(req, to: Site.settings.path, flash: WebPage.text(req, "settings_saved"))
    }

    @Sendable static func saveClassification(req: Request) async throws -> Response {
        struct Form: Content {
            var abcUnit: String; var abcCount: Int?; var xyzUnit: String; var xyzCount: Int?; var xyzSubUnit: String; var schedule: String?
        }
        let admin = try req.require(.manageSettings)
        let form = try req.content.decode(Form.self)
        let unit = { (raw: String) in PeriodUnit(rawValue: raw) ?? .month }
        let settings = ClassificationSettings(
            abc: .init(unit: unit(form.abcUnit), count: form.abcCount ?? 0),
            xyz: .init(unit: unit(form.xyzUnit), count: form.xyzCount ?? 0, subUnit: unit(form.xyzSubUnit)),
            schedule: form.schedule.flatMap(PeriodUnit.init(rawValue:)))
        do {
            try settings.validate()
        } catch let errors as FieldErrors {
            // Leaf reads `errors.abc_count`; dots would be member access.
            let fields = Dictionary(uniqueKeysWithValues: errors.fields.map { ($0.key.replacingOccurrences(of: ".", with: "_"), $0.value) })
            let page = try await body(req, classification: settings, errors: FormErrors.localize(fields, req))
            return try await WebPage.render("settings", titleKey: "nav_settings", page: page, for: req, status: .unprocessableEntity)
        }
        try await SettingsStore.write(settings, default: .default, key: .classification, by: ChangeAuthor(admin), on: req.db)
        return WebPage.redirect(req, to: Site.settings.path, flash: WebPage.text(req, "settings_saved"))
    }
}
