import B2CCBOR
import B2CHex

/// libFuzzer entry of `FuzzCBORRoundTrip`: see ``fuzzCBORRoundTrip(_:)-([UInt8])``.
public func fuzzCBORRoundTrip(_ data: UnsafeRawBufferPointer) {
    fuzzCBORRoundTrip(Array(data))
}

/// Checks that decoded values survive re-encoding.
///
/// For an input `.valid` accepts as value `v`: `encodeDeterministic(v)` is accepted by `.deterministic` as a value
/// equal to `v` and re-encodes to the identical bytes (a fixed point); `encode(v)` (preferred serialization) is
/// accepted by `.valid` as an equal value; and if the input itself passes `.deterministic`, both encoders give back
/// exactly the input bytes. For any well-formed input (`.wellFormed`, duplicates and repaired text allowed),
/// `encode` gives bytes that `.wellFormed` decodes to an equal value, and `CBORDiagnostic.render(value)` prints it.
/// Traps (via `fatalError`) on the first violated property; see ``CBORFuzzChecks/roundTrip(_:)``.
public func fuzzCBORRoundTrip(_ bytes: [UInt8]) {
    if let finding = CBORFuzzChecks.roundTrip(bytes) { fuzzFailure("FuzzCBORRoundTrip", finding, bytes) }
}

extension CBORFuzzChecks {
    /// The properties of ``fuzzCBORRoundTrip(_:)-([UInt8])``: nil, or a description of the first one violated.
    public static func roundTrip(_ bytes: [UInt8]) -> String? {
        guard case .success(let wv) = decodeResult(bytes, .wellFormed) else { return nil }

        // Any well-formed value: preferred serialization reads back under .wellFormed.
        let wfEncoded = CBOREncoder.encode(wv)
        let wfBack = decodeResult(wfEncoded, .wellFormed)
        guard case .success(let wv2) = wfBack, wv2 == wv else {
            let diff = (try? wfBack.get()).map { firstDifference(wv, $0, "") } ?? ""
            return "encode of a .wellFormed value \(Hex.encode(wfEncoded)) reads back as \(describe(wfBack))\(diff)"
        }
        if CBORDiagnostic.render(wv) == "<unprintable>" {
            return "CBORDiagnostic.render(value) could not print a well-formed value"
        }

        guard case .success(let v) = decodeResult(bytes, .valid) else { return nil }

        // Deterministic encoding: accepted by the deterministic decoder, same value, and a fixed point.
        let d = CBOREncoder.encodeDeterministic(v)
        let dBack = decodeResult(d, .deterministic)
        guard case .success(let v2) = dBack else {
            return "encodeDeterministic gives \(Hex.encode(d)), which .deterministic rejects: \(describe(dBack))"
        }
        guard v2 == v else { return "encodeDeterministic gives \(Hex.encode(d)), which decodes to another value" }
        let d2 = CBOREncoder.encodeDeterministic(v2)
        guard d2 == d else {
            return "encodeDeterministic is not a fixed point: \(Hex.encode(d)) then \(Hex.encode(d2))"
        }

        // Preferred serialization: accepted by the validity-checking decoder, same value.
        let p = CBOREncoder.encode(v)
        let pBack = decodeResult(p, .valid)
        guard case .success(let v3) = pBack, v3 == v else {
            return "encode gives \(Hex.encode(p)), which reads back under .valid as \(describe(pBack))"
        }

        // An input that is already deterministic is what both encoders write.
        if case .success = decodeResult(bytes, .deterministic) {
            guard d == bytes else { return "deterministic input re-encodes deterministically as \(Hex.encode(d))" }
            guard p == bytes else { return "deterministic input re-encodes (preferred) as \(Hex.encode(p))" }
        }
        return nil
    }
}
