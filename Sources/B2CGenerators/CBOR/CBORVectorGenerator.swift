import B2CCBOR
import B2CHex
import B2CVectors
import B2CWire

/// Builds the `vectors/cbor/` files: the RFC 8949 facts typed in `RFC8949Tables`, plus generated cases.
///
/// Every case decodes `input` with the group's `profile`; a valid case expects `encoded`, the core deterministic
/// encoding (§4.2.1) of the decoded value; an invalid case expects `expectedError`.
package enum CBORVectorGenerator {
    package static let schema = "cbor_decode_test_schema_v1"
    static let version = "1"

    /// (path relative to `vectors/`, file), in a fixed order.
    package static func files() -> [(path: String, file: VectorFile)] {
        [
            ("cbor/cbor_appendix_a_test.json", appendixA()),
            ("cbor/cbor_appendix_f_test.json", appendixF()),
            ("cbor/cbor_validity_test.json", validity()),
            ("cbor/cbor_deterministic_test.json", deterministic()),
            ("cbor/cbor_wellformedness_test.json", wellFormedness()),
            ("cbor/cbor_generated_test.json", generated()),
        ]
    }

    static let notes: [String: VectorFile.Note] = [
        "AppendixA": .init(
            bugType: "FUNCTIONALITY",
            description: "An example of RFC 8949 Appendix A.",
            specRefs: ["RFC 8949 Appendix A"]
        ),
        "NotWellFormed": .init(
            bugType: "MALFORMED_INPUT",
            description: "Not well-formed: a decoder must reject it with the class of the failure.",
            specRefs: ["RFC 8949 §5.1", "RFC 8949 Appendix F"]
        ),
        "Truncated": .init(
            bugType: "MALFORMED_INPUT",
            description: "The input ends inside an item (too little data).",
            specRefs: ["RFC 8949 Appendix F.1"]
        ),
        "TrailingBytes": .init(
            bugType: "MALFORMED_INPUT",
            description: "Bytes follow the single top-level item (too much data).",
            specRefs: ["RFC 8949 §5.1"]
        ),
        "HugeLength": .init(
            bugType: "RESOURCE_EXHAUSTION",
            description: "A declared length far beyond the input; a decoder must not allocate for it.",
            specRefs: ["RFC 8949 §10"]
        ),
        "DuplicateKey": .init(
            bugType: "CAN_OF_WORMS",
            description: "Two map keys equal in the data model.",
            specRefs: ["RFC 8949 §5.6"]
        ),
        "InvalidUTF8": .init(
            bugType: "MALFORMED_INPUT",
            description: "A text string that is not valid UTF-8.",
            specRefs: ["RFC 8949 §3.1", "RFC 8949 §5.3.1"]
        ),
        "TagValidity": .init(
            bugType: "MALFORMED_INPUT",
            description:
                "Content of the wrong type for a tag RFC 8949 defines; a decoder that knows the tag rejects it.",
            specRefs: ["RFC 8949 §3.4", "RFC 8949 §5.3.2"]
        ),
        "NotDeterministic": .init(
            bugType: "CANONICALIZATION",
            description: "Valid, but forbidden by core deterministic encoding.",
            specRefs: ["RFC 8949 §4.2.1"]
        ),
        "Deterministic": .init(
            bugType: "FUNCTIONALITY",
            description: "Core deterministic encoding; must be accepted.",
            specRefs: ["RFC 8949 §4.2.1"]
        ),
        "NonPreferred": .init(
            bugType: "FUNCTIONALITY",
            description: "Valid but not preferred serialization (wide arguments, indefinite lengths, key order); "
                + "must be accepted and re-encode to the deterministic form.",
            specRefs: ["RFC 8949 §4.1", "RFC 8949 §4.2.1"]
        ),
        "ImmediateTag": .init(
            bugType: "FUNCTIONALITY",
            description: "A tag number below 24 written in the initial byte, as preferred serialization requires.",
            specRefs: ["RFC 8949 §3", "RFC 8949 §3.4"]
        ),
        "DeepNesting": .init(
            bugType: "RESOURCE_EXHAUSTION",
            description: "Nesting beyond what a decoder need support; rejecting it as a limit is acceptable.",
            specRefs: ["RFC 8949 §10"]
        ),
    ]

    static func file(_ algorithm: String, header: [String], groups: [VectorFile.TestGroup]) -> VectorFile {
        var used = Set<String>()
        for g in groups { for t in g.tests { used.formUnion(t.flags) } }
        return VectorFile(
            schema: schema,
            area: "cbor",
            algorithm: algorithm,
            header: header,
            notes: notes.filter { used.contains($0.key) },
            testGroups: groups
        )
    }

    static func group(
        _ source: String,
        profile: String,
        level: String = "required",
        extra: [String: JSONValue] = [:],
        _ tests: [VectorFile.TestCase]
    ) -> VectorFile.TestGroup {
        var parameters = extra
        parameters["profile"] = .string(profile)
        return VectorFile.TestGroup(
            type: "CborDecode",
            source: .init(name: source, version: version),
            level: level,
            parameters: parameters,
            tests: tests
        )
    }

    static func valid(
        _ id: Int,
        _ comment: String,
        _ flags: [String],
        input: String,
        encoded: String,
        diagnostic: String? = nil
    ) -> VectorFile.TestCase {
        var fields: [String: JSONValue] = ["input": .string(input), "encoded": .string(encoded)]
        if let diagnostic { fields["diagnostic"] = .string(diagnostic) }
        return VectorFile.TestCase(tcId: id, comment: comment, flags: flags, result: .valid, fields: fields)
    }

    static func invalid(
        _ id: Int,
        _ comment: String,
        _ flags: [String],
        input: String,
        error: String,
        result: VectorFile.Result = .invalid
    ) -> VectorFile.TestCase {
        VectorFile.TestCase(
            tcId: id,
            comment: comment,
            flags: flags,
            result: result,
            expectedError: error,
            fields: ["input": .string(input)]
        )
    }

    // MARK: Files

    static func appendixA() -> VectorFile {
        let tests = RFC8949Tables.appendixA.enumerated().map { i, e in
            valid(i + 1, e.comment, ["AppendixA"], input: e.hex, encoded: e.deterministicHex, diagnostic: e.diagnostic)
        }
        return file(
            "CBOR decoding: RFC 8949 Appendix A examples",
            header: ["Every example of RFC 8949 Appendix A; `encoded` is its core deterministic encoding (§4.2.1)."],
            groups: [group("rfc8949-appendix-a", profile: "valid", tests)]
        )
    }

    static func appendixF() -> VectorFile {
        let tests = RFC8949Tables.appendixF.enumerated().map { i, e in
            invalid(
                i + 1,
                e.comment,
                e.code == "cbor.truncated" ? ["NotWellFormed", "Truncated"] : ["NotWellFormed"],
                input: e.hex,
                error: e.code
            )
        }
        return file(
            "CBOR decoding: RFC 8949 Appendix F not-well-formed items",
            header: [
                "The 94 not-well-formed examples of RFC 8949 Appendix F.1, each with the class that must be reported."
            ],
            groups: [group("rfc8949-appendix-f", profile: "valid", tests)]
        )
    }

    static func validity() -> VectorFile {
        var id = 0
        func next() -> Int { id += 1; return id }
        var core: [VectorFile.TestCase] = []
        var tags: [VectorFile.TestCase] = []
        for e in RFC8949Tables.validity {
            switch e.code {
            case "cbor.invalid_tag_content":
                tags.append(invalid(next(), e.comment, ["TagValidity"], input: e.hex, error: e.code))
            case "cbor.duplicate_key":
                core.append(invalid(next(), e.comment, ["DuplicateKey"], input: e.hex, error: e.code))
            default:
                core.append(invalid(next(), e.comment, ["InvalidUTF8"], input: e.hex, error: e.code))
            }
        }
        return file(
            "CBOR decoding: validity (RFC 8949 §5.3)",
            header: [
                "Well-formed but invalid items. Duplicate keys and invalid UTF-8 are required checks of a",
                "validity-checking decoder; tag content checks are recommended (a generic decoder may not know the tag).",
            ],
            groups: [
                group("b2c-cbor-validity", profile: "valid", core),
                group("b2c-cbor-tag-validity", profile: "valid", level: "recommended", tags),
            ]
        )
    }

    static func deterministic() -> VectorFile {
        var id = 0
        func next() -> Int { id += 1; return id }
        let rejects = RFC8949Tables.determinism.map {
            invalid(next(), $0.comment, ["NotDeterministic"], input: $0.hex, error: $0.code)
        }
        var accepts = RFC8949Tables.appendixA.filter { $0.hex == $0.deterministicHex }.map {
            valid(next(), $0.comment, ["Deterministic", "AppendixA"], input: $0.hex, encoded: $0.hex)
        }
        var rng = SeededRNG(seed: 0xd7e1)
        let values = CBORValueGenerator()
        for n in 0..<60 {
            let hex = Hex.encode(CBOREncoder.encodeDeterministic(values.value(using: &rng)))
            accepts.append(
                valid(
                    next(),
                    "generated deterministic item \(n) (seed 0xd7e1)",
                    ["Deterministic"],
                    input: hex,
                    encoded: hex
                )
            )
        }
        return file(
            "CBOR decoding: core deterministic encoding (RFC 8949 §4.2.1)",
            header: [
                "Decoded with the deterministic profile: forbidden encodings must be rejected with their class,",
                "deterministic encodings accepted unchanged.",
            ],
            groups: [
                group("b2c-cbor-determinism", profile: "deterministic", rejects),
                group(
                    "b2c-cbor-deterministic-accept",
                    profile: "deterministic",
                    extra: ["seed": .string("0xd7e1")],
                    accepts
                ),
            ]
        )
    }

    static func wellFormedness() -> VectorFile {
        var id = 0
        func next() -> Int { id += 1; return id }
        var tests: [VectorFile.TestCase] = []
        for (hex, what) in [
            ("0000", "two integers"), ("0102", "two integers"), ("a000", "empty map then 0"),
            ("80ff", "empty array then a break"), ("4100ff", "byte string then a break"), ("f6f6", "null twice"),
            ("c10000", "tag 1(0) then 0"), ("9f00ff00", "indefinite array then 0"),
        ] {
            tests.append(
                invalid(
                    next(),
                    "trailing bytes: \(what)",
                    ["NotWellFormed", "TrailingBytes"],
                    input: hex,
                    error: "cbor.trailing_bytes"
                )
            )
        }
        for (hex, what) in [
            ("5bffffffffffffffff", "byte string of 2^64-1 bytes"),
            ("7bffffffffffffffff", "text string of 2^64-1 bytes"), ("9bffffffffffffffff", "array of 2^64-1 items"),
            ("bbffffffffffffffff", "map of 2^64-1 pairs"), ("9affffffff00", "array of 2^32-1 items, one present"),
            ("ba7fffffff0000", "map of 2^31-1 pairs, one present"),
            ("5a7fffffff00", "byte string of 2^31-1 bytes, one present"),
        ] {
            tests.append(
                invalid(
                    next(),
                    "huge declared length: \(what)",
                    ["NotWellFormed", "HugeLength", "Truncated"],
                    input: hex,
                    error: "cbor.truncated"
                )
            )
        }
        // Every proper prefix of a valid item is truncated.
        var rng = SeededRNG(seed: 0x7a11)
        let values = CBORValueGenerator(maxDepth: 3, maxCount: 4)
        let nonPreferred = CBORNonPreferredEncoder(percent: 30)
        var prefixes = 0
        while prefixes < 150 {
            let bytes = nonPreferred.encode(values.value(using: &rng), using: &rng)
            guard bytes.count >= 2 else { continue }
            let cut = Int.random(in: 1..<bytes.count, using: &rng)
            tests.append(
                invalid(
                    next(),
                    "proper prefix (\(cut) of \(bytes.count) bytes) of a valid item (seed 0x7a11)",
                    ["NotWellFormed", "Truncated"],
                    input: Hex.encode(bytes[0..<cut]),
                    error: "cbor.truncated"
                )
            )
            prefixes += 1
        }
        // Tag numbers 6–23 fit in the initial byte (0xc6–0xd7); 16–18 are COSE's (RFC 9052), 19 a countersignature.
        for tag in 6...23 {
            let hex = Hex.encode([0xc0 | UInt8(tag), 0x80])
            tests.append(
                valid(
                    next(),
                    "tag \(tag) in the initial byte (0x\(hex.prefix(2))) around an empty array",
                    ["ImmediateTag"],
                    input: hex,
                    encoded: hex
                )
            )
        }
        let depth = 100
        tests.append(
            valid(
                next(),
                "array nested \(depth) deep",
                ["NonPreferred"],
                input: String(repeating: "81", count: depth) + "00",
                encoded: String(repeating: "81", count: depth) + "00"
            )
        )
        tests.append(
            invalid(
                next(),
                "array nested 100000 deep: rejecting as a limit is acceptable",
                ["DeepNesting"],
                input: String(repeating: "81", count: 100_000) + "00",
                error: "cbor.depth_exceeded",
                result: .acceptable
            )
        )
        return file(
            "CBOR decoding: well-formedness beyond Appendix F",
            header: ["Trailing bytes, declared lengths beyond the input, truncation at every depth, deep nesting."],
            groups: [group("b2c-cbor-wellformedness", profile: "valid", extra: ["seed": .string("0x7a11")], tests)]
        )
    }

    static func generated() -> VectorFile {
        var rng = SeededRNG(seed: 0x6e11)
        let values = CBORValueGenerator()
        let nonPreferred = CBORNonPreferredEncoder(percent: 35)
        var tests: [VectorFile.TestCase] = []
        for n in 1...250 {
            let value = values.value(using: &rng)
            let input = nonPreferred.encode(value, using: &rng)
            tests.append(
                valid(
                    n,
                    "generated item \(n) in a random non-preferred encoding (seed 0x6e11)",
                    ["NonPreferred"],
                    input: Hex.encode(input),
                    encoded: Hex.encode(CBOREncoder.encodeDeterministic(value))
                )
            )
        }
        return file(
            "CBOR decoding: generated items in non-preferred encodings",
            header: [
                "Random valid items written with wide arguments, widened floats, indefinite lengths and shuffled",
                "keys; each must decode and re-encode to its core deterministic encoding.",
            ],
            groups: [group("b2c-cbor-random", profile: "valid", extra: ["seed": .string("0x6e11")], tests)]
        )
    }
}
