import B2CArea
import B2CAreas
import B2CHex
import B2CReport
import B2CWire
import Testing

/// A wrong answer in words: where it parts from the expected one and what differs, generically and for CBOR.
@Suite("Mismatch explanations")
struct MismatchTests {
    static func explainCBOR(_ expected: String, _ got: String) -> String? {
        CBORArea().explainMismatch(
            field: "encoded",
            expected: Hex.decode(expected) ?? [],
            got: Hex.decode(got) ?? []
        )
    }

    @Test("CBOR: the same items in another order, another width, or different items named by kind")
    func cbor() {
        // {1: 2, 3: 4} with the pairs swapped.
        #expect(Self.explainCBOR("a201020304", "a203040102") == "same items, different map order")
        // 1 with a one-byte argument; 1.0 as a double; an indefinite-length array.
        let wide = "same items, not in preferred serialization (argument or float width, length)"
        #expect(Self.explainCBOR("01", "1801") == wide)
        #expect(Self.explainCBOR("f93c00", "fb3ff0000000000000") == wide)
        #expect(Self.explainCBOR("820102", "9f0102ff") == wide)
        #expect(Self.explainCBOR("01", "02") == "different integer value")
        #expect(Self.explainCBOR("01", "4101") == "a byte string where an integer is expected")
        #expect(Self.explainCBOR("8201820203", "8201820204") == "different integer value")
        #expect(Self.explainCBOR("820102", "83010203") == "array of a different length")
        #expect(
            Self.explainCBOR("c11a514b67b0", "c074323031332d30332d32315432303a30343a30305a")
                == "tag 0 where tag 1 is expected"
        )
        #expect(Self.explainCBOR("a10102", "a10202") == "different map keys")
        #expect(Self.explainCBOR("01", "ff") == "not well-formed CBOR (cbor.break_outside_indefinite)")
        #expect(Self.explainCBOR("01", "18") == "not well-formed CBOR (cbor.truncated)")
    }

    @Test("Any field: the first differing byte, the lengths, and a window of both values")
    func generic() {
        let expect = Expectation(result: .valid, output: ["hash": "00112233"])
        func score(_ got: String) -> Verdict { expect.score(.ok(["hash": .string(got)]), looseErrorCodes: false) }
        let cut = score("0011")
        #expect(cut.category == "hash: cut short")
        #expect(cut.mismatch?.offset == 2)
        #expect(cut.reason == "hash: cut short (at byte 2: expected …2233 (4 bytes), got (end) (2 bytes))")
        #expect(score("00112233ff").category == "hash: extra bytes at the end")
        let flipped = score("00112234")
        #expect(
            flipped.mismatch
                == Mismatch(
                    field: "hash",
                    expected: "00112233",
                    got: "00112234",
                    offset: 3,
                    explanation: "same length, different bytes"
                )
        )
        #expect(score("99").category == "hash: different bytes")
        #expect(score("00112233").outcome == .pass)
        #expect(expect.score(.ok([:]), looseErrorCodes: false).category == "hash: missing from the answer")
        // The area's words win when it has them.
        let worded = expect.score(.ok(["hash": .string("0011")]), looseErrorCodes: false) { _, _, _ in "custom words" }
        #expect(worded.category == "hash: custom words")
    }
}
