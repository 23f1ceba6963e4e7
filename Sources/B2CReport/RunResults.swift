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
        run: RunInfo,
        target: TargetInfo,
        cases: [CaseResult],
        expectations: ExpectationReport? = nil
    ) {
        self.schema = Self.schemaName
        self.run = run
        self.target = target
        self.cases = cases
        self.expectations = expectations
        self.summary = Summary(
            cases: cases,
            staleExpectations: expectations?.stale.count ?? 0,
            planned: run.planned
        )
    }

    private enum CodingKeys: String, CodingKey {
        case schema, run, target, summary, expectations, cases
    }

    /// Reads a run; its summary is derived again from the cases, the plan and the expectations (the stored one is
    /// for other readers), so a file written by an older version, or cut short, gets today's rules.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decode(String.self, forKey: .schema)
        run = try c.decode(RunInfo.self, forKey: .run)
        target = try c.decode(TargetInfo.self, forKey: .target)
        expectations = try c.decodeIfPresent(ExpectationReport.self, forKey: .expectations)
        cases = try c.decode([CaseResult].self, forKey: .cases)
        summary = Summary(cases: cases, staleExpectations: expectations?.stale.count ?? 0, planned: run.planned)
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
    /// The cases the run's selection holds, by area. A run that has recorded fewer is unfinished: its verdict is at
    /// best `incomplete` until `--resume` completes it. nil in files written before runs stated their selection.
    public var planned: [String: Int]?

    public init(
        id: String,
        startedAt: String,
        finishedAt: String? = nil,
        tool: String,
        vectorsManifestSha256: String? = nil,
        seed: String,
        options: [String: String] = [:],
        planned: [String: Int]? = nil
    ) {
        self.id = id
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.tool = tool
        self.vectorsManifestSha256 = vectorsManifestSha256
        self.seed = seed
        self.options = options
        self.planned = planned
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
        name: String,
        descriptor: String? = nil,
        transport: String,
        implementation: String? = nil,
        implementationVersion: String? = nil,
        capabilities: [String] = []
    ) {
        self.name = name
        self.descriptor = descriptor
        self.transport = transport
        self.implementation = implementation
        self.implementationVersion = implementationVersion
        self.capabilities = capabilities
    }
}

/// What a case is, apart from how it went: shared by the harness (a case to run) and the report (a case run).
public struct CaseInfo: Codable, Sendable, Equatable {
    /// `<area>/<suite>/<case>`, for example `cbor/cbor_appendix_f/tc12`.
    public var id: String
    public var area: String
    public var suite: String
    /// `required` or `recommended` (anything else counts as required).
    public var level: String
    public var flags: [String]
    public var comment: String?
    public var specRefs: [String]
    public var vector: VectorRef?
    /// What the case sends (nil in files written before runs recorded it).
    public var input: CaseInput?

    public init(
        id: String,
        area: String,
        suite: String,
        level: String = "required",
        flags: [String] = [],
        comment: String? = nil,
        specRefs: [String] = [],
        vector: VectorRef? = nil,
        input: CaseInput? = nil
    ) {
        self.id = id
        self.area = area
        self.suite = suite
        self.level = level
        self.flags = flags
        self.comment = comment
        self.specRefs = specRefs
        self.vector = vector
        self.input = input
    }
}

/// One case's record: the case, and how it went. In `results.json` the case's fields sit beside the outcome's.
@dynamicMemberLookup
public struct CaseResult: Codable, Sendable, Equatable {
    public var info: CaseInfo
    public var outcome: Outcome
    public var expected: Expectation
    public var actual: Answer?
    /// Why the outcome is what it is, in one line (empty for a plain pass).
    public var reason: String?
    /// The reason without what is particular to the case (`accepted an invalid input (expected image.hash_mismatch)`):
    /// the report groups failures by it. nil: the reason itself.
    public var category: String?
    /// For a wrong answer: where it parts from the expected one.
    public var mismatch: Mismatch?
    public var durationMs: Double
    public var attempts: Int

    public subscript<T>(dynamicMember path: WritableKeyPath<CaseInfo, T>) -> T {
        get { info[keyPath: path] }
        set { info[keyPath: path] = newValue }
    }

    public init(
        info: CaseInfo,
        outcome: Outcome,
        expected: Expectation,
        actual: Answer? = nil,
        reason: String? = nil,
        category: String? = nil,
        mismatch: Mismatch? = nil,
        durationMs: Double = 0,
        attempts: Int = 1
    ) {
        self.info = info
        self.outcome = outcome
        self.expected = expected
        self.actual = actual
        self.reason = reason
        self.category = category
        self.mismatch = mismatch
        self.durationMs = durationMs
        self.attempts = attempts
    }

    private enum CodingKeys: String, CodingKey {
        case outcome, expected, actual, reason, category, mismatch, durationMs, attempts
    }

    public init(from decoder: any Decoder) throws {
        info = try CaseInfo(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        outcome = try c.decode(Outcome.self, forKey: .outcome)
        expected = try c.decode(Expectation.self, forKey: .expected)
        actual = try c.decodeIfPresent(Answer.self, forKey: .actual)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        category = try c.decodeIfPresent(String.self, forKey: .category)
        mismatch = try c.decodeIfPresent(Mismatch.self, forKey: .mismatch)
        durationMs = try c.decode(Double.self, forKey: .durationMs)
        attempts = try c.decode(Int.self, forKey: .attempts)
    }

    public func encode(to encoder: any Encoder) throws {
        try info.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(expected, forKey: .expected)
        try c.encodeIfPresent(actual, forKey: .actual)
        try c.encodeIfPresent(reason, forKey: .reason)
        try c.encodeIfPresent(category, forKey: .category)
        try c.encodeIfPresent(mismatch, forKey: .mismatch)
        try c.encode(durationMs, forKey: .durationMs)
        try c.encode(attempts, forKey: .attempts)
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
    public var result: ExpectedResult
    /// For invalid cases: the error code that must be reported.
    public var error: String?
    /// For valid cases: the expected output fields (hex or text).
    public var output: [String: String]?

    public init(result: ExpectedResult, error: String? = nil, output: [String: String]? = nil) {
        self.result = result
        self.error = error
        self.output = output
    }
}

/// What the target answered.
public struct Answer: Codable, Sendable, Equatable {
    public var kind: AnswerKind
    public var error: String?
    public var detail: String?
    public var output: [String: String]?

    public init(kind: AnswerKind, error: String? = nil, detail: String? = nil, output: [String: String]? = nil) {
        self.kind = kind
        self.error = error
        self.detail = detail
        self.output = output
    }
}

/// What a vector says of its input: it must be accepted, it must be rejected (with the named error), or either.
///
/// A closed set: a `results.json` with any other word is refused, so a typo can never read as `valid`.
public enum ExpectedResult: String, Codable, Sendable, CaseIterable {
    case valid, invalid, acceptable
}

/// The kind of answer a target gave: `ok`, `err`, `unsupported`, or `none` (crash, timeout, protocol violation).
public enum AnswerKind: String, Codable, Sendable, CaseIterable {
    case ok, err, unsupported, none
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
