import SdelkaCore
import Vapor

enum SettingsController {
    static func register(on routes: any RoutesBuilder) {
        let settings = routes.grouped("settings")
        settings.get("features", use: features)
        settings.put("features", use: putFeatures)
        settings.get("classification", use: classification)
        settings.put("classification", use: putClassification)
        settings.get("sales", use: sales)
        settings.put("sales", use: putSales)
    }

    @Sendable static func features(req: Request) async throws -> FeatureSwitches {
        _ = try req.user
        return try await SettingsStore.features(on: req.db)
    }

    /// PUT replaces the whole set: every switch must be present.
    @Sendable static func putFeatures(req: Request) async throws -> FeatureSwitches {
        let admin = try req.require(.manageSettings)
        let value = try req.content.decode(FeatureSwitches.self)
        try await SettingsStore.write(value, default: FeatureSwitches(), key: .features,
                                      by: ChangeAuthor(admin), on: req.db)
        return value
    }

    @Sendable static func sales(req: Request) async throws -> SalesSettings {
        _ = try req.user
        return try await SettingsStore.sales(on: req.db)
    }

    @Sendable static func putSales(req: Request) async throws -> SalesSettings {
        let admin = try req.require(.manageSettings)
        let value = try req.content.decode(SalesSettings.self)
        try await SettingsStore.write(value, default: SalesSettings(), key: .sales, by: ChangeAuthor(admin), on: req.db)
        return value
    }

    @Sendable static func classification(req: Request) async throws -> ClassificationSettings {
        _ = try req.user
        return try await SettingsStore.classification(on: req.db)
    }

    @Sendable static func putClassification(req: Request) async throws -> ClassificationSettings {
        let admin = try req.require(.manageSettings)
        let value = try decodeClassification(req)
        try value.validate()
        try await SettingsStore.write(value, default: .default, key: .classification,
                                      by: ChangeAuthor(admin), on: req.db)
        return value
    }

    /// Units are read as text first so that an unknown one is answered with the list of
    /// units that exist, not a bare "invalid value".
    private static func decodeClassification(_ req: Request) throws -> ClassificationSettings {
        struct Raw: Decodable {
            struct ABC: Decodable { var unit: String; var count: Int }
            struct XYZ: Decodable { var unit: String; var count: Int; var subUnit: String }
            var abc: ABC
            var xyz: XYZ
            var schedule: String?
        }
        let raw = try req.content.decode(Raw.self)
        var errors = FieldErrors()
        let units = PeriodUnit.allCases.map(\.rawValue).joined(separator: ", ")
        func unit(_ text: String, _ field: String) -> PeriodUnit {
            if let unit = PeriodUnit(rawValue: text) { return unit }
            errors.add(field, "must be one of: \(units)")
            return .month
        }
        let settings = ClassificationSettings(
            abc: .init(unit: unit(raw.abc.unit, "abc.unit"), count: raw.abc.count),
            xyz: .init(unit: unit(raw.xyz.unit, "xyz.unit"), count: raw.xyz.count,
                       subUnit: unit(raw.xyz.subUnit, "xyz.subUnit")),
            schedule: raw.schedule.map { unit($0, "schedule") })
        try errors.check()
        return settings
    }
}

extension FeatureSwitches: Content {}
extension ClassificationSettings: Content {}
