extension String {
    /// The text without surrounding white space, or nil when nothing is left: how every form
    /// and API field treats an empty value.
    var cleaned: String? {
        let text = trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}

extension Optional where Wrapped == String {
    var cleaned: String? { self?.cleaned }
}
