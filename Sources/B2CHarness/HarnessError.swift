/// Why the harness cannot run or finish a run: a usage or configuration problem, a target that cannot be started,
/// output that cannot be written. One line naming what and where; the CLI prints it and exits 2.
///
/// Shaped like swift-certificates' errors: an extensible ``Code`` says which kind of problem it is (and is what
/// equality compares), the reason says what exactly, and the throw site is kept for whoever debugs the harness.
public struct HarnessError: Error, Sendable, CustomStringConvertible, Hashable {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A target descriptor is unreadable or wrong.
        public static let descriptor = Code(rawValue: "descriptor")
        /// An expectations file is unreadable or wrong.
        public static let expectations = Code(rawValue: "expectations")
        /// The run's event log cannot be read or written, or holds no run to resume.
        public static let eventLog = Code(rawValue: "event-log")
        /// The selection of cases is empty or names what does not exist.
        public static let selection = Code(rawValue: "selection")
        /// The vectors cannot be loaded.
        public static let vectors = Code(rawValue: "vectors")
        /// A `prepare` step failed.
        public static let prepare = Code(rawValue: "prepare")
        /// The target cannot be started or did not complete `hello`.
        public static let targetStart = Code(rawValue: "target-start")
        /// Results or reports cannot be written.
        public static let output = Code(rawValue: "output")
    }

    public let code: Code
    /// One line for a person.
    public let reason: String
    /// Where it was thrown.
    public let file: String
    public let line: UInt

    public init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String { reason }

    public static func == (lhs: HarnessError, rhs: HarnessError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
