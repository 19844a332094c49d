import SdelkaCore
import Testing

@Suite struct CodeIndexTests {
    @Test func codesAreNumberedInTheOrderAdded() {
        var index = CodeIndex()
        let added = ["P000001", "Ромашка", "", "P000001"].map { index.insert($0) }
        #expect(added.map(\.index) == [0, 1, 2, 0], "a code added again keeps its number")
        #expect(added.map(\.inserted) == [true, true, true, false])
        #expect(index.count == 3)
        #expect(index.index(of: "Ромашка") == 1)
        #expect(index.index(of: "") == 2)
        #expect(index.index(of: "P00000") == nil, "a prefix is another code")
        #expect(index.index(of: "p000001") == nil, "codes are compared exactly")
        #expect(index.code(at: 1) == "Ромашка")
    }

    @Test func everyCodeIsFoundAfterTheTableGrows() {
        var index = CodeIndex()
        let codes = (0..<20_000).map { "K\($0)" } + ["a-code-longer-than-fifteen-bytes-\(UInt64.max)"]
        for code in codes { index.insert(code) }
        #expect(index.count == codes.count)
        #expect(codes.indices.allSatisfy { index.index(of: codes[$0]) == $0 && index.code(at: $0) == codes[$0] })
        #expect(index.index(of: "K20000") == nil)
    }
}
