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

extension TimeOrderedID {
    /// Identifiers for one bulk writer: the random bits come from a xoshiro256** generator
    /// seeded once from the system, instead of two `getrandom` calls for every identifier.
    public struct Source: Sendable {
        private var state: (UInt64, UInt64, UInt64, UInt64)

        public init() {
            var system = SystemRandomNumberGenerator()
            state = (system.next(), system.next(), system.next(), system.next() | 1)
        }

        public mutating func make(at date: Date = Date()) -> UUID {
            let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
            let high = (milliseconds << 16) | 0x7000 | (next() & 0x0FFF)
            let low = (next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
            var bytes = (high.bigEndian, low.bigEndian)
            return withUnsafeBytes(of: &bytes) { raw in UUID(uuid: raw.load(as: uuid_t.self)) }
        }

        private mutating func next() -> UInt64 {
            let result = rotate(state.1 &* 5, 7) &* 9
            let t = state.1 << 17
            state.2 ^= state.0
            state.3 ^= state.1
            state.1 ^= state.2
            state.0 ^= state.3
            state.2 ^= t
            state.3 = rotate(state.3, 45)
            return result
        }

        private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
    }
}
