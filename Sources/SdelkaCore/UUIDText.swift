import Foundation

extension UUID {
    /// The same text as `uuidString` (upper-case hex with hyphens), written without the C
    /// library's formatted printing that `uuidString` goes through on Linux: imports write
    /// several identifiers for every row.
    public var text: String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            var out = 0
            withUnsafeBytes(of: uuid) { bytes in
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 { buffer[out] = 0x2D; out += 1 }
                    buffer[out] = Self.hexDigits[Int(byte >> 4)]
                    buffer[out + 1] = Self.hexDigits[Int(byte & 0x0F)]
                    out += 2
                }
            }
            return out
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
