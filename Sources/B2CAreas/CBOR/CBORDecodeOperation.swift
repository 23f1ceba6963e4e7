import B2CArea
import B2CCBOR
import B2CHex
import B2CWire

/// `cbor.decode` on the reference device: the input decoded under a profile, answered with its core deterministic
/// encoding and its diagnostic notation, or the error class and offset.
enum CBORDecodeOperation {
    static let op = "cbor.decode"
    static let profiles = ["valid", "deterministic"]

    static func handle(_ args: [String: JSONValue], violations: ViolationSet) -> WireResponse.Body {
        guard let hex = args["data"]?.stringValue, let data = Hex.decode(hex) else {
            return .err(code: "wire.bad_request", detail: "args.data must be a hex string", offset: nil)
        }
        var options: CBORDecoder.Options
        switch args["profile"]?.stringValue ?? "valid" {
        case "valid": options = .valid
        case "deterministic": options = .deterministic
        case let other: return .unsupported(reason: "profile \(other) is not implemented")
        }
        if violations.contains(CBORViolation.acceptTrailingBytes) { options.allowTrailingBytes = true }
        let item: CBOR
        do {
            item = try decode(data, options: options, violations: violations)
        } catch {
            let code = violations.contains(CBORViolation.vagueErrors) ? "cbor.malformed" : error.code.rawValue
            return .err(code: code, detail: error.reason, offset: Int64(error.offset))
        }
        var encoded = CBOREncoder.encodeDeterministic(item)
        if violations.contains(CBORViolation.lengthFirstKeys) { encoded = LengthFirst.encode(item) }
        let diag = (try? CBORDiagnostic.render(data, options: options)) ?? CBORDiagnostic.render(item)
        return .ok(["encoded": .string(Hex.encode(encoded)), "diag": .string(diag)])
    }

    private static func decode(
        _ data: [UInt8],
        options: CBORDecoder.Options,
        violations: ViolationSet
    ) throws(CBORError) -> CBOR {
        if violations.contains(CBORViolation.acceptTwoByteSimple), data.count == 2, data[0] == 0xf8 {
            return .simple(data[1])
        }
        do {
            return try CBORDecoder.decodePrefix(data, options: options).item
        } catch  where error.code == .duplicateKey && violations.contains(CBORViolation.acceptDuplicateKeys) {
            var relaxed = options
            relaxed.checkValidity = false
            return try CBORDecoder.decodePrefix(data, options: relaxed).item
        }
    }
}

/// RFC 7049's canonical order (shorter keys first), used only to commit the `cbor.length-first-keys` violation.
enum LengthFirst {
    static func encode(_ item: CBOR) -> [UInt8] {
        guard case .map(let pairs) = item else { return CBOREncoder.encodeDeterministic(item) }
        let sorted = pairs.map { (CBOREncoder.encodeDeterministic($0.key), $0) }.sorted {
            $0.0.count != $1.0.count ? $0.0.count < $1.0.count : $0.0.lexicographicallyPrecedes($1.0)
        }
        return CBOREncoder.encode(.map(sorted.map(\.1)))
    }
}
