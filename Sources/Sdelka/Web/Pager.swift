import Foundation
import Vapor

/// Paging links for list pages.
struct Pager: Encodable, Sendable {
    var page: Int
    var pages: Int
    var prev: String?
    var next: String?

    init(_ req: Request, page: Int, per: Int, total: Int) {
        self.page = page
        self.pages = max(1, (total + per - 1) / per)
        func link(_ target: Int) -> String {
            req.link(to: req.url.path, dropping: ["page"], adding: [URLQueryItem(name: "page", value: String(target))])
        }
        self.prev = page > 1 ? link(page - 1) : nil
        self.next = page < pages ? link(page + 1) : nil
    }
}
