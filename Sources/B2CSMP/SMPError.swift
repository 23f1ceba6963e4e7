/// Why bytes are not an acceptable SMP message, frame or command body, and where.
///
/// The code names the class of failure; the offset is the byte where the decoder found it, counted from the start of
/// what it was given (the message for header and body errors, the line for framing errors). Codes are an open set of
/// string constants, documented in `docs/error-codes.md`.
public struct SMPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A dotted error code, e.g. `smp.bad_crc`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Message layer (header + data).
        /// Fewer than 8 header bytes, or fewer data bytes than the header's Data Length.
        public static let truncated = Code(rawValue: "smp.truncated")
        /// Bytes after the message where exactly one was expected.
        public static let trailingBytes = Code(rawValue: "smp.trailing_bytes")
        /// A message (or reassembled packet) larger than the configured maximum.
        public static let tooLarge = Code(rawValue: "smp.too_large")
        // Data layer (the CBOR map of groups below 64).
        /// The data is not one well-formed CBOR item.
        public static let badCBOR = Code(rawValue: "smp.bad_cbor")
        /// The data is a CBOR item but not a map, or the map has a key that is not a text string.
        public static let notAMap = Code(rawValue: "smp.not_a_map")
        /// A key the command knows appears twice.
        public static let duplicateKey = Code(rawValue: "smp.duplicate_key")
        /// A key the command needs is absent.
        public static let missingKey = Code(rawValue: "smp.missing_key")
        /// A known key holds a value of the wrong CBOR type.
        public static let wrongType = Code(rawValue: "smp.wrong_type")
        /// A known key holds a value of the right type outside the range the command allows (e.g. `off` ≥ 2^32).
        public static let outOfRange = Code(rawValue: "smp.out_of_range")
        /// Group, command and op name no command this codec models.
        public static let unknownCommand = Code(rawValue: "smp.unknown_command")
        // Serial framing.
        /// A line longer than the reassembler's line limit.
        public static let overlongLine = Code(rawValue: "smp.overlong_line")
        /// The text after a marker is not base64 (alphabet, padding, or a length that is not a multiple of 4).
        public static let badBase64 = Code(rawValue: "smp.bad_base64")
        /// The packet's CRC-16 does not check.
        public static let badCRC = Code(rawValue: "smp.bad_crc")
        /// A packet decodes to more bytes than its length field says, or the length field is below 2.
        public static let badLength = Code(rawValue: "smp.bad_length")
        /// A continuation line with no packet in progress.
        public static let orphanContinuation = Code(rawValue: "smp.orphan_continuation")
        /// A packet in progress was abandoned: a new start line arrived, or the stream ended.
        public static let abandoned = Code(rawValue: "smp.abandoned")
        /// Raw framing: a header whose op is not a request or response op (4–7), so the stream cannot be trusted.
        public static let badOp = Code(rawValue: "smp.bad_op")
    }

    public let code: Code
    /// Byte offset where the problem was found.
    public let offset: Int
    /// One line for a person.
    public let reason: String

    public init(_ code: Code, at offset: Int, _ reason: String) {
        self.code = code
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(code) at offset \(offset): \(reason)" }

    /// The SMP-level return code a Zephyr-style server answers this decode failure with: 9 ECORRUPT for a message
    /// shorter than its header says, 8 ENOTSUP for an unknown command, 3 EINVAL for anything wrong in the data.
    public var returnCode: SMPReturnCode {
        switch code {
        case .truncated: return .corrupt
        case .unknownCommand: return .notSupported
        case .tooLarge: return .messageSize
        default: return .invalid
        }
    }
}
