/// What a case sends: its main input, inline as hex when it is short, else as the vector blob that holds it, and the
/// request's other arguments. A reader can replay the case from this alone.
public struct CaseInput: Codable, Sendable, Equatable {
    /// Inputs up to this many bytes are written inline as hex.
    public static let inlineLimit = 1024

    /// The request argument that carries the input (`data`, `image`).
    public var field: String
    /// Its length in bytes.
    public var length: Int
    /// The bytes in hex, when at most ``inlineLimit`` long.
    public var hex: String?
    /// The vector blob with the bytes, relative to the vectors directory (`blobs/<sha256>.bin`).
    public var blob: String?
    /// SHA-256 of the bytes, in hex, when they are not inline.
    public var sha256: String?
    /// The request's other arguments, as compact JSON (`{"profile":"valid"}`).
    public var arguments: String?

    public init(
        field: String,
        length: Int,
        hex: String? = nil,
        blob: String? = nil,
        sha256: String? = nil,
        arguments: String? = nil
    ) {
        self.field = field
        self.length = length
        self.hex = hex
        self.blob = blob
        self.sha256 = sha256
        self.arguments = arguments
    }
}

/// Where an answer first parts from the expected one: the field, both values, the first differing byte and what
/// differs in words.
public struct Mismatch: Codable, Sendable, Equatable {
    /// The output field (`encoded`, `hash`), or `result` (accepted vs rejected) or `error` (the error class).
    public var field: String
    public var expected: String
    public var got: String
    /// The first byte (hex fields) or character where the two differ.
    public var offset: Int?
    /// What differs, in a few words that do not depend on the case (`same items, different map order`).
    public var explanation: String?

    public init(field: String, expected: String, got: String, offset: Int? = nil, explanation: String? = nil) {
        self.field = field
        self.expected = expected
        self.got = got
        self.offset = offset
        self.explanation = explanation
    }
}
