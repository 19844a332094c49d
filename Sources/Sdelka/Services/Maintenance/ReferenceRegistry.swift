import SQLKit

/// Every column that refers to an object users can mark for deletion, in one place: purge keeps
/// an object while any of them names it, and a partner merge moves every one that names a
/// partner. `ReferenceRegistryTests` reads the foreign keys of the migrated database and fails
/// when a table points at one of these objects without being listed here (or cascading), so a
/// new module cannot leave merge or purge behind.
enum ReferenceRegistry {
    struct Reference: Sendable {
        var table: String
        var column: String
        /// How the referring objects are called in the purge report.
        var objectType: String
        /// Only the rows this holds for refer (a polymorphic column, a row naming itself).
        var condition: Condition? = nil
    }

    /// A fixed predicate of the registry, never built from input.
    enum Condition: Sendable {
        case subjectType(String)
        /// A claim's basis names a document of this type.
        case basisType(String)
        /// An interaction's own chain names the interaction itself, which is no reference.
        case subjectInteractionOtherThanItself

        var expression: any SQLExpression {
            switch self {
            case .subjectType(let type):
                return SQLBinaryExpression(SQLIdentifier("subject_type"), .equal, SQLBind(type))
            case .basisType(let type):
                return SQLBinaryExpression(SQLIdentifier("basis_type"), .equal, SQLBind(type))
            case .subjectInteractionOtherThanItself:
                return SQLBinaryExpression(
                    SQLBinaryExpression(SQLIdentifier("subject_type"), .equal, SQLBind("interaction")),
                    .and, SQLBinaryExpression(SQLIdentifier("subject_id"), .notEqual, SQLIdentifier("id")))
            }
        }
    }

    struct Kind: Sendable {
        var table: String
        var objectType: String
        var nameColumn: String
        var references: [Reference]
    }

    /// Rows that belong to an object without cascading (derived data): deleted with it.
    struct Owned: Sendable {
        var table: String
        var rows: String
        var column: String
    }

    static let owned: [Owned] = [
        Owned(table: "partners", rows: "classification_results", column: "partner_id"),
        Owned(table: "partners", rows: "segment_members", column: "partner_id"),
        // Days whose documents were all marked or purged keep zero rows until the partner goes.
        Owned(table: "partners", rows: "partner_sales_daily", column: "partner_id"),
        // Whether an address takes a topic is the person's choice, not a record of its own.
        Owned(table: "partners", rows: "subscriptions", column: "partner_id"),
        Owned(table: "contact_persons", rows: "subscriptions", column: "contact_person_id"),
    ]

    /// Columns that name a partner and that a merge does not simply repoint: derived rows it
    /// rebuilds or drops (totals, classes, the search document) and segment lists it unites.
    static let rebuiltOnMerge: Set<String> = [
        "partner_sales_daily.partner_id", "classification_results.partner_id", "segment_members.partner_id",
        "partner_search_documents.partner_id",
    ]

    /// What a partner merge repoints from the merged partner to the survivor: every reference
    /// to partners, and the contact lines a partner owns.
    static var partnerMergeColumns: [(table: String, column: String)] {
        [("contact_details", "partner_id"), ("subscriptions", "partner_id")] + (kind("partners")?.references ?? []).map { ($0.table, $0.column) }
    }

    static func kind(_ table: String) -> Kind? { kinds.first { $0.table == table } }

    static let kinds: [Kind] = [
        // A sales document's lines go with it (ON DELETE CASCADE); a marked one is in no totals.
        Kind(table: "sales", objectType: "sale", nameColumn: "number", references: [
            Reference(table: "claims", column: "basis_id", objectType: "claim", condition: .basisType("sale")),
        ]),
        Kind(table: "claims", objectType: "claim", nameColumn: "number", references: [
            Reference(table: "interactions", column: "subject_id", objectType: "interaction", condition: .subjectType("claim")),
        ]),
        Kind(table: "claim_causes", objectType: "claimCause", nameColumn: "name", references: [
            Reference(table: "claims", column: "cause_id", objectType: "claim"),
        ]),
        Kind(table: "claim_departments", objectType: "claimDepartment", nameColumn: "name", references: [
            Reference(table: "claims", column: "department_id", objectType: "claim"),
        ]),
        // A survey's questionnaires and their answers go with it (ON DELETE CASCADE).
        Kind(table: "surveys", objectType: "survey", nameColumn: "name", references: [
            Reference(table: "interactions", column: "subject_id", objectType: "interaction", condition: .subjectType("survey")),
        ]),
        // A mailing's recipient rows and served events go with it (ON DELETE CASCADE).
        Kind(table: "mailings", objectType: "mailing", nameColumn: "name", references: [
            Reference(table: "interactions", column: "subject_id", objectType: "interaction", condition: .subjectType("mailing")),
        ]),
        Kind(table: "mailing_topics", objectType: "mailingTopic", nameColumn: "name", references: [
            Reference(table: "mailings", column: "topic_id", objectType: "mailing"),
            Reference(table: "subscriptions", column: "topic_id", objectType: "subscription"),
        ]),
        // A price's files go with it (ON DELETE CASCADE).
        Kind(table: "competitor_prices", objectType: "competitorPrice", nameColumn: "date", references: []),
        Kind(table: "competitor_notes", objectType: "competitorNote", nameColumn: "text", references: []),
        Kind(table: "competitor_price_sources", objectType: "competitorPriceSource", nameColumn: "name", references: [
            Reference(table: "competitor_prices", column: "source_id", objectType: "competitorPrice"),
        ]),
        Kind(table: "survey_templates", objectType: "surveyTemplate", nameColumn: "name", references: [
            Reference(table: "surveys", column: "template_id", objectType: "survey"),
        ]),
        Kind(table: "agreements", objectType: "agreement", nameColumn: "number", references: [
            Reference(table: "sales", column: "agreement_id", objectType: "sale"),
            Reference(table: "deals", column: "agreement_id", objectType: "deal"),
        ]),
        Kind(table: "contracts", objectType: "contract", nameColumn: "number", references: [
            Reference(table: "sales", column: "contract_id", objectType: "sale"),
        ]),
        Kind(table: "products", objectType: "product", nameColumn: "name", references: [
            Reference(table: "sale_lines", column: "product_id", objectType: "sale"),
            Reference(table: "competitor_prices", column: "product_id", objectType: "competitorPrice"),
        ]),
        Kind(table: "product_groups", objectType: "productGroup", nameColumn: "name", references: [
            Reference(table: "products", column: "group_id", objectType: "product"),
            Reference(table: "product_groups", column: "parent_id", objectType: "productGroup"),
        ]),
        Kind(table: "organizations", objectType: "organization", nameColumn: "name", references: [
            Reference(table: "sales", column: "organization_id", objectType: "sale"),
            Reference(table: "agreements", column: "organization_id", objectType: "agreement"),
            Reference(table: "contracts", column: "organization_id", objectType: "contract"),
        ]),
        // Its participants, SMS recipients and files go with it (ON DELETE CASCADE); a reply
        // or a chain that names it keeps it.
        Kind(table: "interactions", objectType: "interaction", nameColumn: "topic", references: [
            Reference(table: "interactions", column: "basis_id", objectType: "interaction"),
            Reference(table: "interactions", column: "subject_id", objectType: "interaction", condition: .subjectInteractionOtherThanItself),
            Reference(table: "claims", column: "basis_id", objectType: "claim", condition: .basisType("interaction")),
            Reference(table: "questionnaires", column: "interaction_id", objectType: "survey"),
            Reference(table: "competitor_prices", column: "interaction_id", objectType: "competitorPrice"),
        ]),
        // A deal's participants, demand, stage rows and tasks go with it (ON DELETE CASCADE);
        // its source of interest is a record of where a client came from and keeps it.
        Kind(table: "deals", objectType: "deal", nameColumn: "name", references: [
            Reference(table: "primary_interests", column: "deal_id", objectType: "primaryInterest"),
            Reference(table: "sales", column: "deal_id", objectType: "sale"),
            Reference(table: "interactions", column: "subject_id", objectType: "interaction", condition: .subjectType("deal")),
            Reference(table: "claims", column: "basis_id", objectType: "claim", condition: .basisType("deal")),
            Reference(table: "competitor_prices", column: "deal_id", objectType: "competitorPrice"),
        ]),
        Kind(table: "deal_kinds", objectType: "dealKind", nameColumn: "name", references: [
            Reference(table: "deals", column: "kind_id", objectType: "deal"),
            Reference(table: "deal_stage_rows", column: "kind_id", objectType: "deal"),
            Reference(table: "mailings", column: "trigger_deal_kind_id", objectType: "mailing"),
        ]),
        Kind(table: "loss_reasons", objectType: "lossReason", nameColumn: "name", references: [
            Reference(table: "deals", column: "loss_reason_id", objectType: "deal"),
        ]),
        Kind(table: "unsatisfied_reasons", objectType: "unsatisfiedReason", nameColumn: "name", references: [
            Reference(table: "deal_demand", column: "unsatisfied_reason_id", objectType: "deal"),
        ]),
        Kind(table: "partner_links", objectType: "partnerLink", nameColumn: "comment", references: []),
        Kind(table: "partner_link_kinds", objectType: "partnerLinkKind", nameColumn: "name", references: [
            Reference(table: "partner_links", column: "kind_id", objectType: "partnerLink"),
        ]),
        // A segment's stored members go with it (ON DELETE CASCADE).
        Kind(table: "segments", objectType: "segment", nameColumn: "name", references: [
            Reference(table: "marketing_events", column: "target_segment_id", objectType: "marketingEvent"),
        ]),
        Kind(table: "marketing_events", objectType: "marketingEvent", nameColumn: "name", references: [
            Reference(table: "primary_interests", column: "event_id", objectType: "primaryInterest"),
            Reference(table: "interactions", column: "subject_id", objectType: "interaction", condition: .subjectType("event")),
        ]),
        Kind(table: "contact_persons", objectType: "contactPerson", nameColumn: "name", references: [
            Reference(table: "marketing_event_participants", column: "contact_person_id", objectType: "marketingEvent"),
            Reference(table: "deal_participants", column: "contact_person_id", objectType: "deal"),
            Reference(table: "interaction_participants", column: "contact_person_id", objectType: "interaction"),
            Reference(table: "claims", column: "contact_person_id", objectType: "claim"),
            Reference(table: "questionnaires", column: "contact_person_id", objectType: "survey"),
            Reference(table: "mailing_recipients", column: "contact_person_id", objectType: "mailing"),
        ]),
        Kind(table: "channels", objectType: "channel", nameColumn: "name", references: [
            Reference(table: "primary_interests", column: "channel_id", objectType: "primaryInterest"),
            Reference(table: "marketing_events", column: "channel_id", objectType: "marketingEvent"),
        ]),
        Kind(table: "contact_roles", objectType: "contactRole", nameColumn: "name", references: [
            Reference(table: "contact_person_roles", column: "role_id", objectType: "contactPerson"),
        ]),
        Kind(table: "counterparties", objectType: "counterparty", nameColumn: "name", references: [
            Reference(table: "counterparties", column: "head_counterparty_id", objectType: "counterparty"),
            Reference(table: "sales", column: "counterparty_id", objectType: "sale"),
            Reference(table: "agreements", column: "counterparty_id", objectType: "agreement"),
            Reference(table: "contracts", column: "counterparty_id", objectType: "contract"),
            Reference(table: "claims", column: "counterparty_id", objectType: "claim"),
        ]),
        Kind(table: "partners", objectType: "partner", nameColumn: "name", references: [
            Reference(table: "partners", column: "parent_id", objectType: "partner"),
            Reference(table: "counterparties", column: "partner_id", objectType: "counterparty"),
            Reference(table: "contact_persons", column: "partner_id", objectType: "contactPerson"),
            Reference(table: "primary_interests", column: "partner_id", objectType: "primaryInterest"),
            Reference(table: "primary_interests", column: "referrer_partner_id", objectType: "primaryInterest"),
            Reference(table: "marketing_event_participants", column: "partner_id", objectType: "marketingEvent"),
            Reference(table: "partner_links", column: "partner_id", objectType: "partnerLink"),
            Reference(table: "partner_links", column: "linked_partner_id", objectType: "partnerLink"),
            Reference(table: "deals", column: "partner_id", objectType: "deal"),
            Reference(table: "deal_participants", column: "partner_id", objectType: "deal"),
            Reference(table: "sales", column: "partner_id", objectType: "sale"),
            Reference(table: "interactions", column: "partner_id", objectType: "interaction"),
            Reference(table: "interaction_participants", column: "partner_id", objectType: "interaction"),
            Reference(table: "claims", column: "partner_id", objectType: "claim"),
            Reference(table: "questionnaires", column: "partner_id", objectType: "survey"),
            Reference(table: "mailing_recipients", column: "partner_id", objectType: "mailing"),
            Reference(table: "competitor_prices", column: "competitor_id", objectType: "competitorPrice"),
            Reference(table: "competitor_notes", column: "competitor_id", objectType: "competitorNote"),
        ]),
        Kind(table: "users", objectType: "user", nameColumn: "login", references: [
            Reference(table: "partners", column: "main_manager_id", objectType: "partner"),
            Reference(table: "mailings", column: "owner_id", objectType: "mailing"),
            Reference(table: "competitor_prices", column: "recorded_by", objectType: "competitorPrice"),
            Reference(table: "competitor_notes", column: "author_id", objectType: "competitorNote"),
            Reference(table: "marketing_events", column: "responsible_id", objectType: "marketingEvent"),
            Reference(table: "deals", column: "responsible_id", objectType: "deal"),
            Reference(table: "deal_stage_rows", column: "responsible_id", objectType: "deal"),
            Reference(table: "deal_stage_rows", column: "override_by", objectType: "deal"),
            Reference(table: "deal_tasks", column: "responsible_id", objectType: "deal"),
            Reference(table: "deal_tasks", column: "done_by", objectType: "deal"),
            Reference(table: "interactions", column: "responsible_id", objectType: "interaction"),
            Reference(table: "interactions", column: "author_id", objectType: "interaction"),
            Reference(table: "interaction_participants", column: "user_id", objectType: "interaction"),
            Reference(table: "classification_runs", column: "created_by", objectType: "classificationRun"),
            Reference(table: "claims", column: "guilty_user_id", objectType: "claim"),
            Reference(table: "claims", column: "responsible_id", objectType: "claim"),
            Reference(table: "questionnaires", column: "answered_by", objectType: "survey"),
        ]),
        Kind(table: "business_regions", objectType: "businessRegion", nameColumn: "name", references: [
            Reference(table: "partners", column: "business_region_id", objectType: "partner"),
        ]),
        Kind(table: "access_groups", objectType: "accessGroup", nameColumn: "name", references: [
            Reference(table: "user_access_groups", column: "access_group_id", objectType: "user"),
            Reference(table: "partners", column: "access_group_id", objectType: "partner"),
        ]),
    ]
}
