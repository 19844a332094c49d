import Foundation

/// Short texts (codes) numbered 0, 1, 2… in the order added, looked up by hashing: every code's
/// UTF-8 bytes side by side in one buffer, its end offset, and a slot table of twice as many
/// 32-bit entries as codes — about 16 bytes a code besides its text. An import that resolves
/// every partner of the database by code keeps it instead of a `[String: …]`, which took 87
/// bytes a partner (300,000 partners: 26 MB).
public struct CodeIndex: Sendable {
    private var bytes: [UInt8] = []
    private var ends: [UInt32] = []
    /// Index + 1 of the code in each slot; 0 for an empty slot.
    private var slots: [UInt32]

    public init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        ends.reserveCapacity(capacity)
    }

    public var count: Int { ends.count }

    /// The code's number, adding it when it is new.
    @discardableResult
    public mutating func insert(_ code: String) -> (index: Int, inserted: Bool) {
        var code = code
        return code.withUTF8 { text in
            let hash = Self.hash(text)
            if let found = find(text, hash: hash) { return (found, false) }
            if (count + 1) * 2 > slots.count { grow() }
            bytes.append(contentsOf: text)
            ends.append(UInt32(bytes.count))
            place(count - 1, hash: hash)
            return (count - 1, true)
        }
    }

    public func index(of code: String) -> Int? {
        var code = code
        return code.withUTF8 { find($0, hash: Self.hash($0)) }
    }

    public func code(at index: Int) -> String {
        String(decoding: bytes[start(index)..<Int(ends[index])], as: UTF8.self)
    }

    private func start(_ index: Int) -> Int { index == 0 ? 0 : Int(ends[index - 1]) }

    private func find(_ text: UnsafeBufferPointer<UInt8>, hash: Int) -> Int? {
        // Through raw buffers: the sales import looks a code up for each of millions of lines.
        slots.withUnsafeBufferPointer { slots in
            ends.withUnsafeBufferPointer { ends in
                bytes.withUnsafeBufferPointer { bytes in
                    let mask = slots.count - 1
                    var slot = hash & mask
                    while slots[slot] != 0 {
                        let index = Int(slots[slot]) - 1
                        let from = index == 0 ? 0 : Int(ends[index - 1]), to = Int(ends[index])
                        if to - from == text.count
                            && (text.isEmpty || memcmp(bytes.baseAddress! + from, text.baseAddress!, text.count) == 0) {
                            return index
                        }
                        slot = (slot + 1) & mask
                    }
                    return nil
                }
            }
        }
    }

    private mutating func place(_ index: Int, hash: Int) {
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = UInt32(index + 1)
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for index in 0..<count {
            let hash = bytes.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[start(index)..<Int(ends[index])])) }
            place(index, hash: hash)
        }
    }

    private static func hash(_ text: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(text))
        return hasher.finalize()
    }
}
