/// Why a byte string is not an acceptable CBOR item, and where.
///
/// The code names the class of failure (RFC 8949 Appendix F subkinds for well-formedness, §5.3 for validity, §4.2.1
/// for deterministic encoding), so a test can tell a truncation from a stray break. The offset is the byte where the
/// decoder found the problem. Codes are an open set of string constants, in the swift-certificates style.
public struct CBORError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A dotted error code, e.g. `cbor.truncated`. The vocabulary is in `docs/error-codes.md`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Well-formedness (RFC 8949 Appendix F).
        public static let truncated = Code(rawValue: "cbor.truncated")
        public static let reservedAdditionalInfo = Code(rawValue: "cbor.reserved_additional_info")
        public static let reservedSimpleEncoding = Code(rawValue: "cbor.reserved_simple_encoding")
        public static let indefiniteChunkType = Code(rawValue: "cbor.indefinite_chunk_type")
        public static let breakOutsideIndefinite = Code(rawValue: "cbor.break_outside_indefinite")
        public static let breakInMapValue = Code(rawValue: "cbor.break_in_map_value")
        public static let indefiniteMajorType = Code(rawValue: "cbor.indefinite_major_type")
        public static let trailingBytes = Code(rawValue: "cbor.trailing_bytes")
        // Validity (§5.3) and resource limits.
        public static let invalidUTF8 = Code(rawValue: "cbor.invalid_utf8")
        public static let duplicateKey = Code(rawValue: "cbor.duplicate_key")
        public static let invalidTagContent = Code(rawValue: "cbor.invalid_tag_content")
        public static let depthExceeded = Code(rawValue: "cbor.depth_exceeded")
        public static let limitExceeded = Code(rawValue: "cbor.limit_exceeded")
        // Core deterministic encoding (§4.2.1).
        public static let nonShortestInteger = Code(rawValue: "cbor.non_shortest_integer")
        public static let nonShortestArgument = Code(rawValue: "cbor.non_shortest_argument")
        public static let nonPreferredFloat = Code(rawValue: "cbor.non_preferred_float")
        public static let indefiniteLength = Code(rawValue: "cbor.indefinite_length")
        public static let unsortedKeys = Code(rawValue: "cbor.unsorted_keys")

        /// True for the classes that make an input not well-formed (as opposed to invalid or non-deterministic).
        public var isWellFormednessError: Bool {
            switch self {
            case .truncated, .reservedAdditionalInfo, .reservedSimpleEncoding, .indefiniteChunkType,
                .breakOutsideIndefinite, .breakInMapValue, .indefiniteMajorType, .trailingBytes:
                return true
            default:
                return false
            }
        }
    }

    public let code: Code
    /// Byte offset in the input where the problem was found.
    public let offset: Int
    /// One line for a person.
    public let reason: String

    public init(_ code: Code, at offset: Int, _ reason: String) {
        self.code = code
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(code) at offset \(offset): \(reason)" }
}
