import Foundation
import SdelkaCore

/// Where letters go (`SMTP_URL`): `smtp://user:pass@host:port` in the clear or upgraded with
/// `?starttls=1`, `smtps://…` for implicit TLS. `?ca=/path/cert.pem` trusts that certificate
/// authority besides the system's (a company's own mail server); `MAIL_FROM` is the sender.
struct SMTPSettings: Sendable, Equatable {
    enum Security: Sendable, Equatable { case none, startTLS, implicitTLS }

    var host: String
    var port: Int
    var security: Security
    var user: String?
    var password: String?
    var trustedCAFile: String?
    var from: MailAddress

    /// Nil with the reason when the URL or the sender cannot be used.
    static func parse(url: String, mailFrom: String?) -> Result<SMTPSettings, SettingsError> {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), ["smtp", "smtps"].contains(scheme),
              let host = components.host, !host.isEmpty else {
            return .failure(SettingsError("SMTP_URL must look like smtp://user:pass@host:port or smtps://…"))
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name.lowercased(), $0.value ?? "") }, uniquingKeysWith: { $1 })
        let security: Security = scheme == "smtps" ? .implicitTLS : (["1", "true", "yes"].contains(query["starttls"]?.lowercased() ?? "") ? .startTLS : .none)
        guard let sender = mailFrom.flatMap({ MailAddress.list($0).first }) else {
            return .failure(SettingsError("MAIL_FROM must be set to the sender's address, e.g. Sdelka <crm@example.ru>"))
        }
        return .success(SMTPSettings(host: host, port: components.port ?? (scheme == "smtps" ? 465 : 25), security: security,
                                     user: components.user?.removingPercentEncoding, password: components.password?.removingPercentEncoding,
                                     trustedCAFile: query["ca"].flatMap { $0.isEmpty ? nil : $0 }, from: sender))
    }

    struct SettingsError: Error, Equatable, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

