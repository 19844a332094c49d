import SdelkaCore
import Testing

@Suite struct KeyFilterTests {
    @Test func everyKeyAddedIsContained() {
        var filter = KeyFilter(bits: 1 << 20)
        let hashes = (0..<50_000).map { KeyFilter.hash(space: 1, "K\($0)") }
        for hash in hashes { filter.insert(hash) }
        #expect(hashes.allSatisfy(filter.mayContain))
    }

    @Test func insertTellsWhetherTheKeyMayHaveBeenThere() {
        var filter = KeyFilter(bits: 1 << 16)
        let hash = KeyFilter.hash(space: 1, "P000001")
        let first = filter.insert(hash), second = filter.insert(hash)
        #expect(!first)
        #expect(second)
        #expect(!filter.mayContain(KeyFilter.hash(space: 2, "P000001")), "another space is another key")
    }

    /// 5,000 keys in 65,536 bits set at most 20,000 of them; a new key finds its four bits set
    /// with probability (1 − e^(−4·5000/65536))⁴ = 0.263⁴ ≈ 0.0048: about 480 of 100,000.
    @Test func falsePositivesAreAsRareAsTheBitsPredict() {
        var filter = KeyFilter(bits: 1 << 16)
        #expect(filter.bitCount == 65_536)
        for n in 0..<5_000 { filter.insert(KeyFilter.hash(space: 1, "in-\(n)")) }
        let wrong = (0..<100_000).filter { filter.mayContain(KeyFilter.hash(space: 1, "out-\($0)")) }.count
        #expect((300...700).contains(wrong), "\(wrong) false positives")
    }

    @Test func sizeIsRoundedUpToAPowerOfTwo() {
        #expect(KeyFilter(bits: 1000).bitCount == 1024)
        #expect(KeyFilter(bits: 1).bitCount == 64)
    }
}
