/// A Bloom filter over 64-bit hashes of keys: a fixed number of bits, of which every key sets
/// four. "Not contained" is always right; "may contain" is wrong for a share of keys that
/// grows with the keys added — about 1 in 2,000,000 for 450,000 keys in 2²⁶ bits (8 MB), 1 in
/// 1,400 for 3,000,000. Imports use it to remember every key of a file in the same memory
/// whatever the file's size, and ask the database about the few keys it may contain.
public struct KeyFilter: Sendable {
    private var words: [UInt64]
    private let mask: UInt64

    /// `bits` is rounded up to a power of two, at least 64.
    public init(bits: Int) {
        var size = 64
        while size < bits { size <<= 1 }
        words = Array(repeating: 0, count: size / 64)
        mask = UInt64(size - 1)
    }

    public var bitCount: Int { words.count * 64 }

    /// Adds a key's hash; returns whether the filter may have contained it already.
    @discardableResult
    public mutating func insert(_ hash: UInt64) -> Bool {
        var contained = true
        let (h1, h2) = Self.split(hash)
        for i in 0..<Self.bitsPerKey {
            let bit = (h1 &+ UInt64(i) &* h2) & mask
            let word = Int(bit >> 6), flag = UInt64(1) << (bit & 63)
            if words[word] & flag == 0 {
                contained = false
                words[word] |= flag
            }
        }
        return contained
    }

    public func mayContain(_ hash: UInt64) -> Bool {
        let (h1, h2) = Self.split(hash)
        for i in 0..<Self.bitsPerKey {
            let bit = (h1 &+ UInt64(i) &* h2) & mask
            if words[Int(bit >> 6)] & (UInt64(1) << (bit & 63)) == 0 { return false }
        }
        return true
    }

    static let bitsPerKey = 4

    /// The positions are h1 + i·h2 (Kirsch and Mitzenmacher: as good as independent hashes);
    /// h2 is odd, so that they differ.
    private static func split(_ hash: UInt64) -> (UInt64, UInt64) {
        (hash & 0xFFFF_FFFF, hash >> 32 | 1)
    }

    /// A key's hash: Swift's seeded SipHash of its space and text, different in every process
    /// (a filter lives only as long as one import).
    public static func hash(space: Int, _ text: String) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(space)
        hasher.combine(text)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }
}
