import Foundation

// The name each record type is known by, for confirmations ("Marked for deletion: …").
extension PartnerDTO: RecordRepresentation { var title: String { name } }
extension CounterpartyDTO: RecordRepresentation { var title: String { name } }
extension ContactPersonDTO: RecordRepresentation { var title: String { name } }
extension DealKindDTO: RecordRepresentation { var title: String { name } }
extension MarketingEventDTO: RecordRepresentation { var title: String { name } }
extension DealDTO: RecordRepresentation { var title: String { name } }
extension SaleDTO: RecordRepresentation { var title: String { number } }
extension InteractionDTO: RecordRepresentation { var title: String { topic } }
extension SegmentDTO: RecordRepresentation { var title: String { name } }
extension UserDTO: RecordRepresentation { var title: String { login } }
extension ProductDTO: RecordRepresentation { var title: String { name } }
extension TermsDTO: RecordRepresentation { var title: String { number } }
extension CatalogDTO: RecordRepresentation { var title: String { name } }
extension ClaimDTO: RecordRepresentation { var title: String { number } }
extension SurveyTemplateDTO: RecordRepresentation { var title: String { name } }
extension SurveyDTO: RecordRepresentation { var title: String { name } }
extension MailingDTO: RecordRepresentation { var title: String { name } }
extension CompetitorPriceDTO: RecordRepresentation { var title: String { date } }
extension CompetitorNoteDTO: RecordRepresentation { var title: String { text } }
