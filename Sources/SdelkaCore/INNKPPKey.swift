/// An INN and KPP pair packed into two integers, so that an import can remember every pair in a
/// file without a heap-allocated String each (450,000 pairs had taken 29 MB as text).
public struct INNKPPKey: Hashable, Sendable {
    let inn: UInt64
    let kpp: UInt64

    /// Nil when either is not in the form `RegistrationNumbers` accepts.
    public init?(inn: String, kpp: String?) {
        // The digits as a number, times 16, plus their count: "0012345678" and
        // "000012345678" have the same value.
        guard (10...12).contains(inn.utf8.count) else { return nil }
        var innValue: UInt64 = 0
        for byte in inn.utf8 {
            guard (0x30...0x39).contains(byte) else { return nil }
            innValue = innValue * 10 + UInt64(byte - 0x30)
        }
        self.inn = innValue << 4 | UInt64(inn.utf8.count)
        // Nine characters of six bits each (digits, then capital Latin letters); all ones, which
        // no nine characters make, for no KPP.
        guard let kpp else { self.kpp = .max; return }
        guard kpp.utf8.count == 9 else { return nil }
        var kppValue: UInt64 = 0
        for byte in kpp.utf8 {
            switch byte {
            case 0x30...0x39: kppValue = kppValue << 6 | UInt64(byte - 0x30)
            case 0x41...0x5A: kppValue = kppValue << 6 | UInt64(byte - 0x41 + 10)
            default: return nil
            }
        }
        self.kpp = kppValue
    }
}
