/// A counterparty's legal form (DOMAIN.md §1); it decides which registration numbers apply.
public enum LegalForm: String, Codable, CaseIterable, Sendable {
    case legalEntity, soleProprietor, individual, foreignLegalEntity
}
