/// Why a `results.json` could not be read.
///
/// An extensible code, a one-line reason naming what is wrong, and the throw site (the swift-certificates pattern).
public struct ResultsError: Error, CustomStringConvertible, Sendable {
    /// What kind of problem it is; an open set, so a later version can add codes.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The bytes are not JSON at all.
        public static let notJSON = Code(rawValue: "notJSON")
        /// The document declares a schema this reader does not understand.
        public static let unknownSchema = Code(rawValue: "unknownSchema")
        /// A required field is absent (or `null`).
        public static let missingField = Code(rawValue: "missingField")
        /// A field holds a value of the wrong type or form.
        public static let invalidField = Code(rawValue: "invalidField")
    }

    public var code: Code
    /// One line naming what is wrong, for example `missing field run.seed`.
    public var reason: String
    public var file: String
    public var line: Int

    public init(code: Code, reason: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String { "results: \(reason)" }
}
