import Fluent
import SQLKit

/// Every migration in the order it ships. Never edit a shipped one: add the next number.
enum Migrations {
    static let all: [any Migration] = [
        M001CreateUsers(),
        M002CreateAccessGroupsAndRegions(),
        M003CreateUserTokens(),
        M004CreateSettings(),
        M005CreateAuditLog(),
        M006CreateLoginFailures(),
        M007CreatePartners(),
        M008CreateCounterparties(),
        M009CreateContactPersons(),
        M010CreateChannelsAndInterest(),
        M011CreateMarketingEvents(),
        M012CreatePartnerLinks(),
        M013CreateSearchIndexes(),
        M014CreatePartnerSearchDocument(),
        M015CreateDeals(),
        M016CreateSales(),
        M017CreateClassification(),
        M018CreateFunnelIndexes(),
        M019CreateSegments(),
        M020CreateInteractions(),
        M021AddMailDelivery(),
        M022CreatePostgresPartnerSearch(),
        M023CreateWriteLock(),
        M024CreateLoginAttempts(),
        M025CreateClaims(),
        M026CreateSurveys(),
        M027CreateMailings(),
        M028CreateCompetitorIntel(),
    ]
}

extension Database {
    /// Fluent's schema builder has no plain (non-unique) indexes; SQLKit does, for both dialects.
    func createIndex(_ name: String, on table: String, _ columns: String...) async throws {
        var builder = sql.create(index: name).on(table)
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }
}

extension SchemaBuilder {
    /// The fields every `RecordModel` carries.
    func recordFields() -> Self {
        self.id()
            .field("version", .int, .required)
            .field("deletion_mark", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
    }
}
