import Vapor

/// Every user-visible string of the web UI, from `Resources/Localization/<lang>.json`.
struct Localizer: Sendable {
    let tables: [Language: [String: String]]

    init(directory: String) throws {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let path = directory + language.rawValue + ".json"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw Abort(.internalServerError, reason: "Missing localization file \(path)")
            }
            tables[language] = try JSONDecoder().decode([String: String].self, from: data)
        }
        self.tables = tables
    }

    func strings(_ language: Language) -> [String: String] {
        tables[language] ?? [:]
    }

    /// A string with `{name}` placeholders filled in; the key itself when missing, so a
    /// forgotten key is visible rather than blank.
    func text(_ key: String, _ language: Language, _ values: [String: String] = [:]) -> String {
        var text = tables[language]?[key] ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }
}

extension Application {
    private struct LocalizerKey: StorageKey { typealias Value = Localizer }

    var localizer: Localizer {
        get { storage[LocalizerKey.self]! }
        set { storage[LocalizerKey.self] = newValue }
    }
}
