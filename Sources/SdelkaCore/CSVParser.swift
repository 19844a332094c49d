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
        return try feedBuffer(bytes)
    }

    private mutating func feedBuffer<Bytes: Sequence>(_ bytes: Bytes) throws(Failure) -> [Record] where Bytes.Element == UInt8 {
        var records: [Record] = []
        for byte in bytes {
            // A UTF-8 byte-order mark, as Excel writes it, is not part of the first field:
            // hold the first bytes while they match it, and replay them if they do not.
            if bomProgress < Self.bom.count {
                if byte == Self.bom[bomProgress] {
                    bomProgress += 1
                    continue
                }
                let held = Self.bom.prefix(bomProgress)
                bomProgress = Self.bom.count
                for heldByte in held {
                    if let record = try consume(heldByte) { records.append(record) }
                }
            }
            if let record = try consume(byte) { records.append(record) }
        }
        return records
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

    private mutating func consume(_ byte: UInt8) throws(Failure) -> Record? {
        let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        if pendingCR {
            pendingCR = false
            if byte == lf { return nil }
        }
        switch state {
        case .quoted:
            if byte == quote { state = .quoteInQuoted } else {
                if byte == lf { line += 1 }
                field.append(byte)
            }
            return nil
        case .quoteInQuoted:
            if byte == quote {
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
            field.append(byte)
            state = .unquoted
            return nil
        }
    }

    private mutating func endField() throws(Failure) {
        guard let text = field.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) else {
            throw Failure(line: line, message: "the text is not valid UTF-8")
        }
        fields.append(text)
        field.removeAll(keepingCapacity: true)
        state = .fieldStart
    }

    private mutating func endRecord() throws(Failure) -> Record? {
        try endField()
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
