import Fluent
import SdelkaCore
import Vapor

extension SurveyReport {
    static func filter(_ req: Request) throws -> SurveyReport.Filter {
        var params = QueryParameters(req)
        let filter = SurveyReport.Filter(segmentID: params.uuid("segmentId"), abc: params.oneOf("abc", ABCClass.self),
                                         xyz: params.oneOf("xyz", XYZClass.self), regionID: params.uuid("businessRegionId"),
                                         managerID: params.uuid("mainManagerId"))
        try params.check()
        return filter
    }
}
