/// JSON text built as UTF-8 bytes. Bulk imports write a JSON document for every batch and an
/// audit entry for every row; appending to a byte array is a copy, where appending Unicode
/// scalars to a `String` re-validated each one.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Text that is already JSON (punctuation, numbers, a nested document).
    public mutating func raw(_ json: String) { bytes.append(contentsOf: json.utf8) }

    public mutating func raw(_ byte: UInt8) { bytes.append(byte) }

    /// A JSON string literal. Bytes of multi-byte UTF-8 sequences are all ≥ 0x80, so escaping
    /// byte by byte never splits a character.
    public mutating func string(_ value: String) {
        bytes.append(0x22)
        let utf8 = value.utf8
        // Native strings are contiguous: scan and copy them as one buffer.
        let copied = utf8.withContiguousStorageIfAvailable { buffer -> Bool in
            for byte in buffer where Self.needsEscape(byte) { return false }
            bytes.append(contentsOf: buffer)
            return true
        } ?? false
        if copied {
        } else if !utf8.contains(where: Self.needsEscape) {
            bytes.append(contentsOf: utf8)
        } else {
            for byte in utf8 {
                switch byte {
                case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
                case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
                case ..<0x20: bytes.append(contentsOf: Array("\\u00".utf8) + [Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0x0F)]])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(0x22)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private static func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C }
}
