import B2CCBOR
import Foundation
import Testing

@testable import B2CGenerators

/// RFC 8949's own examples, typed in as facts (and checked against cbor-diag, cbor2 and libcbor when typed in).
@Suite("RFC 8949 appendices")
struct AppendixTests {
    @Test("Appendix F: all 94 not-well-formed items are rejected with their class", arguments: RFC8949Tables.appendixF)
    func appendixF(_ item: RFC8949Tables.Invalid) throws {
        let bytes = try #require(hexBytes(item.hex))
        for options in [CBORDecoder.Options.valid, .deterministic, .wellFormed] {
            #expect(decodeError(bytes, options) == item.code, "\(item.hex): \(item.comment)")
        }
    }

    @Test("Appendix F has 94 items and every class of Appendix F.1 appears")
    func appendixFCoverage() {
        #expect(RFC8949Tables.appendixF.count == 94)
        let codes = Set(RFC8949Tables.appendixF.map(\.code))
        #expect(
            codes == [
                "cbor.truncated", "cbor.reserved_additional_info", "cbor.reserved_simple_encoding",
                "cbor.indefinite_chunk_type", "cbor.break_outside_indefinite", "cbor.break_in_map_value",
                "cbor.indefinite_major_type",
            ]
        )
    }

    @Test(
        "Appendix A: every example decodes and re-encodes to its deterministic form",
        arguments: RFC8949Tables.appendixA
    )
    func appendixA(_ example: RFC8949Tables.Example) throws {
        let bytes = try #require(hexBytes(example.hex))
        let value = try CBORDecoder.decode(bytes)
        #expect(hex(CBOREncoder.encodeDeterministic(value)) == example.deterministicHex, "\(example.comment)")
        // The deterministic form is accepted by the deterministic profile and means the same value.
        let again = try CBORDecoder.decode(try #require(hexBytes(example.deterministicHex)), options: .deterministic)
        #expect(again == value)
        // Examples already deterministic pass the deterministic profile; the others fail it.
        let isDeterministic = (try? CBORDecoder.decode(bytes, options: .deterministic)) != nil
        #expect(isDeterministic == (example.hex == example.deterministicHex), "\(example.comment)")
    }

    /// Bignums: the RFC prints the number a bignum stands for; b2c prints the tag (both are diagnostic notation).
    static let bignumDiagnostics: [String: String] = [
        "c249010000000000000000": "2(h'010000000000000000')",
        "c349010000000000000000": "3(h'010000000000000000')",
    ]

    @Test("Appendix A: diagnostic notation matches the RFC's text", arguments: RFC8949Tables.appendixA)
    func appendixADiagnostic(_ example: RFC8949Tables.Example) throws {
        let bytes = try #require(hexBytes(example.hex))
        let text = try CBORDiagnostic.render(bytes, encodingIndicators: false)
        #expect(text == (Self.bignumDiagnostics[example.hex] ?? example.diagnostic), "\(example.comment)")
    }

    @Test(
        "Validity items are well-formed and rejected by a validity-checking decoder",
        arguments: RFC8949Tables.validity
    )
    func validity(_ item: RFC8949Tables.Invalid) throws {
        let bytes = try #require(hexBytes(item.hex))
        _ = try CBORDecoder.decode(bytes, options: .wellFormed)
        #expect(decodeError(bytes, .valid) == item.code, "\(item.hex): \(item.comment)")
    }

    @Test("Determinism items are valid and rejected by the deterministic profile", arguments: RFC8949Tables.determinism)
    func determinism(_ item: RFC8949Tables.Invalid) throws {
        let bytes = try #require(hexBytes(item.hex))
        let value = try CBORDecoder.decode(bytes)
        #expect(decodeError(bytes, .deterministic) == item.code, "\(item.hex): \(item.comment)")
        #expect(CBOREncoder.encodeDeterministic(value) != bytes)
    }
}

/// The error code decoding `bytes` gives, or nil if it decodes.
func decodeError(_ bytes: [UInt8], _ options: CBORDecoder.Options) -> String? {
    do {
        _ = try CBORDecoder.decode(bytes, options: options)
        return nil
    } catch {
        return error.code.rawValue
    }
}

func hexBytes(_ s: String) -> [UInt8]? {
    var out: [UInt8] = []
    var it = s.utf8.makeIterator()
    while let hi = it.next() {
        guard let lo = it.next(), let h = nibble(hi), let l = nibble(lo) else { return nil }
        out.append(h << 4 | l)
    }
    return out
}

private func nibble(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: c - 0x30
    case 0x61...0x66: c - 0x57
    default: nil
    }
}

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
