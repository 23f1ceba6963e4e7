import B2CReport
import B2CWire

/// What a target must declare in `hello` for a case to be sent: an operation, and optionally one value of one of
/// its parameters (`cbor.decode` with `profiles` ∋ `deterministic`).
public struct Requirement: Sendable, Hashable, CustomStringConvertible {
    public var op: String
    public var parameter: String?
    public var value: String?

    public init(op: String, parameter: String? = nil, value: String? = nil) {
        self.op = op
        self.parameter = parameter
        self.value = value
    }

    public var description: String {
        guard let parameter, let value else { return op }
        return "\(op) with \(parameter) \(value)"
    }
}

/// One case of a suite, ready to run: what it is (shared with its record in the report), its scenario, and what
/// the target must declare for it.
public struct ConformanceCase: Sendable {
    public var info: CaseInfo
    public var scenario: Scenario
    /// Checked against `hello` before anything is sent; a case the target does not declare is `unsupported`.
    public var requirements: [Requirement]
    /// The native channel the case goes through (`smp`: the device's own protocol on its serial line or UDP), or
    /// nil for b2c's wire protocol.
    public var channel: String?
    /// Puts a wrong output in words; the catalogue sets the case's area's (``Area/explainMismatch(field:expected:got:)``).
    public var explain: OutputExplainer?

    public init(info: CaseInfo, scenario: Scenario, requirements: [Requirement]) {
        self.info = info
        self.scenario = scenario
        self.requirements = requirements
    }

    /// A one-exchange case: `op` with `args`, judged by `expected`; it requires `op`, with `parameter` if given.
    public init(
        info: CaseInfo,
        op: String,
        args: [String: JSONValue],
        parameter: (key: String, value: String)? = nil,
        expected: Expectation
    ) {
        self.init(
            info: info,
            scenario: .exchange(op: op, args: args, expect: expected),
            requirements: [Requirement(op: op, parameter: parameter?.key, value: parameter?.value)]
        )
    }

    public var id: String { info.id }

    /// What the report shows as expected before the case runs: its last expectation.
    public var expected: Expectation { scenario.expectations.last ?? Expectation(result: .acceptable) }
}
