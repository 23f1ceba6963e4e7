/// A CBOR data item in the generic data model of RFC 8949 §2.
///
/// Equality is data-model equality: the encoding (argument width, float width, definite or indefinite length) is not
/// part of the value, so `0x01` and `0x18 0x01` decode to equal values, and so do `0xf9 0x3c 0x00` and
/// `0xfb 0x3f 0xf0 0 0 0 0 0 0`. Floats compare by bit pattern, so `0.0 != -0.0` and a NaN equals a NaN with the same
/// payload. Maps compare as unordered multisets of pairs.
public enum CBOR: Sendable {
    /// Major type 0.
    case unsigned(UInt64)
    /// Major type 1: the value is `-1 - n`.
    case negative(UInt64)
    /// Major type 2 (an indefinite-length string is the concatenation of its chunks).
    case bytes([UInt8])
    /// Major type 3.
    case text(String)
    /// Major type 4.
    case array([CBOR])
    /// Major type 5, pairs in the order they were read or will be written.
    case map([Pair])
    /// Major type 6. (Only this case is indirect: boxing every scalar would cost an allocation per item.)
    indirect case tagged(UInt64, CBOR)
    /// Major type 7 simple values other than false, true, null and undefined (0–19 and 32–255).
    /// (`.simple(20…23)` built in code is written as false, true, null or undefined, and only the named cases are
    /// promised to stay apart from those values when maps are compared out of order.)
    case simple(UInt8)
    case bool(Bool)
    case null
    case undefined
    /// Major type 7 floats of any width; half and single precision values are widened exactly.
    case float(Double)

    /// One key/value pair of a map.
    public struct Pair: Sendable, Hashable {
        public var key: CBOR
        public var value: CBOR
        public init(_ key: CBOR, _ value: CBOR) {
            self.key = key
            self.value = value
        }
    }

    /// An integer in the range CBOR can carry (−2^64 … 2^64−1), or nil for other items.
    public var integerDescription: String? {
        switch self {
        case .unsigned(let n): return String(n)
        case .negative(let n): return n == .max ? "-18446744073709551616" : "-" + String(n + 1)
        default: return nil
        }
    }

    /// Convenience for a signed integer.
    public static func int(_ v: Int64) -> CBOR {
        v >= 0 ? .unsigned(UInt64(v)) : .negative(UInt64(-(v + 1)))
    }
}

extension CBOR: Hashable {
    public static func == (lhs: CBOR, rhs: CBOR) -> Bool {
        switch (lhs, rhs) {
        case (.unsigned(let a), .unsigned(let b)): return a == b
        case (.negative(let a), .negative(let b)): return a == b
        case (.bytes(let a), .bytes(let b)): return a == b
        case (.text(let a), .text(let b)): return a.utf8.elementsEqual(b.utf8)
        case (.array(let a), .array(let b)): return a == b
        case (.map(let a), .map(let b)): return a.count == b.count && sameMultiset(a, b)
        case (.tagged(let t, let a), .tagged(let u, let b)): return t == u && a == b
        case (.simple(let a), .simple(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.null, .null), (.undefined, .undefined): return true
        case (.float(let a), .float(let b)): return a.bitPattern == b.bitPattern
        default: return false
        }
    }

    /// Maps compare as multisets of pairs: a map read without validity checks may repeat a pair, and the hash (a sum
    /// over the pairs) must agree with equality, or sets of such values behave differently from run to run.
    ///
    /// Pairs in the same order (a value against its own re-reading) compare in one linear pass. From the first
    /// difference on, the rest of each map is compared by its core deterministic encoding, which orders the pairs
    /// and keeps every distinction `==` makes (floats by bits, text by UTF-8). Comparing the pairs with `==` there
    /// compared nested maps again at every level, exponential in the depth (FuzzCBORDecode hung on maps keyed by maps).
    private static func sameMultiset(_ a: [Pair], _ b: [Pair]) -> Bool {
        guard let first = a.indices.first(where: { a[$0] != b[$0] }) else { return true }
        return CBOREncoder.encodeDeterministic(.map(Array(a[first...])))
            == CBOREncoder.encodeDeterministic(.map(Array(b[first...])))
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .unsigned(let n): hasher.combine(0 as UInt8); hasher.combine(n)
        case .negative(let n): hasher.combine(1 as UInt8); hasher.combine(n)
        case .bytes(let b): hasher.combine(2 as UInt8); hasher.combine(b)
        case .text(let s):
            hasher.combine(3 as UInt8)
            // Hash the UTF-8 bytes, as equality compares them (String's own hash is over canonical equivalence).
            var copy = s
            copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        case .array(let a): hasher.combine(4 as UInt8); hasher.combine(a)
        case .map(let pairs):
            hasher.combine(5 as UInt8)
            // Order-independent: a map is a set of pairs.
            var sum = 0
            for p in pairs { sum = sum &+ p.hashValue }
            hasher.combine(sum)
        case .tagged(let t, let v): hasher.combine(6 as UInt8); hasher.combine(t); hasher.combine(v)
        case .simple(let v): hasher.combine(7 as UInt8); hasher.combine(v)
        case .bool(let v): hasher.combine(8 as UInt8); hasher.combine(v)
        case .null: hasher.combine(9 as UInt8)
        case .undefined: hasher.combine(10 as UInt8)
        case .float(let d): hasher.combine(11 as UInt8); hasher.combine(d.bitPattern)
        }
    }
}
