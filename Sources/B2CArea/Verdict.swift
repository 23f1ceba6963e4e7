import B2CReport
import B2CWire

/// How one answer measured up to an expectation.
public struct Verdict: Sendable, Equatable {
    public var outcome: Outcome
    /// Why, in one line (nil for a plain pass).
    public var reason: String?
    public var answer: Answer

    public init(_ outcome: Outcome, _ reason: String? = nil, answer: Answer) {
        self.outcome = outcome
        self.reason = reason
        self.answer = answer
    }
}

extension Answer {
    /// The record of a wire answer: output fields that are strings (or null) are kept, as the report shows them.
    public init(_ body: WireResponse.Body) {
        switch body {
        case .unsupported(let reason):
            self.init(kind: .unsupported, detail: reason)
        case .ok(let fields):
            var output: [String: String] = [:]
            for (k, v) in fields {
                if let s = v.stringValue { output[k] = s } else if v == .null { output[k] = "null" }
            }
            self.init(kind: .ok, output: output)
        case .err(let code, let detail, _):
            self.init(kind: .err, error: code, detail: detail)
        }
    }
}

extension Expectation {
    /// Judges an answer: valid cases need `ok` with the expected output fields (hex compared without case);
    /// invalid cases need `err` with the expected code (any code when `looseErrorCodes`); acceptable cases take
    /// either. `unsupported` is its own outcome, never a failure.
    public func score(_ body: WireResponse.Body, looseErrorCodes: Bool) -> Verdict {
        let answer = Answer(body)
        switch (body, result) {
        case (.unsupported(let reason), _):
            return Verdict(.unsupported, "target answered unsupported: \(reason)", answer: answer)
        case (.ok, .invalid):
            return Verdict(.fail, "accepted an invalid input; expected error \(error ?? "?")", answer: answer)
        case (.err(let code, let detail, _), .valid):
            return Verdict(.fail, "rejected a valid input with \(code): \(detail)", answer: answer)
        case (_, .acceptable):
            return Verdict(.pass, answer: answer)
        case (.ok, .valid):
            let got = answer.output ?? [:]
            for (key, want) in (output ?? [:]).sorted(by: { $0.key < $1.key })
            where got[key]?.lowercased() != want.lowercased() {
                return Verdict(.fail, "\(key): expected \(want), got \(got[key] ?? "nothing")", answer: answer)
            }
            return Verdict(.pass, answer: answer)
        case (.err(let code, _, _), .invalid):
            if code == error { return Verdict(.pass, answer: answer) }
            if looseErrorCodes { return Verdict(.pass, "rejected with \(code) (loose error codes)", answer: answer) }
            return Verdict(.fail, "wrong error class: expected \(error ?? "?"), got \(code)", answer: answer)
        }
    }
}
