/// Conversions between CBOR's three float widths (RFC 8949 §3.3) that keep every bit, NaN payloads included.
///
/// Widening goes through bit patterns rather than `Float`→`Double` conversion, which would quiet a signalling NaN.
enum CBORFloat {
    /// The exact `Double` for a half (25), single (26) or double (27) argument.
    static func widen(_ argument: UInt64, width additionalInfo: UInt8) -> Double {
        switch additionalInfo {
        case 25: return fromHalf(UInt16(truncatingIfNeeded: argument))
        case 26: return fromSingle(UInt32(truncatingIfNeeded: argument))
        default: return Double(bitPattern: argument)
        }
    }

    static func fromHalf(_ h: UInt16) -> Double {
        let negative = h & 0x8000 != 0
        let exponent = Int((h >> 10) & 0x1f)
        let mantissa = UInt64(h & 0x3ff)
        let magnitude: Double
        switch exponent {
        case 0:
            magnitude = Double(mantissa) * 0x1p-24
        case 31:
            if mantissa == 0 {
                magnitude = .infinity
            } else {
                return Double(bitPattern: (negative ? 1 << 63 : 0) | 0x7ff << 52 | mantissa << 42)
            }
        default:
            magnitude = Double(1024 + mantissa) * Double(sign: .plus, exponent: exponent - 25, significand: 1)
        }
        return negative ? -magnitude : magnitude
    }

    static func fromSingle(_ s: UInt32) -> Double {
        let f = Float(bitPattern: s)
        if f.isNaN {
            let sign = UInt64(s >> 31) << 63
            return Double(bitPattern: sign | 0x7ff << 52 | UInt64(s & 0x7f_ffff) << 29)
        }
        return Double(f)
    }

    /// The half-precision bits that represent `d` exactly, if any.
    static func exactHalf(_ d: Double) -> UInt16? {
        let bits = d.bitPattern
        let sign = UInt16(bits >> 63) << 15
        let exponent = Int((bits >> 52) & 0x7ff)
        let mantissa = bits & ((1 << 52) - 1)
        if exponent == 0x7ff {
            // Infinity, or a NaN whose payload survives dropping the low 42 bits (§4.1).
            guard mantissa & ((1 << 42) - 1) == 0 else { return nil }
            return sign | 0x7c00 | UInt16(mantissa >> 42)
        }
        if exponent == 0 && mantissa == 0 { return sign }
        if exponent == 0 { return nil }  // double subnormals are far below half's range
        let e = exponent - 1023
        if (-14...15).contains(e) {
            guard mantissa & ((1 << 42) - 1) == 0 else { return nil }
            return sign | UInt16(e + 15) << 10 | UInt16(mantissa >> 42)
        }
        if (-24 ... -15).contains(e) {
            let full = (1 << 52) | mantissa
            let shift = UInt64(28 - e)  // 43…52
            guard full & ((1 << shift) - 1) == 0 else { return nil }
            return sign | UInt16(full >> shift)
        }
        return nil
    }

    /// The single-precision bits that represent `d` exactly, if any.
    static func exactSingle(_ d: Double) -> UInt32? {
        let bits = d.bitPattern
        if d.isNaN {
            let mantissa = bits & ((1 << 52) - 1)
            guard mantissa & ((1 << 29) - 1) == 0 else { return nil }
            return UInt32(bits >> 63) << 31 | 0x7f80_0000 | UInt32(mantissa >> 29)
        }
        let f = Float(d)
        return Double(f).bitPattern == bits ? f.bitPattern : nil
    }

    /// The additional information (25, 26 or 27) of the preferred serialization of `d` (§4.1).
    static func preferredAdditionalInfo(_ d: Double) -> UInt8 {
        if exactHalf(d) != nil { return 25 }
        if exactSingle(d) != nil { return 26 }
        return 27
    }
}
