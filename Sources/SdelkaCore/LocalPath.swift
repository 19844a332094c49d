/// A redirect target a request may name (`?next=`, a form's `back`): only a path on this
/// server. `//host` and `/\host` are read by browsers as another site, and control characters
/// or spaces could split the header or hide such a prefix.
public enum LocalPath {
    public static func checked(_ path: String?) -> String? {
        guard let path, path.hasPrefix("/"), path.utf8.count <= 2_048 else { return nil }
        let bytes = Array(path.utf8)
        if bytes.count > 1, bytes[1] == UInt8(ascii: "/") || bytes[1] == UInt8(ascii: "\\") { return nil }
        guard !bytes.contains(where: { $0 < 0x21 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) else { return nil }
        return path
    }
}
