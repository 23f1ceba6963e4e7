import B2CCBOR
import CLibCbor

/// libFuzzer entry of `FuzzCBORDifferential`: see ``fuzzCBORDifferential(_:)-([UInt8])``.
public func fuzzCBORDifferential(_ data: UnsafeRawBufferPointer) {
    fuzzCBORDifferential(Array(data))
}

/// Checks B2CCBOR's well-formedness verdict against libcbor's.
///
/// B2CCBOR decodes with `.wellFormed` (well-formedness and resource limits only); libcbor runs `cbor_load` and counts
/// as accepting only when it returns an item with `read == length`. The verdicts must agree, except for the
/// documented gaps of ``CBORDifferential/KnownGap``. Where B2CCBOR says the input (or its first item, for trailing
/// bytes) is well-formed, the check is exact: libcbor must accept with `read` at the end of that item, or fail with
/// exactly the error code and position its known gaps predict. Traps (via `fatalError`) on a disagreement; see
/// ``CBORDifferential/compare(_:)``.
public func fuzzCBORDifferential(_ bytes: [UInt8]) {
    if case .disagreement(let what) = CBORDifferential.compare(bytes) {
        fuzzFailure("FuzzCBORDifferential", what, bytes)
    }
}

extension CBORFuzzChecks {
    /// The property of ``fuzzCBORDifferential(_:)-([UInt8])``: nil, or a description of the disagreement.
    public static func differential(_ bytes: [UInt8]) -> String? {
        if case .disagreement(let what) = CBORDifferential.compare(bytes) { return what }
        return nil
    }
}

/// B2CCBOR against libcbor 0.8 (`cbor_load`) on well-formedness.
public enum CBORDifferential {
    /// Where libcbor 0.8 and B2CCBOR legitimately differ. Each case is matched precisely, not by "libcbor failed".
    public enum KnownGap: String, Sendable, CaseIterable {
        /// libcbor 0.8 has no simple values other than false/true/null/undefined: its streaming decoder returns
        /// `CBOR_DECODER_ERROR` for `e0`–`f3` and for every `f8 xx`, so `cbor_load` answers `CBOR_ERR_MALFORMATED`
        /// with `error.position` = the offset of that head, although `e0`–`f3` and `f8 20`–`f8 ff` are well-formed
        /// (RFC 8949 §3.3). Matched when B2CCBOR accepts and that head is the first libcbor-rejected head.
        case libcborUnsupportedSimpleValue = "libcbor-unsupported-simple-value"
        /// libcbor 0.8 rejects the one-byte tag heads `c6`–`d4` (tags 6–20, "unassigned" in its streaming decoder)
        /// with `CBOR_ERR_MALFORMATED` at that head, although every tag number is well-formed (RFC 8949 §3.4) and the
        /// same tags written with a longer head (`d8 06`) load. Fixed upstream in libcbor 0.11.0 (commit ee2d304,
        /// "Support decoding all tag values"). Matched when B2CCBOR accepts and that head is the first
        /// libcbor-rejected head.
        case libcborUnassignedTag = "libcbor-unassigned-tag"
        /// libcbor checks UTF-8 (a validity rule, §5.3.1) while loading: a definite-length text string or chunk that
        /// is not UTF-8 makes `cbor_load` answer `CBOR_ERR_SYNTAXERROR` with `error.position` = the offset just past
        /// that string. `.wellFormed` does not check UTF-8. Matched when B2CCBOR accepts and that string is the
        /// first libcbor-rejected item; the UTF-8 check is Swift's `String(validating:)`, so a disagreement between
        /// the two UTF-8 validators still shows up as a finding.
        case libcborInvalidUTF8 = "libcbor-invalid-utf8"
        /// libcbor allocates the element array of a definite-length array or map (8 bytes per element, 16 per pair)
        /// as soon as it reads the head, before any element: `9b 0f ff …` asks for exabytes, which fails
        /// (`CBOR_ERR_MEMERROR`) or trips the fuzzer's malloc limit. libcbor is therefore not called when the arrays
        /// it would allocate for the heads of the input add up to more than 4 MiB and more than 8 bytes per input
        /// byte. A well-formed input never gets there (each element takes at least one byte, so at most 8 bytes of
        /// element array per input byte), so B2CCBOR must reject every skipped input (still checked), and below the
        /// bound libcbor's allocations cannot fail: any MEMERROR on a compared input is a finding.
        case libcborUpfrontAllocation = "libcbor-upfront-allocation"
        /// Nesting deeper than 1024 is not compared. B2CCBOR's `.wellFormed` stops at depth 256
        /// (`cbor.depth_exceeded`), so the comparison re-decodes such an input with `maxDepth` 1024 and gives up only
        /// if that fails too. libcbor keeps open items (non-empty definite arrays and maps, tags, indefinite items) on
        /// a stack of `CBOR_MAX_STACK_SIZE` (2048) entries and answers `CBOR_ERR_MEMERROR` beyond it; since an input
        /// within depth 1024 has at most 1025 open items (an indefinite string cannot nest), libcbor never hits that
        /// limit on a compared input, and any MEMERROR there is a finding. (1024 rather than 2047 keeps B2CCBOR's
        /// recursion within about 3 MiB of stack in a debug build, for the replay tests.)
        case nestingLimit = "nesting-limit"
        /// B2CCBOR's length limit (`cbor.limit_exceeded`, 2^31−1 bytes or elements): unreachable for inputs of the
        /// fuzzer's sizes, since a count the input could not hold is `cbor.truncated` first, but not a disagreement.
        case b2cLengthLimit = "b2c-length-limit"
    }

    /// The outcome of one comparison.
    public enum Verdict: Sendable, Equatable {
        /// Both accept, or both reject.
        case agreement
        /// The verdicts differ (or are not compared) for a documented reason.
        case knownGap(KnownGap)
        /// A finding: a bug in B2CCBOR, in libcbor, or in this model of libcbor.
        case disagreement(String)
    }

    /// libcbor's answer for one input.
    struct LibcborAnswer: CustomStringConvertible {
        var code: cbor_error_code
        var position: Int
        var read: Int

        var accepted: Bool { code == CBOR_ERR_NONE }
        var description: String {
            let name: String
            switch code {
            case CBOR_ERR_NONE: name = "NONE"
            case CBOR_ERR_NOTENOUGHDATA: name = "NOTENOUGHDATA"
            case CBOR_ERR_NODATA: name = "NODATA"
            case CBOR_ERR_MALFORMATED: name = "MALFORMATED"
            case CBOR_ERR_MEMERROR: name = "MEMERROR"
            case CBOR_ERR_SYNTAXERROR: name = "SYNTAXERROR"
            default: name = "code \(code.rawValue)"
            }
            return accepted ? "libcbor ok, read \(read)" : "libcbor \(name) at \(position)"
        }
    }

    /// `cbor_load` on `bytes`; the item, if any, is released at once.
    static func libcborLoad(_ bytes: [UInt8]) -> LibcborAnswer {
        var result = cbor_load_result()
        var item = bytes.withUnsafeBufferPointer { cbor_load($0.baseAddress, $0.count, &result) }
        if item != nil { cbor_decref(&item) }
        return LibcborAnswer(code: result.error.code, position: result.error.position, read: result.read)
    }

    /// A head in the order libcbor's streaming decoder reads them: each call of `cbor_stream_decode` consumes one
    /// head, plus the payload for a definite-length string.
    struct RawHead {
        var offset: Int
        var majorType: UInt8
        var additionalInfo: UInt8
        var argument: UInt64
        /// The payload of a definite-length string; empty otherwise. Its upper bound is where the next head starts.
        var payload: Range<Int>
    }

    /// Calls `body` on each head in libcbor's reading order until a head or string payload runs past the end of
    /// the input, or `body` returns false. No structure is checked: on a well-formed input this visits every head
    /// exactly as a decoder does; on other inputs it may go on past the point where libcbor would stop.
    static func scanHeads(_ b: [UInt8], _ body: (RawHead) -> Bool) {
        var pos = 0
        while pos < b.count {
            let start = pos
            let majorType = b[pos] >> 5
            let ai = b[pos] & 0x1f
            pos += 1
            var argument = UInt64(ai)
            if (24...27).contains(ai) {
                let width = 1 << Int(ai - 24)
                guard b.count - pos >= width else { return }
                argument = 0
                for _ in 0..<width {
                    argument = argument << 8 | UInt64(b[pos])
                    pos += 1
                }
            }
            var payload = pos..<pos
            if (majorType == 2 || majorType == 3) && ai <= 27 {
                guard argument <= UInt64(b.count - pos) else { return }
                payload = pos..<(pos + Int(argument))
                pos = payload.upperBound
            }
            let head = RawHead(
                offset: start,
                majorType: majorType,
                additionalInfo: ai,
                argument: argument,
                payload: payload
            )
            if !body(head) { return }
        }
    }

    /// The bytes libcbor would allocate for element arrays if it read every head of `bytes` (saturating; see
    /// ``KnownGap/libcborUpfrontAllocation``). On a well-formed input this is at most 8 × `bytes.count`.
    static func libcborElementArrayBytes(_ bytes: [UInt8]) -> UInt64 {
        var total: UInt64 = 0
        scanHeads(bytes) { h in
            guard (h.majorType == 4 || h.majorType == 5) && h.additionalInfo <= 27 else { return true }
            let (size, overflow) = h.argument.multipliedReportingOverflow(by: h.majorType == 4 ? 8 : 16)
            let (sum, overflow2) = total.addingReportingOverflow(size)
            total = overflow || overflow2 ? .max : sum
            return total != .max
        }
        return total
    }

    static let libcborAllocationCap: UInt64 = 4 << 20

    /// What libcbor must answer for an input whose first item is well-formed and ends at `end` (B2CCBOR's verdict).
    enum Expectation: CustomStringConvertible {
        case accept(read: Int)
        case reject(cbor_error_code, at: Int, KnownGap)

        var description: String {
            switch self {
            case .accept(let read): return "libcbor ok, read \(read)"
            case .reject(let code, let at, let gap):
                return "\(LibcborAnswer(code: code, position: at, read: 0)) (\(gap.rawValue))"
            }
        }
    }

    static func expectation(_ bytes: [UInt8], itemEnd end: Int) -> Expectation {
        var expected = Expectation.accept(read: end)
        scanHeads(bytes) { h in
            guard h.offset < end else { return false }
            if h.majorType == 7 && (h.additionalInfo < 20 || h.additionalInfo == 24) {
                expected = .reject(CBOR_ERR_MALFORMATED, at: h.offset, .libcborUnsupportedSimpleValue)
                return false
            }
            if h.majorType == 6 && (6...20).contains(h.additionalInfo) {
                expected = .reject(CBOR_ERR_MALFORMATED, at: h.offset, .libcborUnassignedTag)
                return false
            }
            if h.majorType == 3 && h.additionalInfo <= 27,
                String(validating: bytes[h.payload], as: UTF8.self) == nil
            {
                expected = .reject(CBOR_ERR_SYNTAXERROR, at: h.payload.upperBound, .libcborInvalidUTF8)
                return false
            }
            return true
        }
        return expected
    }

    static let deepWellFormed = CBORDecoder.Options(maxDepth: 1024, checkValidity: false)

    /// Compares B2CCBOR's `.wellFormed` verdict on `bytes` with libcbor's.
    public static func compare(_ bytes: [UInt8]) -> Verdict {
        var b2c = decodeResult(bytes, .wellFormed)
        if case .failure(let e) = b2c, e.code == .depthExceeded {
            b2c = decodeResult(bytes, deepWellFormed)
        }
        if case .failure(let e) = b2c {
            if e.code == .depthExceeded { return .knownGap(.nestingLimit) }
            if e.code == .limitExceeded { return .knownGap(.b2cLengthLimit) }
            guard e.code.isWellFormednessError else {
                return .disagreement("b2c .wellFormed reported \(e.code), not a well-formedness code")
            }
        }

        let allocation = libcborElementArrayBytes(bytes)
        if allocation > max(libcborAllocationCap, 8 * UInt64(bytes.count)) {
            if case .success = b2c {
                return .disagreement("b2c accepts an input whose heads declare \(allocation / 8)+ elements")
            }
            return .knownGap(.libcborUpfrontAllocation)
        }

        let lib = libcborLoad(bytes)
        var b2cText: String { describe(b2c) }  // only for finding messages
        if lib.code == CBOR_ERR_MEMERROR {
            // Neither of libcbor's limits can be reached here (see KnownGap.nestingLimit and .libcborUpfrontAllocation).
            return .disagreement("\(lib) on an input of \(bytes.count) bytes; b2c: \(b2cText)")
        }

        // Where does B2CCBOR say the first item ends, if it is well-formed?
        let itemEnd: Int
        switch b2c {
        case .success: itemEnd = bytes.count
        case .failure(let e) where e.code == .trailingBytes: itemEnd = e.offset
        case .failure:
            // Not well-formed inside the first item: libcbor must not load any item.
            if lib.accepted {
                return .disagreement("\(lib), but b2c says \(b2cText)")
            }
            return .agreement
        }

        let expected = expectation(bytes, itemEnd: itemEnd)
        switch expected {
        case .accept(let read):
            guard lib.accepted, lib.read == read else {
                return .disagreement("\(lib), expected \(expected); b2c: \(b2cText)")
            }
            return .agreement
        case .reject(let code, let at, let gap):
            guard lib.code == code, lib.position == at else {
                return .disagreement("\(lib), expected \(expected); b2c: \(b2cText)")
            }
            // Both reject an input with trailing bytes; only a fully well-formed one is a gap.
            return itemEnd == bytes.count ? .knownGap(gap) : .agreement
        }
    }
}
