/// Writes CSV the way `CSVParser` reads it (RFC 4180): comma-separated, a field quoted when it
/// holds a comma, a quote or a line break, quotes doubled, lines ended by CRLF.
public enum CSVWriter {
    public static func line(_ fields: [String?]) -> String {
        fields.map { field($0 ?? "") }.joined(separator: ",") + "\r\n"
    }

    public static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
