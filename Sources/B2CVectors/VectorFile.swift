import B2CHex
import B2CWire

/// A vector file (`vectors/<area>/<name>_test.json`), shaped like Wycheproof's.
///
/// The file names its schema (with the major version), its area and algorithm, and groups of cases. A case has a
/// never-reused `tcId`, a `result` (`valid`, `invalid`, `acceptable`), for invalid cases the `expectedError` code of
/// the layer that must reject, and typed inputs and outputs (bytes as lowercase hex) kept in `fields`.
public struct VectorFile: Sendable, Equatable {
    public var schema: String
    public var area: String
    public var algorithm: String
    public var header: [String]
    public var notes: [String: Note]
    public var testGroups: [TestGroup]

    public var numberOfTests: Int { testGroups.reduce(0) { $0 + $1.tests.count } }

    public init(
        schema: String,
        area: String,
        algorithm: String,
        header: [String] = [],
        notes: [String: Note] = [:],
        testGroups: [TestGroup]
    ) {
        self.schema = schema
        self.area = area
        self.algorithm = algorithm
        self.header = header
        self.notes = notes
        self.testGroups = testGroups
    }

    /// What a flag means.
    public struct Note: Sendable, Equatable {
        public var bugType: String
        public var description: String
        public var specRefs: [String]
        public init(bugType: String, description: String, specRefs: [String] = []) {
            self.bugType = bugType
            self.description = description
            self.specRefs = specRefs
        }
    }

    /// Which generator made a group.
    public struct Source: Sendable, Equatable {
        public var name: String
        public var version: String
        public init(name: String, version: String) {
            self.name = name
            self.version = version
        }
    }

    /// Cases that share a type, a level and parameters.
    public struct TestGroup: Sendable, Equatable {
        public var type: String
        public var source: Source
        /// `required` or `recommended`.
        public var level: String
        /// Group parameters (for example `profile`).
        public var parameters: [String: JSONValue]
        public var tests: [TestCase]

        public init(
            type: String,
            source: Source,
            level: String = "required",
            parameters: [String: JSONValue] = [:],
            tests: [TestCase]
        ) {
            self.type = type
            self.source = source
            self.level = level
            self.parameters = parameters
            self.tests = tests
        }
    }

    /// One case.
    public struct TestCase: Sendable, Equatable {
        public var tcId: Int
        public var comment: String
        public var flags: [String]
        public var result: Result
        public var expectedError: String?
        /// Typed inputs and outputs, by name (`input`, `encoded`, …).
        public var fields: [String: JSONValue]

        public init(
            tcId: Int,
            comment: String,
            flags: [String] = [],
            result: Result,
            expectedError: String? = nil,
            fields: [String: JSONValue]
        ) {
            self.tcId = tcId
            self.comment = comment
            self.flags = flags
            self.result = result
            self.expectedError = expectedError
            self.fields = fields
        }

        /// A hex field as bytes.
        public func bytes(_ name: String) -> [UInt8]? { fields[name]?.stringValue.flatMap(Hex.decode) }
    }

    public enum Result: String, Sendable, CaseIterable {
        case valid, invalid, acceptable
    }
}
