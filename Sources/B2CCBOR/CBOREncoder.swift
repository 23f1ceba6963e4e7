/// Writes CBOR with preferred serialization (RFC 8949 §4.1): shortest arguments, definite lengths, and floats in
/// the shortest width that holds the value exactly (NaN payloads included).
///
/// With `deterministic`, map keys are also sorted by the bytewise lexicographic order of their encodings, which makes
/// the output core deterministic encoding (§4.2.1). The encoder writes what the value holds: a map with duplicate
/// keys is written as it is, since a value built in code has not been validated.
public enum CBOREncoder {
    /// The preferred serialization of `item`, with keys in the map's own order.
    public static func encode(_ item: CBOR) -> [UInt8] {
        var out: [UInt8] = []
        write(item, into: &out, deterministic: false)
        return out
    }

    /// The core deterministic encoding of `item` (§4.2.1).
    public static func encodeDeterministic(_ item: CBOR) -> [UInt8] {
        var out: [UInt8] = []
        write(item, into: &out, deterministic: true)
        return out
    }

    static func write(_ item: CBOR, into out: inout [UInt8], deterministic: Bool) {
        switch item {
        case .unsigned(let n): writeHead(0, n, into: &out)
        case .negative(let n): writeHead(1, n, into: &out)
        case .bytes(let b):
            writeHead(2, UInt64(b.count), into: &out)
            out.append(contentsOf: b)
        case .text(let s):
            writeHead(3, UInt64(s.utf8.count), into: &out)
            out.append(contentsOf: s.utf8)
        case .array(let items):
            writeHead(4, UInt64(items.count), into: &out)
            for i in items { write(i, into: &out, deterministic: deterministic) }
        case .map(let pairs):
            writeHead(5, UInt64(pairs.count), into: &out)
            if deterministic {
                writeSortedPairs(pairs, into: &out)
            } else {
                for p in pairs {
                    write(p.key, into: &out, deterministic: false)
                    write(p.value, into: &out, deterministic: false)
                }
            }
        case .tagged(let tag, let content):
            writeHead(6, tag, into: &out)
            write(content, into: &out, deterministic: deterministic)
        case .simple(let v):
            if v < 24 {
                out.append(0xe0 | v)
            } else {
                out.append(0xf8)
                out.append(v)
            }
        case .bool(let b): out.append(b ? 0xf5 : 0xf4)
        case .null: out.append(0xf6)
        case .undefined: out.append(0xf7)
        case .float(let d): writeFloat(d, into: &out)
        }
    }

    /// The pairs of a map in core deterministic order: keys bytewise by their encodings (§4.2.1). Pairs with equal
    /// keys (a map nobody validated) follow each other ordered by their values' encodings, so the bytes depend only
    /// on the map as a multiset of pairs, as `==` sees it; valid maps pay nothing for that.
    private static func writeSortedPairs(_ pairs: [CBOR.Pair], into out: inout [UInt8]) {
        let encoded = pairs.map { p -> (key: [UInt8], value: CBOR) in
            var k: [UInt8] = []
            write(p.key, into: &k, deterministic: true)
            return (k, p.value)
        }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        var i = 0
        while i < encoded.count {
            let key = encoded[i].key
            var end = i + 1
            while end < encoded.count && encoded[end].key == key { end += 1 }
            if end - i == 1 {
                out.append(contentsOf: key)
                write(encoded[i].value, into: &out, deterministic: true)
            } else {
                let values = encoded[i..<end].map { e -> [UInt8] in
                    var v: [UInt8] = []
                    write(e.value, into: &v, deterministic: true)
                    return v
                }
                for v in values.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                    out.append(contentsOf: key)
                    out.append(contentsOf: v)
                }
            }
            i = end
        }
    }

    /// A head with the shortest argument (§4.1).
    static func writeHead(_ majorType: UInt8, _ argument: UInt64, into out: inout [UInt8]) {
        let mt = majorType << 5
        switch argument {
        case 0..<24:
            out.append(mt | UInt8(argument))
        case 24...0xff:
            out.append(mt | 24)
            out.append(UInt8(argument))
        case 0x100...0xffff:
            out.append(mt | 25)
            appendBigEndian(argument, bytes: 2, into: &out)
        case 0x1_0000...0xffff_ffff:
            out.append(mt | 26)
            appendBigEndian(argument, bytes: 4, into: &out)
        default:
            out.append(mt | 27)
            appendBigEndian(argument, bytes: 8, into: &out)
        }
    }

    static func writeFloat(_ d: Double, into out: inout [UInt8]) {
        if let h = CBORFloat.exactHalf(d) {
            out.append(0xf9)
            appendBigEndian(UInt64(h), bytes: 2, into: &out)
        } else if let s = CBORFloat.exactSingle(d) {
            out.append(0xfa)
            appendBigEndian(UInt64(s), bytes: 4, into: &out)
        } else {
            out.append(0xfb)
            appendBigEndian(d.bitPattern, bytes: 8, into: &out)
        }
    }

    private static func appendBigEndian(_ v: UInt64, bytes: Int, into out: inout [UInt8]) {
        for i in stride(from: bytes - 1, through: 0, by: -1) {
            out.append(UInt8(truncatingIfNeeded: v >> (UInt64(i) * 8)))
        }
    }
}
