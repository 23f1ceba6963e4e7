/// The head of a data item (RFC 8949 §3): major type, additional information and argument.
struct CBORHead {
    var majorType: UInt8
    var additionalInfo: UInt8
    /// The argument; for additional information 31 it is 0 and `isIndefinite` is true.
    var argument: UInt64
    /// Where the head starts.
    var offset: Int

    var isIndefinite: Bool { additionalInfo == 31 }

    /// True when the argument is not in its shortest form (§4.1 preferred serialization).
    var isNonShortest: Bool {
        switch additionalInfo {
        case 24: return argument < 24
        case 25: return argument <= 0xff
        case 26: return argument <= 0xffff
        case 27: return argument <= 0xffff_ffff
        default: return false
        }
    }
}

/// A bounds-checked cursor over the input. Every read either succeeds or throws `cbor.truncated`.
struct CBORCursor: ~Copyable {
    let base: UnsafeBufferPointer<UInt8>
    var position: Int

    init(_ base: UnsafeBufferPointer<UInt8>) {
        self.base = base
        self.position = 0
    }

    var remaining: Int { base.count - position }
    var isAtEnd: Bool { position >= base.count }

    func peek() -> UInt8? { position < base.count ? base[position] : nil }

    /// Reads one head. Rejects reserved additional information (28–30) and additional information 31 on the major
    /// types that have no indefinite form (0, 1, 6). Major type 7 heads are returned as read; the caller interprets
    /// simple values and floats.
    mutating func readHead() throws(CBORError) -> CBORHead {
        let start = position
        guard position < base.count else {
            throw CBORError(.truncated, at: start, "input ends where a data item should start")
        }
        let initial = base[position]
        position += 1
        let majorType = initial >> 5
        let ai = initial & 0x1f
        var argument: UInt64 = 0
        switch ai {
        case 0...23:
            argument = UInt64(ai)
        case 24...27:
            let width = 1 << Int(ai - 24)
            guard base.count - position >= width else {
                throw CBORError(
                    .truncated,
                    at: start,
                    "head 0x\(hexByte(initial)) needs \(width) argument bytes, \(base.count - position) left"
                )
            }
            for _ in 0..<width {
                argument = argument << 8 | UInt64(base[position])
                position += 1
            }
        case 28...30:
            throw CBORError(
                .reservedAdditionalInfo,
                at: start,
                "additional information \(ai) is reserved (initial byte 0x\(hexByte(initial)))"
            )
        default:  // 31
            if majorType == 0 || majorType == 1 || majorType == 6 {
                throw CBORError(
                    .indefiniteMajorType,
                    at: start,
                    "additional information 31 is not allowed with major type \(majorType)"
                )
            }
        }
        return CBORHead(majorType: majorType, additionalInfo: ai, argument: argument, offset: start)
    }

    /// Takes `count` bytes, which the caller has checked are there.
    mutating func take(_ count: Int) -> UnsafeBufferPointer<UInt8> {
        let slice = UnsafeBufferPointer(rebasing: base[position..<(position + count)])
        position += count
        return slice
    }
}

@inline(__always)
func hexByte(_ b: UInt8) -> String {
    let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
    return String([digits[Int(b >> 4)], digits[Int(b & 0xf)]])
}
