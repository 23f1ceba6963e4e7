/// A rule of SMP (`spec-notes/smp.md` §8) the reference device can be told to break (`--violate smp.…`), one per
/// conformance check, so a test can prove the SMP suite catches it. The server core acts out the message-level ones;
/// the serial line service acts out the framing ones (`SER-*`).
public enum SMPViolation: String, CaseIterable, Hashable, Sendable {
    /// HDR-01: answer with the request's own op instead of op + 1.
    case sameResponseOp = "smp.same-response-op"
    /// HDR-01: answer with the sequence number plus one.
    case wrongSequence = "smp.wrong-sequence"
    /// HDR-02: answer a version-0 (SMP v1) request with a v2 header and `err` maps.
    case v2AnswerToV1 = "smp.v2-answer-to-v1"
    /// HDR-03: serve a request with reserved version bits (2, 3) as v2 instead of `{"rc": 13}`.
    case acceptReservedVersion = "smp.accept-reserved-version"
    /// HDR-06: serve a message whose Data Length exceeds what arrived, on the bytes there are, instead of rc 9.
    case ignoreTruncation = "smp.ignore-truncation"
    /// CBOR-02: accept a known key twice (the last one wins) instead of rc 3.
    case acceptDuplicateKeys = "smp.accept-duplicate-keys"
    /// CBOR-02: reject a request carrying a key the command does not know (rc 3).
    case rejectUnknownKeys = "smp.reject-unknown-keys"
    /// CBOR-03: answer echo's zero-length data as if it were `{"d": ""}`.
    case echoEmptyData = "smp.echo-empty-data"
    /// CBOR-04: take `off`/`len` beyond 32 bits modulo 2^32 instead of rejecting them.
    case wrap32BitFields = "smp.wrap-32-bit-fields"
    /// RSP-02: send group errors of v2 requests as a bare `{"rc": n}` (the legacy translation).
    case groupErrorAsRC = "smp.group-error-as-rc"
    /// IMG-01: report the image hash in state read as hex text instead of a byte string.
    case hashAsText = "smp.hash-as-text"
    /// IMG-02: treat a zero-length `hash` in state write as a bad hash (24) instead of "no hash".
    case emptyHashInvalid = "smp.empty-hash-invalid"
    /// IMG-03: report the SHA-256 of the slot's image bytes instead of its hash TLV.
    case reportFileSHA = "smp.report-file-sha"
    /// IMG-04: write a chunk at the offset it names even when it is not the one expected (no resynchronisation).
    case ignoreExpectedOffset = "smp.ignore-expected-offset"
    /// IMG-04: accept a chunk past `len` instead of group error 31.
    case acceptOverrun = "smp.accept-overrun"
    /// IMG-07: append `match: false` to the last chunk's answer even when the hash checks.
    case falseMatch = "smp.false-match"
    /// OS-02: reset without answering first.
    case resetWithoutAnswer = "smp.reset-without-answer"
    /// SER-01: send lines of up to 200 bytes instead of at most 127.
    case longLines = "smp.long-lines"
    /// SER-02: cut the base64 text on 3-character boundaries, so lines do not decode on their own.
    case unalignedBase64 = "smp.unaligned-base64"
    /// SER-04: answer a frame whose CRC does not check (with rc 9) instead of dropping it silently.
    case answerBadCRC = "smp.answer-bad-crc"
    /// SER-06: end lines with CR LF.
    case crlf = "smp.crlf"

    /// One line for `--list-smp-violations`.
    public var summary: String {
        switch self {
        case .sameResponseOp: return "HDR-01: answer with the request's op, not op + 1"
        case .wrongSequence: return "HDR-01: answer with sequence + 1"
        case .v2AnswerToV1: return "HDR-02: answer v1 requests with a v2 header and err maps"
        case .acceptReservedVersion: return "HDR-03: serve version bits 2/3 instead of rc 13"
        case .ignoreTruncation: return "HDR-06: serve a message shorter than its Data Length instead of rc 9"
        case .acceptDuplicateKeys: return "CBOR-02: accept a duplicate known key"
        case .rejectUnknownKeys: return "CBOR-02: reject unknown keys with rc 3"
        case .echoEmptyData: return "CBOR-03: answer echo with zero-length data"
        case .wrap32BitFields: return "CBOR-04: wrap off/len beyond 32 bits"
        case .groupErrorAsRC: return "RSP-02: v2 group errors as {\"rc\": n}"
        case .hashAsText: return "IMG-01: state read hash as text"
        case .emptyHashInvalid: return "IMG-02: zero-length hash rejected with 24"
        case .reportFileSHA: return "IMG-03: report the SHA-256 of the image bytes, not the hash TLV"
        case .ignoreExpectedOffset: return "IMG-04: write chunks at unexpected offsets"
        case .acceptOverrun: return "IMG-04: accept data past len"
        case .falseMatch: return "IMG-07: match false on a good upload"
        case .resetWithoutAnswer: return "OS-02: reset before answering"
        case .longLines: return "SER-01: lines over 127 bytes"
        case .unalignedBase64: return "SER-02: base64 cut off 4-character boundaries"
        case .answerBadCRC: return "SER-04: answer a bad-CRC frame"
        case .crlf: return "SER-06: CR LF line ends"
        }
    }
}
