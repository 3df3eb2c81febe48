/// herd7 7.57's integer literals, read the way it reads them, and written
/// so that it reads them back.
///
/// - Immediates in code (AArch64 `#k`, whose `#` is optional, and x86
///   `$k`) go through the instruction lexers: decimal digits with an
///   optional `-` (AArch64 also `+`), read as an OCaml int — 63 bits, so
///   -2^62 ... 2^62-1; no hexadecimal.
/// - Values in the init block and the condition go through the state
///   lexer: decimal read as a 64-bit signed integer (-2^63 ... 2^63-1) or
///   unsigned hexadecimal `0x...` up to 64 bits.
enum HerdInteger {
    static let immediateRange: ClosedRange<Int64> = -(1 << 62) ... (1 << 62) - 1

    /// The immediate `digits` spells (the text after `#` or `$`); nil when it
    /// is not a number at all; throws for a number herd7 cannot read.
    static func immediate(_ digits: Substring, _ t: Token, plusSign: Bool) throws -> Int64? {
        var s = digits
        let negative = s.first == "-"
        if negative || (plusSign && s.first == "+") { s = s.dropFirst() }
        guard let f = s.first, f.isASCII, f.isNumber else { return nil }
        guard s.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            let decimal = hexadecimal(s).map { " (write \(negative ? "-" : "")\($0))" } ?? ""
            throw LitmusError(line: t.line, token: t.text, "herd7 reads immediates in code in decimal only\(decimal)")
        }
        guard let v = Int64(negative ? "-" + s : String(s)), immediateRange.contains(v) else {
            throw LitmusError(line: t.line, token: t.text,
                              "immediate outside -2^62 ... 2^62-1, the range herd7 reads in code; set the value in the init block")
        }
        return v
    }

    /// A value in the init block or the condition; nil when `text` is not a
    /// number (a location's name); throws for a number herd7 cannot read.
    static func value(_ t: Token) throws -> UInt64? {
        let text = t.text
        guard let f = text.first, f.isNumber || (f == "-" && text.count > 1) else { return nil }
        let body = f == "-" ? text.dropFirst() : Substring(text)
        if body.hasPrefix("0x") || body.hasPrefix("0X") {
            guard f != "-" else { throw LitmusError(line: t.line, token: text, "herd7 reads no sign on a hexadecimal value") }
            guard let v = hexadecimal(body) else { throw LitmusError(line: t.line, token: text, "not a 64-bit hexadecimal value") }
            return v
        }
        guard body.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            if f == "-" { return nil }
            throw LitmusError(line: t.line, token: text, "not a number herd7 reads (decimal, or hexadecimal 0x...)")
        }
        guard let v = Int64(text) else {
            throw LitmusError(line: t.line, token: text,
                              "decimal value outside -2^63 ... 2^63-1, the range herd7 reads; write it in hexadecimal")
        }
        return UInt64(bitPattern: v)
    }

    /// `v` as the init block or the condition states it: decimal while herd7
    /// reads it as decimal, hexadecimal above 2^63-1.
    static func valueText(_ v: UInt64) -> String {
        v <= UInt64(Int64.max) ? String(v) : "0x" + String(v, radix: 16)
    }

    /// `v` as an immediate in code, or nil when herd7 cannot read it there.
    static func immediateText(_ v: Int64) -> String? {
        immediateRange.contains(v) ? String(v) : nil
    }

    private static func hexadecimal(_ s: Substring) -> UInt64? {
        guard s.hasPrefix("0x") || s.hasPrefix("0X") else { return nil }
        return UInt64(s.dropFirst(2), radix: 16)
    }
}

/// herd7's AArch64 MOV-immediate rule (AArch64Base.tr_mov_imm), an
/// assembler's: `MOV Rd,#k` is MOVZ or MOVN, so `k` or its complement must be
/// one 16-bit chunk at shift 0, 16, 32 or 48 (a W register: 0 or 16). herd7
/// applies it to `k` as written, so `MOV W0,#-2` is legal and
/// `MOV W0,#4294967294` (the same W value) is not.
enum AArch64Immediate {
    static func movEncodable(_ k: Int64, bytes: Int) -> Bool {
        func shift(_ x: Int64) -> Int? { [0, 16, 32, 48].first { (Int64(0xFFFF) << $0) & x == x } }
        guard let s = shift(k) ?? shift(~k) else { return false }
        return bytes == 8 || s < 32
    }

    /// The literal `k` with which `MOV Rd,#k` sets a `bytes`-wide register
    /// to `v`, or nil when no MOV can.
    static func movLiteral(_ v: UInt64, bytes: Int) -> Int64? {
        literals(v, bytes: bytes).first { movEncodable($0, bytes: bytes) }
    }

    /// The literals that denote `v` in a `bytes`-wide register and herd7 reads
    /// in code: the value as signed, and for a W register also as unsigned.
    static func literals(_ v: UInt64, bytes: Int) -> [Int64] {
        let out: [Int64] = bytes == 8 ? [Int64(bitPattern: v)]
            : [Int64(v & 0xFFFF_FFFF), Int64(Int32(truncatingIfNeeded: v))]
        return out.filter { HerdInteger.immediateRange.contains($0) }
    }

    /// herd7 7.57's MOVZ/MOVN/MOVK immediate: 0 ... 65534 (its semantics
    /// assert k < 65535, so #65535 stops herd7).
    static let wideRange: ClosedRange<Int64> = 0 ... 65534
    /// ADD's immediate: herd7 takes |k| < 4096 (a negative one is a SUB).
    static let addRange: ClosedRange<Int64> = -4095 ... 4095
}
