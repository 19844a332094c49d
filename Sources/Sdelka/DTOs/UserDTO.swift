import SdelkaCore
import Vapor

/// A user as the API shows it; the password never leaves the server.
struct UserDTO: Content, Equatable {
    var id: UUID
    var login: String
    var name: String
    var email: String?
    var phone: String?
    var role: Role
    var language: String
    var accessGroupIds: [UUID]
    var active: Bool
    var deletionMark: Bool
    var version: Int

    init(id: UUID, login: String, name: String, email: String?, phone: String? = nil, role: Role, language: String,
         accessGroupIds: [UUID], active: Bool, deletionMark: Bool, version: Int) {
        self.phone = phone
        self.id = id
        self.login = login
        self.name = name
        self.email = email
        self.role = role
        self.language = language
        self.accessGroupIds = accessGroupIds.sorted { $0.uuidString < $1.uuidString }
        self.active = active
        self.deletionMark = deletionMark
        self.version = version
    }

    init(_ user: User, accessGroupIds: [UUID]) throws {
        self.init(id: try user.requireID(), login: user.login, name: user.name, email: user.email, phone: user.phone,
                  role: user.role, language: user.language.rawValue, accessGroupIds: accessGroupIds,
                  active: user.active, deletionMark: user.deletionMark, version: user.version)
    }
}

/// Create and PATCH body for users: every field optional here, required ones checked in `validate`.
struct UserInput: Content {
    var login: String?
    var name: String?
    var email: String?
    var phone: String?
    var role: String?
    var language: String?
    var password: String?
    var accessGroupIds: [UUID]?
    var active: Bool?
    var version: Int?

    static let minPasswordLength = 8

    func validate(creating: Bool) -> FieldErrors {
        var errors = FieldErrors()
        if creating {
            if login == nil { errors.add("login", "is required") }
            if name == nil { errors.add("name", "is required") }
            if role == nil { errors.add("role", "is required") }
            if password == nil { errors.add("password", "is required") }
        }
        if let login {
            let trimmed = login.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { errors.add("login", "must not be empty") }
            else if trimmed.count > 64 { errors.add("login", "must be at most 64 characters") }
            else if trimmed.contains(where: { $0.isWhitespace }) { errors.add("login", "must not contain spaces") }
        }
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("name", "must not be empty") }
        if let email, !email.isEmpty, !EmailAddress.looksValid(email) { errors.add("email", "is not an e-mail address") }
        if let phone, phone.count > 30 || phone.contains(where: { !($0.isNumber || " +-()".contains($0)) }) {
            errors.add("phone", "is not a phone number")
        }
        if let role, Role(rawValue: role) == nil {
            errors.add("role", "must be one of: " + Role.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if let language, Language(rawValue: language) == nil { errors.add("language", "must be ru or en") }
        if let password, password.count < Self.minPasswordLength {
            errors.add("password", "must be at least \(Self.minPasswordLength) characters")
        }
        return errors
    }
}

enum EmailAddress {
    /// A deliberately loose check: one @, something before it, a dot in the domain, no spaces.
    static func looksValid(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !text.contains(where: { $0.isWhitespace })
    }
}
