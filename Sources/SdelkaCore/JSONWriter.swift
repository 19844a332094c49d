import Foundation

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
    /// byte by byte never splits a character; the runs between escapes are copied whole.
    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { quoted($0) }
    }

    /// Another writer's JSON as a string literal: a document stored as text inside a row.
    public mutating func string(of other: JSONWriter) {
        other.bytes.withUnsafeBufferPointer { quoted($0) }
    }

    /// An identifier as a string literal, in the text of `UUID.text`, without making a `String`.
    public mutating func uuid(_ id: UUID) {
        bytes.append(0x22)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0x30, count: 36))
        bytes.withUnsafeMutableBufferPointer { buffer in
            id.writeText(to: UnsafeMutableBufferPointer(rebasing: buffer[start..<start + 36]))
        }
        bytes.append(0x22)
    }

    /// Empties the writer to be filled again, keeping its buffer.
    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    private mutating func quoted(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        var start = 0
        for index in buffer.indices where Self.needsEscape(buffer[index]) {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<index]))
            escape(buffer[index])
            start = index + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        bytes.append(0x22)
    }

    /// An integer, its digits written in place (`String(value)` for every number of a large
    /// import cost more than the rest of its row).
    public mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(0x2D) }
        var magnitude = value.magnitude, digits = 1
        var rest = magnitude / 10
        while rest > 0 { digits += 1; rest /= 10 }
        bytes.append(contentsOf: repeatElement(0x30, count: digits))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = 0x30 + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
        }
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(0x5C)
        switch byte {
        case 0x22, 0x5C: bytes.append(byte)
        case 0x0A: bytes.append(0x6E)
        case 0x0D: bytes.append(0x72)
        case 0x09: bytes.append(0x74)
        default:
            bytes.append(contentsOf: [0x75, 0x30, 0x30, Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0x0F)]])
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private static func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C }
}
