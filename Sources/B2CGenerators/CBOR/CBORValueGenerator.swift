import B2CCBOR

/// Random CBOR values, and random encodings of them that are valid but not preferred.
///
/// Values avoid the tags whose content the decoder checks (0–5, 21–24, 32–36) unless the content is right, so
/// every generated value is valid; map keys are unique in the data model.
package struct CBORValueGenerator {
    package var maxDepth: Int
    package var maxCount: Int

    package init(maxDepth: Int = 4, maxCount: Int = 5) {
        self.maxDepth = maxDepth
        self.maxCount = maxCount
    }

    static let edgeIntegers: [UInt64] = [
        0, 1, 23, 24, 255, 256, 65535, 65536, 0xffff_ffff, 0x1_0000_0000, .max, .max - 1, 1 << 63,
    ]
    static let edgeFloats: [Double] = [
        0.0, -0.0, 1.0, -1.5, 65504.0, 100000.0, 1.1, .infinity, -.infinity, .nan, 5.960464477539063e-8,
        0.00006103515625, 3.4028234663852886e+38, 1.0e+300, .leastNonzeroMagnitude,
    ]
    /// Tag numbers with no registered meaning (6–15 are unassigned in the IANA registry; the large ones are in
    /// unregistered first-come ranges), so any content is valid and a decoder must keep the tag.
    static let safeTags: [UInt64] = [6, 7, 9, 12, 15, 4_710_000, 9_876_543_210]

    package func value(using rng: inout some RandomNumberGenerator, depth: Int = 0) -> CBOR {
        let leafOnly = depth >= maxDepth
        switch Int.random(in: 0..<(leafOnly ? 9 : 12), using: &rng) {
        case 0: return .unsigned(integer(using: &rng))
        case 1: return .negative(integer(using: &rng))
        case 2:
            return .bytes((0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        case 3: return .text(text(using: &rng))
        case 4: return .float(float(using: &rng))
        case 5:
            let v = UInt8.random(in: 0...235, using: &rng)
            return .simple(v < 20 ? v : v + 20)  // 0–19 and 40–255; 32–39 come from the other branch
        case 6: return .bool(Bool.random(using: &rng))
        case 7: return [CBOR.null, .undefined, .simple(32)][Int.random(in: 0..<3, using: &rng)]
        case 8: return .bytes([])
        case 9:
            let n = Int.random(in: 0...maxCount, using: &rng)
            return .array((0..<n).map { _ in value(using: &rng, depth: depth + 1) })
        case 10:
            var keys = Set<CBOR>()
            var pairs: [CBOR.Pair] = []
            for _ in 0..<Int.random(in: 0...maxCount, using: &rng) {
                let k = value(using: &rng, depth: depth + 1)
                if keys.insert(k).inserted { pairs.append(CBOR.Pair(k, value(using: &rng, depth: depth + 1))) }
            }
            return .map(pairs)
        default:
            let tag = Self.safeTags[Int.random(in: 0..<Self.safeTags.count, using: &rng)]
            return .tagged(tag, value(using: &rng, depth: depth + 1))
        }
    }

    func integer(using rng: inout some RandomNumberGenerator) -> UInt64 {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return Self.edgeIntegers[Int.random(in: 0..<Self.edgeIntegers.count, using: &rng)]
        case 1: return UInt64.random(in: 0...30, using: &rng)
        case 2: return UInt64.random(in: 0...0xffff, using: &rng)
        default: return UInt64.random(in: 0 ... .max, using: &rng) >> UInt64.random(in: 0...63, using: &rng)
        }
    }

    func float(using rng: inout some RandomNumberGenerator) -> Double {
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: return Self.edgeFloats[Int.random(in: 0..<Self.edgeFloats.count, using: &rng)]
        case 1: return Double(Float(bitPattern: UInt32.random(in: 0 ... .max, using: &rng)))
        default: return Double(bitPattern: UInt64.random(in: 0 ... .max, using: &rng))
        }
    }

    func text(using rng: inout some RandomNumberGenerator) -> String {
        let alphabet: [Unicode.Scalar] = [
            "a", "z", "0", " ", "\"", "\\", "\n", "\u{7f}", "\u{00fc}", "\u{6c34}", "\u{10151}",
        ]
        var s = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            s.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)])
        }
        return String(s)
    }
}

/// Writes a value with random, valid, non-preferred choices: wider arguments, floats widened, indefinite lengths with
/// random chunking, map pairs in random order. Decoding the output gives back the same data-model value.
package struct CBORNonPreferredEncoder {
    /// Probability (0–100) of each non-preferred choice.
    package var percent: Int

    package init(percent: Int = 30) { self.percent = percent }

    package func encode(_ item: CBOR, using rng: inout some RandomNumberGenerator) -> [UInt8] {
        var out: [UInt8] = []
        write(item, into: &out, using: &rng)
        return out
    }

    func chance(_ rng: inout some RandomNumberGenerator) -> Bool { Int.random(in: 0..<100, using: &rng) < percent }

    func head(_ mt: UInt8, _ argument: UInt64, into out: inout [UInt8], using rng: inout some RandomNumberGenerator) {
        let minimal: Int =
            argument < 24 ? -1 : argument <= 0xff ? 0 : argument <= 0xffff ? 1 : argument <= 0xffff_ffff ? 2 : 3
        var width = minimal
        if chance(&rng) { width = Int.random(in: max(minimal, 0)...3, using: &rng) }
        if width < 0 {
            out.append(mt << 5 | UInt8(argument))
            return
        }
        out.append(mt << 5 | UInt8(24 + width))
        let n = 1 << width
        for i in stride(from: n - 1, through: 0, by: -1) {
            out.append(UInt8(truncatingIfNeeded: argument >> (UInt64(i) * 8)))
        }
    }

    func write(_ item: CBOR, into out: inout [UInt8], using rng: inout some RandomNumberGenerator) {
        switch item {
        case .unsigned(let n): head(0, n, into: &out, using: &rng)
        case .negative(let n): head(1, n, into: &out, using: &rng)
        case .bytes(let b): string(2, b.map { [$0] }, into: &out, using: &rng)
        case .text(let s): string(3, s.unicodeScalars.map { Array(String($0).utf8) }, into: &out, using: &rng)
        case .array(let items):
            let indefinite = chance(&rng)
            if indefinite { out.append(0x9f) } else { head(4, UInt64(items.count), into: &out, using: &rng) }
            for i in items { write(i, into: &out, using: &rng) }
            if indefinite { out.append(0xff) }
        case .map(let pairs):
            let indefinite = chance(&rng)
            if indefinite { out.append(0xbf) } else { head(5, UInt64(pairs.count), into: &out, using: &rng) }
            for p in pairs.shuffled(using: &rng) {
                write(p.key, into: &out, using: &rng)
                write(p.value, into: &out, using: &rng)
            }
            if indefinite { out.append(0xff) }
        case .tagged(let t, let c):
            head(6, t, into: &out, using: &rng)
            write(c, into: &out, using: &rng)
        case .float(let d):
            let preferred = CBOREncoder.encode(.float(d))
            if chance(&rng) && preferred.count < 9 {
                out.append(0xfb)
                for i in stride(from: 7, through: 0, by: -1) {
                    out.append(UInt8(truncatingIfNeeded: d.bitPattern >> (UInt64(i) * 8)))
                }
            } else {
                out.append(contentsOf: preferred)
            }
        case .simple(let v) where v >= 24:
            out.append(contentsOf: [0xf8, v])
        default:
            out.append(contentsOf: CBOREncoder.encode(item))
        }
    }

    /// Writes a string made of `units` (bytes, or one character's UTF-8 each): definite, or indefinite with chunks
    /// cut at unit boundaries (a chunk may be empty).
    func string(_ mt: UInt8, _ units: [[UInt8]], into out: inout [UInt8], using rng: inout some RandomNumberGenerator) {
        guard chance(&rng) else {
            let all = units.flatMap { $0 }
            head(mt, UInt64(all.count), into: &out, using: &rng)
            out.append(contentsOf: all)
            return
        }
        out.append(mt << 5 | 31)
        for p in chunks(of: units, using: &rng) {
            head(mt, UInt64(p.count), into: &out, using: &rng)
            out.append(contentsOf: p)
        }
        out.append(0xff)
    }

    func chunks(of units: [[UInt8]], using rng: inout some RandomNumberGenerator) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var current: [UInt8] = []
        for u in units {
            current.append(contentsOf: u)
            if Int.random(in: 0..<3, using: &rng) == 0 {
                result.append(current)
                current = []
            }
        }
        if !current.isEmpty || Bool.random(using: &rng) { result.append(current) }
        return result
    }
}
