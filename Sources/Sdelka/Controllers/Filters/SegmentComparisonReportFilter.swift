import Fluent
import SdelkaCore
import Vapor

extension SegmentComparisonReport {
    /// `segmentIds=a,b` from clients, `segmentIds=a&segmentIds=b` from the page's checkboxes.
    static func filter(_ req: Request) throws -> SegmentComparisonReport.Filter {
        var params = QueryParameters(req)
        let texts = (URLComponents(string: req.url.string)?.queryItems ?? []).filter { $0.name == "segmentIds" }.compactMap(\.value)
            .flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
        var ids: [UUID] = []
        for text in texts {
            guard let id = UUID(uuidString: text) else { params.fail("segmentIds", "is not a list of UUIDs"); break }
            ids.append(id)
        }
        let filter = SegmentComparisonReport.Filter(segmentIDs: texts.isEmpty ? nil : ids, from: params.date("from"), to: params.date("to"))
        try params.check()
        return filter
    }
}
