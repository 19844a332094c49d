import SdelkaCore
import Vapor

/// Makes a switched-off part answer 404 `feature_disabled` (DOMAIN.md §8). Every route of an
/// optional part is registered behind one of these.
struct FeatureGuard: AsyncMiddleware {
    let feature: FeatureSwitches.Feature

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let features = try await SettingsStore.features(on: request.db)
        guard features.isEnabled(feature) else { throw FeatureOff(feature) }
        return try await next.respond(to: request)
    }
}

extension RoutesBuilder {
    func feature(_ feature: FeatureSwitches.Feature) -> any RoutesBuilder {
        grouped(FeatureGuard(feature: feature))
    }
}
