/// Tag validity (RFC 8949 §3.4, §5.3.2): the content types of the tags a generic decoder knows.
///
/// Tags 0–5 and 24 are defined in RFC 8949 §3.4; 21–23 (expected conversion) accept any content; 32–36 carry text.
/// Unknown tags are valid with any content.
enum CBORTagRules {
    static func check(tag: UInt64, content: CBOR, at offset: Int) throws(CBORError) {
        switch tag {
        case 0:
            guard case .text(let s) = content else { throw bad(tag, "a text string", offset) }
            guard isRFC3339DateTime(s) else {
                throw CBORError(.invalidTagContent, at: offset, "tag 0 content is not an RFC 3339 date-time")
            }
        case 1:
            switch content {
            case .unsigned, .negative, .float: break
            default: throw bad(tag, "an integer or a float", offset)
            }
        case 2, 3:
            guard case .bytes = content else { throw bad(tag, "a byte string", offset) }
        case 24:
            // §3.4.5.1: the byte string holds one well-formed encoded item.
            guard case .bytes(let embedded) = content else { throw bad(tag, "a byte string", offset) }
            do {
                _ = try CBORDecoder.decode(embedded, options: .wellFormed)
            } catch {
                throw CBORError(
                    .invalidTagContent,
                    at: offset,
                    "tag 24 content is not one well-formed item (\(error.code))"
                )
            }
        case 4, 5:
            guard case .array(let parts) = content, parts.count == 2 else {
                throw bad(tag, "an array of two items", offset)
            }
            switch parts[0] {
            case .unsigned, .negative: break
            default: throw bad(tag, "an integer exponent", offset)
            }
            switch parts[1] {
            case .unsigned, .negative, .tagged(2, .bytes), .tagged(3, .bytes): break
            default: throw bad(tag, "an integer or bignum mantissa", offset)
            }
        case 32, 33, 34, 35, 36:
            guard case .text = content else { throw bad(tag, "a text string", offset) }
        default:
            break
        }
    }

    private static func bad(_ tag: UInt64, _ what: String, _ offset: Int) -> CBORError {
        CBORError(.invalidTagContent, at: offset, "tag \(tag) content must be \(what)")
    }

    /// RFC 3339 `date-time` as refined by RFC 4287 §3.3, which RFC 8949 §3.4.1 cites: the separator must be an
    /// upper-case T and a zero offset an upper-case Z.
    static func isRFC3339DateTime(_ s: String) -> Bool {
        let b = Array(s.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var v = 0
            for i in range {
                guard (0x30...0x39).contains(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard let _ = digits(0..<4), b.count > 19, b[4] == 0x2d, let month = digits(5..<7), b[7] == 0x2d,
            let day = digits(8..<10), b[10] == 0x54, let hour = digits(11..<13), b[13] == 0x3a,
            let minute = digits(14..<16), b[16] == 0x3a, let second = digits(17..<19)
        else { return false }
        guard (1...12).contains(month), (1...31).contains(day), hour <= 23, minute <= 59, second <= 60 else {
            return false
        }
        var i = 19
        if b[i] == 0x2e {
            i += 1
            let start = i
            while i < b.count, (0x30...0x39).contains(b[i]) { i += 1 }
            guard i > start, i < b.count else { return false }
        }
        if b[i] == 0x5a { return i + 1 == b.count }
        guard b[i] == 0x2b || b[i] == 0x2d, i + 6 == b.count, let oh = digits((i + 1)..<(i + 3)), b[i + 3] == 0x3a,
            let om = digits((i + 4)..<(i + 6))
        else { return false }
        return oh <= 23 && om <= 59
    }
}
