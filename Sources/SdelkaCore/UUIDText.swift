import Foundation

extension UUID {
    /// The same text as `uuidString` (upper-case hex with hyphens), written without the C
    /// library's formatted printing that `uuidString` goes through on Linux: imports write
    /// several identifiers for every row.
    public var text: String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            writeText(to: buffer)
            return 36
        }
    }

    /// Writes the 36 bytes of `text` at the start of `buffer`, which must hold them.
    public func writeText(to buffer: UnsafeMutableBufferPointer<UInt8>) {
        var out = 0
        withUnsafeBytes(of: uuid) { bytes in
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { buffer[out] = 0x2D; out += 1 }
                buffer[out] = Self.hexDigits[Int(byte >> 4)]
                buffer[out + 1] = Self.hexDigits[Int(byte & 0x0F)]
                out += 2
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Parses the 36-character form (either case) without the C library's `sscanf` that
    /// `UUID(uuidString:)` uses on Linux: imports read every partner's and product's id.
    public init?(text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Self.parse($0) }) else { return nil }
        self = parsed
    }

    private static func parse(_ utf8: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard utf8.count == 36 else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var index = 0
        let ok = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            for position in 0..<16 {
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    guard utf8[index] == 0x2D else { return false }
                    index += 1
                }
                guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return false }
                out[position] = high << 4 | low
                index += 2
            }
            return true
        }
        return ok ? UUID(uuid: bytes) : nil
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}

extension UUID {
    /// The order of the 16 bytes, which is also the order of the text: what a B-tree keyed by
    /// the id sorts by, so rows written in this order append instead of landing anywhere.
    public var byteOrderKey: (UInt64, UInt64) {
        withUnsafeBytes(of: uuid) { bytes in
            (UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
             UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }

    /// The UUID whose bytes in order are `key`: the inverse of `byteOrderKey`.
    public init(byteOrderKey key: (UInt64, UInt64)) {
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) { bytes in
            bytes.storeBytes(of: key.0.bigEndian, toByteOffset: 0, as: UInt64.self)
            bytes.storeBytes(of: key.1.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        self.init(uuid: uuid)
    }
}
