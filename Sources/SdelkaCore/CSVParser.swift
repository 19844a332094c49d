/// A streaming RFC 4180 reader (UTF-8, comma, optional header, quoted fields with `""`,
/// CRLF or LF). Feed it chunks of any size; it returns the records completed so far, each
/// with the line number it starts on, so that memory stays flat whatever the file's size.
public struct CSVParser: Sendable {
    public struct Record: Equatable, Sendable {
        public var line: Int
        public var fields: [String]
    }

    public struct Failure: Error, Equatable, Sendable {
        public var line: Int
        public var message: String
    }

    private enum State: Sendable { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// No column of an import holds more than this, and a file with an unclosed quote would
    /// otherwise read the rest of itself, gigabytes, into one field.
    public static let maxFieldBytes = 65_536
    public static let maxFields = 1_000

    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var line = 1
    private var recordLine = 1
    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    private var bomProgress = 0
    private var pendingCR = false

    public init() {}

    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) throws(Failure) -> [Record] where Bytes.Element == UInt8 {
        // A contiguous chunk (Data, [UInt8]) is read through its buffer: iterating `Data`
        // byte by byte costs more than parsing.
        var failure: Failure?
        let fast = bytes.withContiguousStorageIfAvailable { buffer -> [Record] in
            do throws(Failure) { return try feedBuffer(buffer) } catch { failure = error; return [] }
        }
        if let failure { throw failure }
        if let fast { return fast }
        var records: [Record] = []
        for byte in bytes { try feedByte(byte, into: &records) }
        return records
    }

    private mutating func feedBuffer(_ buffer: UnsafeBufferPointer<UInt8>) throws(Failure) -> [Record] {
        var records: [Record] = []
        var index = 0
        while index < buffer.count {
            if state == .fieldStart && !pendingCR && bomProgress == Self.bom.count, let end = try unquotedField(in: buffer, from: index, into: &records) {
                index = end
                continue
            }
            try feedByte(buffer[index], into: &records)
            index += 1
        }
        return records
    }

    /// The common case, read at once: an unquoted field that ends within the buffer. Returns
    /// the index past its delimiter, or nil to leave the field to the byte-by-byte reading
    /// (it is quoted, has a stray quote, or goes on in the next chunk).
    private mutating func unquotedField(in buffer: UnsafeBufferPointer<UInt8>, from start: Int,
                                        into records: inout [Record]) throws(Failure) -> Int? {
        var end = start, bits: UInt8 = 0
        while end < buffer.count {
            let byte = buffer[end]
            if byte == Self.comma || byte == Self.lf || byte == Self.cr || byte == Self.quote { break }
            bits |= byte
            end += 1
        }
        guard end < buffer.count, buffer[end] != Self.quote else { return nil }
        if end - start > Self.maxFieldBytes { throw Self.fieldTooLong(line) }
        if fields.count >= Self.maxFields { throw Self.tooManyFields(line) }
        fields.append(try text(UnsafeBufferPointer(rebasing: buffer[start..<end]), ascii: bits < 0x80))
        if buffer[end] != Self.comma {
            pendingCR = buffer[end] == Self.cr
            if let record = takeRecord() { records.append(record) }
            line += 1
            recordLine = line
        }
        return end + 1
    }

    private mutating func feedByte(_ byte: UInt8, into records: inout [Record]) throws(Failure) {
        // A UTF-8 byte-order mark, as Excel writes it, is not part of the first field:
        // hold the first bytes while they match it, and replay them if they do not.
        if bomProgress < Self.bom.count {
            if byte == Self.bom[bomProgress] {
                bomProgress += 1
                return
            }
            let held = Self.bom.prefix(bomProgress)
            bomProgress = Self.bom.count
            for heldByte in held {
                if let record = try consume(heldByte) { records.append(record) }
            }
        }
        if let record = try consume(byte) { records.append(record) }
    }

    /// Ends the input: returns the last record if the file did not end with a newline.
    public mutating func finish() throws(Failure) -> Record? {
        switch state {
        case .quoted:
            throw Failure(line: recordLine, message: "a quoted field is not closed")
        case .fieldStart where fields.isEmpty && field.isEmpty:
            return nil
        default:
            return try endRecord()
        }
    }

    private static let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A

    private mutating func consume(_ byte: UInt8) throws(Failure) -> Record? {
        let quote = Self.quote, comma = Self.comma, cr = Self.cr, lf = Self.lf
        if pendingCR {
            pendingCR = false
            if byte == lf { return nil }
        }
        switch state {
        case .quoted:
            if byte == quote { state = .quoteInQuoted } else {
                if byte == lf { line += 1 }
                if field.count >= Self.maxFieldBytes { throw Self.fieldTooLong(recordLine) }
                field.append(byte)
            }
            return nil
        case .quoteInQuoted:
            if byte == quote {
                if field.count >= Self.maxFieldBytes { throw Self.fieldTooLong(recordLine) }
                field.append(quote)
                state = .quoted
                return nil
            }
            guard byte == comma || byte == cr || byte == lf else {
                throw Failure(line: line, message: "unexpected character after a closing quote")
            }
        case .unquoted where byte == quote:
            throw Failure(line: line, message: "a quote inside an unquoted field; quote the whole field and double the quote")
        case .fieldStart where byte == quote:
            state = .quoted
            return nil
        default:
            break
        }
        switch byte {
        case comma:
            try endField()
            return nil
        case cr, lf:
            pendingCR = byte == cr
            let record = try endRecord()
            line += 1
            recordLine = line
            return record
        default:
            if field.count >= Self.maxFieldBytes { throw Self.fieldTooLong(line) }
            field.append(byte)
            state = .unquoted
            return nil
        }
    }

    static func fieldTooLong(_ line: Int) -> Failure {
        Failure(line: line, message: "a field is longer than \(maxFieldBytes) bytes")
    }

    static func tooManyFields(_ line: Int) -> Failure {
        Failure(line: line, message: "a line has more than \(maxFields) fields")
    }

    private mutating func endField() throws(Failure) {
        if fields.count >= Self.maxFields { throw Self.tooManyFields(recordLine) }
        let text = try field.withUnsafeBufferPointer { bytes throws(Failure) in
            try self.text(bytes, ascii: !bytes.contains { $0 >= 0x80 })
        }
        fields.append(text)
        field.removeAll(keepingCapacity: true)
        state = .fieldStart
    }

    /// ASCII needs no validation, and the generic validating initializer costs more than the
    /// rest of the parsing.
    private func text(_ bytes: UnsafeBufferPointer<UInt8>, ascii: Bool) throws(Failure) -> String {
        if ascii { return String(decoding: bytes, as: UTF8.self) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(line: line, message: "the text is not valid UTF-8")
        }
        return text
    }

    private mutating func endRecord() throws(Failure) -> Record? {
        try endField()
        return takeRecord()
    }

    /// The fields read so far as a record.
    private mutating func takeRecord() -> Record? {
        let record = fields
        // A new buffer sized to the record. `removeAll(keepingCapacity:)` on the buffer the
        // record still holds would allocate the old capacity again, and glibc hands out chunks
        // a little larger than asked: the capacity ratcheted up with every record, from 16 to
        // 239 strings over 2,000,000 lines, ~60 MB held by the records of two batches.
        fields = []
        fields.reserveCapacity(record.count)
        // A blank line carries no record.
        if record.count == 1 && record[0].isEmpty { return nil }
        return Record(line: recordLine, fields: record)
    }
}
