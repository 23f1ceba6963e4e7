import Testing

@testable import B2CCBOR

@Suite("Decoder limits, errors and floats")
struct DecoderTests {
    func code(_ hex: String, _ options: CBORDecoder.Options = .valid) -> String? {
        do {
            _ = try CBORDecoder.decode(hexBytes(hex) ?? [], options: options)
            return nil
        } catch {
            return error.code.rawValue
        }
    }

    @Test("A 9-byte item declaring 2^64-1 elements or bytes is truncated, and allocates nothing")
    func hugeDeclarations() {
        for h in ["9bffffffffffffffff", "bbffffffffffffffff", "5bffffffffffffffff", "7bffffffffffffffff"] {
            #expect(code(h) == "cbor.truncated", "\(h)")
        }
    }

    @Test("Trailing bytes are reported at the offset where they start")
    func trailing() throws {
        #expect(throws: CBORError(.trailingBytes, at: 1, "1 bytes follow the top-level item")) {
            _ = try CBORDecoder.decode([0x00, 0x00])
        }
        #expect(
            try CBORDecoder.decodePrefix([0x01, 0x02], options: .init(allowTrailingBytes: true)) == (.unsigned(1), 1)
        )
    }

    @Test("Nesting beyond the limit is depth_exceeded; at the limit it decodes")
    func depth() {
        let limit = CBORDecoder.Options().maxDepth
        // The limit counts arrays, maps and tags; the top-level container is at depth 1.
        #expect(code(String(repeating: "81", count: limit) + "00") == nil)
        #expect(code(String(repeating: "81", count: limit + 1) + "00") == "cbor.depth_exceeded")
        #expect(code(String(repeating: "81", count: 100_000) + "00") == "cbor.depth_exceeded")
        #expect(code("8100", .init(maxDepth: 1)) == nil)
        #expect(code("818100", .init(maxDepth: 1)) == "cbor.depth_exceeded")
        #expect(code("c1c100", .init(maxDepth: 1)) == "cbor.depth_exceeded")
    }

    @Test("A declared length the input can hold but over maxLength is limit_exceeded")
    func maxLength() {
        let options = CBORDecoder.Options(maxLength: 2)
        #expect(code("43010203", options) == "cbor.limit_exceeded")
        #expect(code("83010203", options) == "cbor.limit_exceeded")
        #expect(code("420102", options) == nil)
    }

    @Test("An element count over maxLength is decided at the head, so a prefix never gets another error")
    func countOverLimitAtHead() throws {
        let options = CBORDecoder.Options(maxDepth: 4, maxLength: 8)
        // 10 elements declared: the limit when the input could hold them, truncated when it could not, whatever
        // the elements that are there hold (here a break, which used to win while the input was short).
        #expect(code("8a0102ff", options) == "cbor.truncated")
        #expect(code("8a0102ff" + String(repeating: "00", count: 7), options) == "cbor.limit_exceeded")
        #expect(code("aa0102ff", options) == "cbor.truncated")  // 10 pairs need 20 bytes
        // FuzzCBORStream found this: nesting too deep inside an array over the limit. The first 8 bytes used to give
        // depth_exceeded at 4, the whole item limit_exceeded at 1.
        let item = try #require(hexBytes("9f899f819f9ffffffffff7"))
        for n in [8, item.count] {
            do {
                _ = try CBORDecoder.decodePrefix(Array(item.prefix(n)), options: options)
                Issue.record("the first \(n) bytes decoded")
            } catch {
                #expect(error.code == (n == item.count ? .limitExceeded : .truncated), "first \(n) bytes: \(error)")
                if n == item.count { #expect(error.offset == 1) }
            }
        }
        // Within the limit, elements are still read left to right into the end of the input or a break.
        #expect(code("880102ff", options) == "cbor.break_outside_indefinite")
    }

    @Test("Well-formedness wins over an earlier validity finding (duplicate key, then truncation)")
    func precedence() {
        #expect(code("a2000000") == "cbor.truncated")
        #expect(code("bf000000ff") == "cbor.break_in_map_value")
        #expect(code("a20000001801", .deterministic) == "cbor.duplicate_key")
        #expect(code("a2000018000000") == "cbor.trailing_bytes")
    }

    @Test("Duplicate keys are equal in the data model, not in bytes")
    func duplicateKeys() {
        #expect(code("a2010118010102") == "cbor.trailing_bytes")
        #expect(code("a20101180102") == "cbor.duplicate_key")
        #expect(code("a2f93c0001fb3ff000000000000002") == "cbor.duplicate_key")  // 1.0 in half and double
        #expect(code("a2f93c00010102") == nil)  // 1.0 and 1 are different keys
        #expect(code("a2f9000001f9800002") == nil)  // 0.0 and -0.0 are different keys
        #expect(code("a2a1010201a1010202") == "cbor.duplicate_key")  // equal maps as keys
        #expect(code("a2a20102030401a20304010202") == "cbor.duplicate_key")  // same map, other order
    }

    @Test("Half-precision conversion agrees with the standard library's Float16 for all 65536 patterns")
    func halfAgainstFloat16() {
        #if arch(x86_64) || arch(arm64)
            for bits in 0...UInt16.max {
                let ours = CBORFloat.fromHalf(bits)
                let reference = Double(Float16(bitPattern: bits))
                if reference.isNaN {
                    #expect(ours.isNaN)
                    // The payload survives: narrowing back gives the same half.
                    #expect(CBORFloat.exactHalf(ours) == bits)
                } else {
                    #expect(ours.bitPattern == reference.bitPattern, "half \(bits)")
                    #expect(CBORFloat.exactHalf(ours) == bits, "half \(bits)")
                }
            }
        #endif
    }

    @Test("Preferred float width: the shortest that holds the value exactly (RFC 8949 §4.1)")
    func preferredFloats() {
        let cases: [(Double, String)] = [
            (0.0, "f90000"), (-0.0, "f98000"), (1.5, "f93e00"), (65504.0, "f97bff"), (100000.0, "fa47c35000"),
            (1.1, "fb3ff199999999999a"), (.infinity, "f97c00"), (-.infinity, "f9fc00"), (.nan, "f97e00"),
            (5.960464477539063e-8, "f90001"), (0.00006103515625, "f90400"), (3.4028234663852886e+38, "fa7f7fffff"),
            (Double(Float.leastNonzeroMagnitude), "fa00000001"), (.leastNonzeroMagnitude, "fb0000000000000001"),
        ]
        for (value, expected) in cases {
            #expect(hex(CBOREncoder.encode(.float(value))) == expected, "\(value)")
        }
        // A single-precision NaN whose payload has low bits set stays single; one that shortens becomes half.
        #expect(hex(CBOREncoder.encode(try! CBORDecoder.decode(hexBytes("fa7fc00001")!))) == "fa7fc00001")
        #expect(hex(CBOREncoder.encode(try! CBORDecoder.decode(hexBytes("fa7fc02000")!))) == "f97e01")
    }

    @Test("Error descriptions name the code and offset")
    func errorDescription() {
        let e = CBORError(.truncated, at: 3, "input ends")
        #expect(e.description == "cbor.truncated at offset 3: input ends")
        #expect(CBORError.Code.truncated.isWellFormednessError)
        #expect(!CBORError.Code.duplicateKey.isWellFormednessError)
    }

    @Test("Diagnostic notation shows encoding indicators for non-preferred encodings (RFC 8949 §8.1)")
    func indicators() throws {
        #expect(try CBORDiagnostic.render(hexBytes("1801")!) == "1_0")
        #expect(try CBORDiagnostic.render(hexBytes("fb3ff0000000000000")!) == "1.0_3")
        #expect(try CBORDiagnostic.render(hexBytes("9a0000000100")!) == "[_2 0]")
        #expect(try CBORDiagnostic.render(hexBytes("b8020102f93c00f4")!) == "{_0 1: 2, 1.0: false}")
        #expect(try CBORDiagnostic.render(hexBytes("5fff")!) == "''_")
        #expect(try CBORDiagnostic.render(hexBytes("7f6161ff")!) == "(_ \"a\")")
        #expect(try CBORDiagnostic.render(hexBytes("d9d9f700")!) == "55799(0)")
        #expect(try CBORDiagnostic.render(hexBytes("3bffffffffffffffff")!) == "-18446744073709551616")
        #expect(try CBORDiagnostic.render(hexBytes("62c3bc")!) == "\"\\u00fc\"")
    }
}

@Suite("CBOR value equality")
struct CBOREqualityTests {
    /// Found by FuzzCBORRoundTrip (corpus/regressions/FuzzCBORRoundTrip-crash-7c31…): maps compared as sets but
    /// hashed as multisets, so equal values could hash differently and sets of them changed from run to run.
    @Test("Maps are multisets of pairs: multiplicity counts, order does not, and equal maps hash equally")
    func mapMultisets() {
        let n = CBOR.null, z = CBOR.unsigned(0)
        let a: CBOR = .map([.init(n, n), .init(n, n), .init(z, z)])
        let b: CBOR = .map([.init(n, n), .init(z, z), .init(z, z)])
        let c: CBOR = .map([.init(z, z), .init(n, n), .init(n, n)])
        #expect(a != b)
        #expect(a == c)
        #expect(a.hashValue == c.hashValue)
        let big = (0..<20).map { CBOR.Pair(.unsigned(UInt64($0 % 3)), n) }
        #expect(CBOR.map(big) == CBOR.map(big.reversed()))
        #expect(CBOR.map(big) != CBOR.map(Array(big.dropLast()) + [.init(.unsigned(7), n)]))
        #expect(Set([a, b, c]).count == 2)
    }

    /// FuzzCBORDecode hung on a map against a near copy: when the first pairs differ, the pairs from there on were
    /// compared again with `==`, so a nested map that differs at its bottom was compared twice per level, 2^depth
    /// times in all. At depth 40 that never finished; the values here hold each child once, so they are small.
    @Test("Nested maps that differ only at the bottom, or are reordered at every level, compare right (depth 40)")
    func nestedMaps() {
        func nest(_ depth: Int, leaf: CBOR, reordered: Bool) -> CBOR {
            var v = leaf
            for level in 0..<depth {
                let pairs: [CBOR.Pair] = [.init(.unsigned(0), v), .init(.text("l\(level)"), .array([.null]))]
                v = .map(reordered && level % 2 == 0 ? pairs.reversed() : pairs)
            }
            return v
        }
        let a = nest(40, leaf: .float(0.0), reordered: false)
        #expect(a != nest(40, leaf: .float(-0.0), reordered: false))
        #expect(a != nest(40, leaf: .float(-0.0), reordered: true))
        #expect(a == nest(40, leaf: .float(0.0), reordered: true))
        #expect(a.hashValue == nest(40, leaf: .float(0.0), reordered: true).hashValue)
        #expect(a != nest(39, leaf: .float(0.0), reordered: true))
        // The same shape as keys: a map whose keys are the nested maps.
        let keyed = CBOR.map([.init(a, .null), .init(.null, a)])
        #expect(keyed == .map([.init(.null, a), .init(nest(40, leaf: .float(0.0), reordered: true), .null)]))
        #expect(keyed != .map([.init(.null, a), .init(nest(40, leaf: .float(-0.0), reordered: true), .null)]))
    }

    /// Equality falls back on the deterministic encoding, so that encoding must not depend on the order of pairs
    /// with equal keys. Bytes by hand from §4.2.1: key 01 first, then the pairs sharing it by their values' bytes.
    @Test("The deterministic encoding of a map with repeated keys does not depend on their order")
    func deterministicDuplicateKeys() {
        let one = CBOR.unsigned(1)
        let x: CBOR = .map([
            .init(one, .text("b")), .init(.unsigned(0), .null), .init(one, .unsigned(2)), .init(one, .text("a")),
        ])
        let y: CBOR = .map([
            .init(one, .text("a")), .init(one, .unsigned(2)), .init(.unsigned(0), .null), .init(one, .text("b")),
        ])
        #expect(CBOREncoder.encodeDeterministic(x) == hexBytes("a400f60102016161016162"))
        #expect(CBOREncoder.encodeDeterministic(x) == CBOREncoder.encodeDeterministic(y))
        #expect(x == y && x.hashValue == y.hashValue)
    }

    @Test("Maps out of order still tell apart what == tells apart: kinds, widths of meaning, UTF-8 forms, tags")
    func reorderedMapsKeepDistinctions() {
        func pairFirst(_ x: CBOR) -> CBOR { .map([.init(.unsigned(9), .null), .init(.unsigned(1), x)]) }
        func pairLast(_ x: CBOR) -> CBOR { .map([.init(.unsigned(1), x), .init(.unsigned(9), .null)]) }
        let distinct: [CBOR] = [
            .bytes([0x61]), .text("a"), .text("\u{e9}"), .text("e\u{301}"), .unsigned(0), .negative(0), .simple(0),
            .bool(false), .null, .undefined, .float(0.0), .float(-0.0), .float(.nan), .tagged(0, .text("a")),
            .tagged(1, .text("a")), .array([]), .map([]), .array([.null]), .map([.init(.null, .null)]),
        ]
        for (i, x) in distinct.enumerated() {
            for (j, y) in distinct.enumerated() {
                #expect((pairFirst(x) == pairLast(y)) == (i == j), "\(x) against \(y)")
            }
        }
    }
}
