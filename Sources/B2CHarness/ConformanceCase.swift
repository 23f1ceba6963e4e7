import B2CReport
import B2CWire

/// One case of a suite, ready to send: the request, and what the answer must be.
public struct ConformanceCase: Sendable {
    public var id: String
    public var area: String
    public var suite: String
    public var level: String
    public var flags: [String]
    public var comment: String
    public var specRefs: [String]
    public var vector: VectorRef?
    public var op: String
    public var args: [String: JSONValue]
    /// A capability parameter the target must declare under `op`, e.g. (`profiles`, `deterministic`).
    public var requires: (key: String, value: String)?
    public var expected: Expectation

    public init(
        id: String, area: String, suite: String, level: String, flags: [String] = [], comment: String = "",
        specRefs: [String] = [], vector: VectorRef? = nil, op: String, args: [String: JSONValue],
        requires: (key: String, value: String)? = nil, expected: Expectation
    ) {
        self.id = id
        self.area = area
        self.suite = suite
        self.level = level
        self.flags = flags
        self.comment = comment
        self.specRefs = specRefs
        self.vector = vector
        self.op = op
        self.args = args
        self.requires = requires
        self.expected = expected
    }

    /// Judges an answer: valid cases need `ok` with the expected output fields; invalid cases need `err` with the
    /// expected code (any code when `looseErrorCodes`); acceptable cases take either.
    public func score(_ body: WireResponse.Body, looseErrorCodes: Bool) -> (Outcome, String?, Answer) {
        switch body {
        case .unsupported(let reason):
            return (.unsupported, "target answered unsupported: \(reason)", Answer(kind: "unsupported", detail: reason))
        case .ok(let fields):
            var output: [String: String] = [:]
            for (k, v) in fields {
                if let s = v.stringValue { output[k] = s } else if v == .null { output[k] = "null" }
            }
            let answer = Answer(kind: "ok", output: output)
            switch expected.result {
            case "invalid":
                return (.fail, "accepted an invalid input; expected error \(expected.error ?? "?")", answer)
            case "acceptable":
                return (.pass, nil, answer)
            default:
                for (key, want) in (expected.output ?? [:]).sorted(by: { $0.key < $1.key }) {
                    let got = output[key]
                    if got?.lowercased() != want.lowercased() {
                        return (.fail, "\(key): expected \(want), got \(got ?? "nothing")", answer)
                    }
                }
                return (.pass, nil, answer)
            }
        case .err(let code, let detail, _):
            let answer = Answer(kind: "err", error: code, detail: detail)
            switch expected.result {
            case "valid":
                return (.fail, "rejected a valid input with \(code): \(detail)", answer)
            case "acceptable":
                return (.pass, nil, answer)
            default:
                if code == expected.error { return (.pass, nil, answer) }
                if looseErrorCodes { return (.pass, "rejected with \(code) (loose error codes)", answer) }
                return (.fail, "wrong error class: expected \(expected.error ?? "?"), got \(code)", answer)
            }
        }
    }
}
