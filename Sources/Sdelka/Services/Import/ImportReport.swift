import SdelkaCore
import Vapor

/// The answer of every import: `{"created","updated","errors":[{"line","column","message"}]}`.
struct ImportReport: Content, Equatable {
    struct Problem: Content, Equatable {
        var line: Int
        var column: String
        var message: String
    }

    var created = 0
    var updated = 0
    var errors: [Problem] = []

    /// Enough to fix a file; past this the rest is summed up in one line.
    static let maxErrors = 1000
    var droppedErrors = 0

    mutating func fail(_ line: Int, _ column: String, _ message: String) {
        if errors.count < Self.maxErrors { errors.append(Problem(line: line, column: column, message: message)) }
        else { droppedErrors += 1 }
    }

    /// Problems in file order: a line's partner is checked after the rest of its batch.
    mutating func sortByLine() {
        errors = errors.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    }

    enum CodingKeys: String, CodingKey { case created, updated, errors }
}

/// Thrown to roll an all-or-nothing import back; carries the report to answer with.
struct ImportRejected: Error {
    var report: ImportReport
}

/// Maps a CSV header to column positions and checks it against the expected columns.
struct CSVHeader {
    let index: [String: Int]

    init(_ record: CSVParser.Record, expected: [String], required: Set<String>) throws(ImportRejected) {
        var index: [String: Int] = [:]
        var report = ImportReport()
        for (position, raw) in record.fields.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if !expected.contains(name) { report.fail(record.line, name, "unknown column; expected: \(expected.joined(separator: ","))") }
            else if index[name] != nil { report.fail(record.line, name, "the column appears twice") }
            else { index[name] = position }
        }
        for name in expected where required.contains(name) && index[name] == nil {
            report.fail(record.line, name, "the required column is missing")
        }
        if !report.errors.isEmpty { throw ImportRejected(report: report) }
        self.index = index
    }

    /// The trimmed value of a column in a record, nil when empty or absent.
    func value(_ record: CSVParser.Record, _ column: String) -> String? {
        guard let position = index[column], position < record.fields.count else { return nil }
        let value = CSVWriter.unprotected(SearchText.trimmed(record.fields[position]))
        return value.isEmpty ? nil : value
    }
}

enum CSVValue {
    /// true/false, 1/0, yes/no, да/нет; empty gives the default.
    static func bool(_ text: String?) -> Bool?? {
        guard let text else { return .some(nil) }
        switch text.lowercased() {
        case "true", "1", "yes", "да", "y", "д": return true
        case "false", "0", "no", "нет", "n", "н": return false
        default: return nil
        }
    }
}
