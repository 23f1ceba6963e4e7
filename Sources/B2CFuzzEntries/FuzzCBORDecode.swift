import B2CCBOR

/// libFuzzer entry of `FuzzCBORDecode`: see ``fuzzCBORDecode(_:)-([UInt8])``.
public func fuzzCBORDecode(_ data: UnsafeRawBufferPointer) {
    fuzzCBORDecode(Array(data))
}

/// Checks that the decoder is total and that its option sets agree with each other.
///
/// For any input: no decoder configuration traps; `.wellFormed` reports only well-formedness or limit codes, and
/// when it rejects, `.valid` and `.deterministic` reject with the same code at the same offset (well-formedness is
/// the first layer); when it accepts, `.valid` either accepts an equal value or reports a §5.3 validity code, and
/// `.deterministic` either accepts an equal value or reports a validity or §4.2.1 code; a small `maxDepth` or
/// `maxLength` only ever turns an acceptance into `cbor.depth_exceeded` / `cbor.limit_exceeded`; `decodePrefix` with
/// `allowTrailingBytes` ends exactly where `cbor.trailing_bytes` says the first item ends; and
/// `CBORDiagnostic.render` succeeds exactly when the input is well-formed, printing plain ASCII.
/// Traps (via `fatalError`) on the first violated property; see ``CBORFuzzChecks/decode(_:)``.
public func fuzzCBORDecode(_ bytes: [UInt8]) {
    if let finding = CBORFuzzChecks.decode(bytes) { fuzzFailure("FuzzCBORDecode", finding, bytes) }
}

extension CBORFuzzChecks {
    static let shallow = CBORDecoder.Options(maxDepth: 4)
    static let shortStrings = CBORDecoder.Options(maxLength: 8)
    static let validPrefix = CBORDecoder.Options(allowTrailingBytes: true)
    static let wellFormedPrefix = CBORDecoder.Options(checkValidity: false, allowTrailingBytes: true)

    /// The properties of ``fuzzCBORDecode(_:)-([UInt8])``: nil, or a description of the first one violated.
    public static func decode(_ bytes: [UInt8]) -> String? {
        let wf = decodeResult(bytes, .wellFormed)
        let valid = decodeResult(bytes, .valid)
        let det = decodeResult(bytes, .deterministic)
        // Only built for a finding message.
        func outcomes() -> String {
            "wellFormed: \(describe(wf)); valid: \(describe(valid)); deterministic: \(describe(det))"
        }

        for r in [wf, valid, det] {
            if case .failure(let e) = r, !(0...bytes.count).contains(e.offset) {
                return "error offset \(e.offset) outside the input (\(outcomes()))"
            }
        }

        // Layering: well-formedness first, then validity, then determinism.
        switch wf {
        case .failure(let e):
            guard e.code.isWellFormednessError || e.code.isLimitError else {
                return ".wellFormed reported \(e.code), which is not a well-formedness or limit code (\(outcomes()))"
            }
            for (name, r) in [("valid", valid), ("deterministic", det)] {
                guard case .failure(let other) = r, other.code == e.code, other.offset == e.offset else {
                    return ".\(name) disagrees with .wellFormed on an input that is not well-formed (\(outcomes()))"
                }
            }
        case .success(let wv):
            switch valid {
            case .success(let vv):
                guard vv == wv else { return ".valid and .wellFormed decode different values (\(outcomes()))" }
            case .failure(let e):
                guard e.code.isValidityError else {
                    return ".valid rejected a well-formed input with \(e.code), not a validity code (\(outcomes()))"
                }
            }
            switch det {
            case .success(let dv):
                guard case .success(let vv) = valid, dv == vv else {
                    return ".deterministic accepted what .valid did not, or decoded another value (\(outcomes()))"
                }
            case .failure(let e):
                if case .success = valid {
                    guard e.code.isDeterminismError else {
                        return ".deterministic rejected a valid input with \(e.code), not a §4.2.1 code (\(outcomes()))"
                    }
                } else {
                    guard e.code.isDeterminismError || e.code.isValidityError else {
                        return ".deterministic rejected a well-formed input with \(e.code) (\(outcomes()))"
                    }
                }
            }
        }

        // Tighter limits only turn an acceptance into a limit error, and never accept more.
        for (name, options, code) in [
            ("maxDepth 4", shallow, CBORError.Code.depthExceeded), ("maxLength 8", shortStrings, .limitExceeded),
        ] {
            let limited = decodeResult(bytes, options)
            switch (limited, valid) {
            case (.success(let lv), .success(let vv)):
                guard lv == vv else { return "\(name) decodes another value than .valid (\(outcomes()))" }
            case (.success, .failure):
                return "\(name) accepted what .valid rejects (\(outcomes()))"
            case (.failure(let e), .success):
                guard e.code == code else { return "\(name) rejected a valid input with \(e.code) (\(outcomes()))" }
            case (.failure, .failure):
                break
            }
        }

        // allowTrailingBytes: the first item ends where cbor.trailing_bytes says it does.
        let wfPrefix = prefixResult(bytes, wellFormedPrefix)
        let validPrefix = prefixResult(bytes, validPrefix)
        switch wf {
        case .success(let wv):
            guard case .success(let p) = wfPrefix, p.consumed == bytes.count, p.item == wv else {
                return "decodePrefix(.wellFormed) disagrees with decode on a well-formed input (\(outcomes()))"
            }
        case .failure(let e) where e.code == .trailingBytes:
            guard case .success(let p) = wfPrefix, p.consumed == e.offset else {
                return "decodePrefix(.wellFormed) does not end at the trailing-bytes offset \(e.offset) (\(outcomes()))"
            }
        case .failure(let e):
            guard case .failure(let pe) = wfPrefix, pe.code == e.code, pe.offset == e.offset else {
                return "decodePrefix(.wellFormed) disagrees with decode on a malformed first item (\(outcomes()))"
            }
        }
        switch (validPrefix, valid) {
        case (.success(let p), .success(let vv)):
            guard p.consumed == bytes.count, p.item == vv else {
                return "decodePrefix(.valid) disagrees with decode on a valid input (\(outcomes()))"
            }
        case (.success(let p), .failure(let e)):
            guard p.consumed < bytes.count, e.code == .trailingBytes, e.offset == p.consumed else {
                return "decodePrefix(.valid) took \(p.consumed) bytes but decode says \(e.code) (\(outcomes()))"
            }
        case (.failure(let pe), .success):
            return "decodePrefix(.valid) rejects a valid input with \(pe.code) (\(outcomes()))"
        case (.failure(let pe), .failure(let e)):
            // Either the same error inside the first item, or the first item has a validity finding that decode did
            // not get to report because the trailing bytes come first.
            guard (pe.code == e.code && pe.offset == e.offset) || (e.code == .trailingBytes && pe.code.isValidityError)
            else {
                return "decodePrefix(.valid) says \(pe.code) at \(pe.offset) (\(outcomes()))"
            }
        }

        // Diagnostic notation: printable exactly when well-formed, and plain ASCII.
        let diag: Result<String, CBORError>
        do throws(CBORError) {
            diag = .success(try CBORDiagnostic.render(bytes, options: .wellFormed))
        } catch {
            diag = .failure(error)
        }
        switch (diag, wf) {
        case (.success(let text), .success):
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else {
                return "diagnostic notation is empty or not printable ASCII: \(text) (\(outcomes()))"
            }
        case (.failure(let de), .failure(let e)):
            guard de.code == e.code, de.offset == e.offset else {
                return "CBORDiagnostic.render fails with \(de.code) at \(de.offset) (\(outcomes()))"
            }
        default:
            return "CBORDiagnostic.render and decode(.wellFormed) disagree (\(outcomes()))"
        }
        return nil
    }
}
