import B2CCBOR

/// Puts the difference between an expected and a received CBOR encoding in words (`same items, different map
/// order`), so a canonicalisation bug reads as one: both are decoded (well-formedness only) and compared as data
/// items, then as encodings.
enum CBORMismatch {
    static func explain(expected: [UInt8], got: [UInt8]) -> String? {
        guard let want = try? CBORDecoder.decode(expected, options: .wellFormed) else { return nil }
        let have: CBOR
        do {
            have = try CBORDecoder.decode(got, options: .wellFormed)
        } catch {
            return "not well-formed CBOR (\(error.code.rawValue))"
        }
        guard want == have else { return difference(want, have) ?? "different items" }
        // The same items: the encodings differ in order, in width, or both.
        let sameOrder = CBOREncoder.encode(have) == CBOREncoder.encode(want)
        let preferred = CBOREncoder.encode(have) == got
        switch (sameOrder, preferred) {
        case (false, true): return "same items, different map order"
        case (true, false): return "same items, not in preferred serialization (argument or float width, length)"
        case (false, false): return "same items, different map order and not in preferred serialization"
        case (true, true): return "same items, different encoding"
        }
    }

    /// The first place where two items differ, named by kind rather than by value, so cases group by it.
    static func difference(_ want: CBOR, _ have: CBOR) -> String? {
        switch (want, have) {
        case (.array(let a), .array(let b)):
            if a.count != b.count { return "array of a different length" }
            return zip(a, b).lazy.compactMap { $0 == $1 ? nil : difference($0, $1) }.first
        case (.map(let a), .map(let b)):
            if a.count != b.count { return "map of a different size" }
            let x = sorted(a)
            let y = sorted(b)
            for (p, q) in zip(x, y) where p != q {
                if p.key != q.key { return "different map keys" }
                return difference(p.value, q.value)
            }
            return nil
        case (.tagged(let t, let a), .tagged(let u, let b)):
            return t == u ? difference(a, b) : "tag \(u) where tag \(t) is expected"
        default:
            let (w, h) = (kind(want), kind(have))
            return w == h ? "different \(w) value" : "\(article(h)) where \(article(w)) is expected"
        }
    }

    static func sorted(_ pairs: [CBOR.Pair]) -> [CBOR.Pair] {
        pairs.map { (CBOREncoder.encodeDeterministic($0.key), $0) }
            .sorted { $0.0.lexicographicallyPrecedes($1.0) }
            .map(\.1)
    }

    static func kind(_ item: CBOR) -> String {
        switch item {
        case .unsigned, .negative: "integer"
        case .bytes: "byte string"
        case .text: "text string"
        case .array: "array"
        case .map: "map"
        case .tagged(let t, _): "tag \(t)"
        case .simple: "simple value"
        case .bool: "boolean"
        case .null: "null"
        case .undefined: "undefined"
        case .float: "float"
        }
    }

    static func article(_ kind: String) -> String {
        kind == "null" || kind == "undefined" ? kind : (["a", "i"].contains(kind.prefix(1)) ? "an " : "a ") + kind
    }
}
