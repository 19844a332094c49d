import Foundation

/// UUIDs of version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Rows
/// written in bulk get ascending keys, so their primary-key index grows at its right edge
/// instead of splitting pages at random places.
public enum TimeOrderedID {
    public static func make(at date: Date = Date()) -> UUID {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        // The system generator (getrandom on Linux) rather than `UUID()`, whose Linux
        // implementation opens /dev/urandom for every identifier.
        var generator = SystemRandomNumberGenerator()
        let high = (milliseconds << 16) | 0x7000 | (generator.next() & 0x0FFF)
        let low = (generator.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var bytes = (high.bigEndian, low.bigEndian)
        return withUnsafeBytes(of: &bytes) { raw in
            UUID(uuid: raw.load(as: uuid_t.self))
        }
    }
}
