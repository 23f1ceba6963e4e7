/// `results.json`: the one source of truth of a run. JUnit XML and HTML are generated from it.
///
/// Schema `b2c-results_v1`. Readers peek at `schema` first and refuse a major version they do not know.
public struct RunResults: Codable, Sendable, Equatable {
    public static let schemaName = "b2c-results_v1"

    public var schema: String
    public var run: RunInfo
    public var target: TargetInfo
    public var summary: Summary
    public var expectations: ExpectationReport?
    public var cases: [CaseResult]

    public init(
        run: RunInfo, target: TargetInfo, cases: [CaseResult], expectations: ExpectationReport? = nil
    ) {
        self.schema = Self.schemaName
        self.run = run
        self.target = target
        self.cases = cases
        self.expectations = expectations
        self.summary = Summary(cases: cases, staleExpectations: expectations?.stale.count ?? 0)
    }
}

/// Who ran what, when, with which vectors.
public struct RunInfo: Codable, Sendable, Equatable {
    public var id: String
    public var startedAt: String
    public var finishedAt: String?
    public var tool: String
    public var vectorsManifestSha256: String?
    public var seed: String
    /// Non-default options, as given on the command line.
    public var options: [String: String]

    public init(
        id: String, startedAt: String, finishedAt: String? = nil, tool: String,
        vectorsManifestSha256: String? = nil, seed: String, options: [String: String] = [:]
    ) {
        self.id = id
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.tool = tool
        self.vectorsManifestSha256 = vectorsManifestSha256
        self.seed = seed
        self.options = options
    }
}

/// The implementation under test, as its descriptor and its `hello` answer describe it.
public struct TargetInfo: Codable, Sendable, Equatable {
    public var name: String
    public var descriptor: String?
    public var transport: String
    public var implementation: String?
    public var implementationVersion: String?
    public var capabilities: [String]

    public init(
        name: String, descriptor: String? = nil, transport: String, implementation: String? = nil,
        implementationVersion: String? = nil, capabilities: [String] = []
    ) {
        self.name = name
        self.descriptor = descriptor
        self.transport = transport
        self.implementation = implementation
        self.implementationVersion = implementationVersion
        self.capabilities = capabilities
    }
}

/// One case's record.
public struct CaseResult: Codable, Sendable, Equatable {
    /// `<area>/<suite>/<case>`, for example `cbor/cbor_appendix_f_test/tc12`.
    public var id: String
    public var area: String
    public var suite: String
    /// `required` or `recommended`.
    public var level: String
    public var flags: [String]
    public var comment: String?
    public var specRefs: [String]
    public var vector: VectorRef?
    public var outcome: Outcome
    public var expected: Expectation
    public var actual: Answer?
    /// Why the outcome is what it is, in one line (empty for a plain pass).
    public var reason: String?
    public var durationMs: Double
    public var attempts: Int

    public init(
        id: String, area: String, suite: String, level: String = "required", flags: [String] = [],
        comment: String? = nil, specRefs: [String] = [], vector: VectorRef? = nil, outcome: Outcome,
        expected: Expectation, actual: Answer? = nil, reason: String? = nil, durationMs: Double = 0,
        attempts: Int = 1
    ) {
        self.id = id
        self.area = area
        self.suite = suite
        self.level = level
        self.flags = flags
        self.comment = comment
        self.specRefs = specRefs
        self.vector = vector
        self.outcome = outcome
        self.expected = expected
        self.actual = actual
        self.reason = reason
        self.durationMs = durationMs
        self.attempts = attempts
    }
}

/// Where a case comes from.
public struct VectorRef: Codable, Sendable, Equatable {
    public var file: String
    public var tcId: Int
    public init(file: String, tcId: Int) {
        self.file = file
        self.tcId = tcId
    }
}

/// What the vector says the answer must be.
public struct Expectation: Codable, Sendable, Equatable {
    /// `valid`, `invalid` or `acceptable`.
    public var result: String
    /// For invalid cases: the error code that must be reported.
    public var error: String?
    /// For valid cases: the expected output fields (hex or text).
    public var output: [String: String]?

    public init(result: String, error: String? = nil, output: [String: String]? = nil) {
        self.result = result
        self.error = error
        self.output = output
    }
}

/// What the target answered.
public struct Answer: Codable, Sendable, Equatable {
    /// `ok`, `err`, `unsupported`, or `none` (crash, timeout, protocol violation).
    public var kind: String
    public var error: String?
    public var detail: String?
    public var output: [String: String]?

    public init(kind: String, error: String? = nil, detail: String? = nil, output: [String: String]? = nil) {
        self.kind = kind
        self.error = error
        self.detail = detail
        self.output = output
    }
}

/// Expectation entries that matched nothing or now pass; either fails the run.
public struct ExpectationReport: Codable, Sendable, Equatable {
    public var file: String
    public var stale: [String]
    public init(file: String, stale: [String]) {
        self.file = file
        self.stale = stale
    }
}
