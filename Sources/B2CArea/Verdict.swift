import B2CHex
import B2CReport
import B2CWire

/// How one answer measured up to an expectation.
public struct Verdict: Sendable, Equatable {
    public var outcome: Outcome
    /// Why, in one line (nil for a plain pass).
    public var reason: String?
    /// The reason without what is particular to the case, for grouping (nil: the reason itself).
    public var category: String?
    /// For a wrong answer: where it parts from the expected one.
    public var mismatch: Mismatch?
    public var answer: Answer

    public init(
        _ outcome: Outcome,
        _ reason: String? = nil,
        category: String? = nil,
        mismatch: Mismatch? = nil,
        answer: Answer
    ) {
        self.outcome = outcome
        self.reason = reason
        self.category = category
        self.mismatch = mismatch
        self.answer = answer
    }
}

/// Says what differs between an expected and a received output field (both bytes, the values being hex), in words
/// that do not depend on the case (`same items, different map order`); nil when it cannot tell. An area gives one
/// for its outputs (``Area/explainMismatch(field:expected:got:)``).
public typealias OutputExplainer = @Sendable (_ field: String, _ expected: [UInt8], _ got: [UInt8]) -> String?

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
    /// either. `unsupported` is its own outcome, never a failure. A wrong answer carries its ``Mismatch``;
    /// `explain` (the area's) says in words how two output values differ.
    public func score(
        _ body: WireResponse.Body,
        looseErrorCodes: Bool,
        explain: OutputExplainer? = nil
    ) -> Verdict {
        let answer = Answer(body)
        let wanted = error ?? "?"
        switch (body, result) {
        case (.unsupported(let reason), _):
            return Verdict(
                .unsupported,
                "target answered unsupported: \(reason)",
                category: "target answered unsupported",
                answer: answer
            )
        case (.ok, .invalid):
            return Verdict(
                .fail,
                "accepted an invalid input (expected \(wanted))",
                category: "accepted an invalid input (expected \(wanted))",
                mismatch: Mismatch(field: "result", expected: "error \(wanted)", got: "ok"),
                answer: answer
            )
        case (.err(let code, let detail, _), .valid):
            return Verdict(
                .fail,
                "rejected a valid input with \(code): \(detail)",
                category: "rejected a valid input with \(code)",
                mismatch: Mismatch(field: "result", expected: "ok", got: "error \(code)"),
                answer: answer
            )
        case (_, .acceptable):
            return Verdict(.pass, answer: answer)
        case (.ok, .valid):
            let got = answer.output ?? [:]
            for (key, want) in (output ?? [:]).sorted(by: { $0.key < $1.key })
            where got[key]?.lowercased() != want.lowercased() {
                return OutputDifference(field: key, expected: want, got: got[key]).verdict(answer, explain: explain)
            }
            return Verdict(.pass, answer: answer)
        case (.err(let code, let detail, _), .invalid):
            if code == error { return Verdict(.pass, answer: answer) }
            if looseErrorCodes { return Verdict(.pass, "rejected with \(code) (loose error codes)", answer: answer) }
            let said = detail.isEmpty ? "" : " (\(detail))"
            return Verdict(
                .fail,
                "wrong error class: expected \(wanted), got \(code)\(said)",
                category: "wrong error class: expected \(wanted), got \(code)",
                mismatch: Mismatch(field: "error", expected: wanted, got: code),
                answer: answer
            )
        }
    }
}

/// One output field whose value is not the expected one, and how to put that in a line.
struct OutputDifference {
    var field: String
    var expected: String
    var got: String?

    /// Bytes shown either side of the first difference in the reason.
    static let window = 8

    func verdict(_ answer: Answer, explain: OutputExplainer?) -> Verdict {
        guard let got else {
            return Verdict(
                .fail,
                "\(field): missing from the answer (expected \(Self.clip(expected)))",
                category: "\(field): missing from the answer",
                mismatch: Mismatch(field: field, expected: expected, got: "", explanation: "missing"),
                answer: answer
            )
        }
        guard let e = Hex.decode(expected), let g = Hex.decode(got) else {
            let at = Self.firstDifference(
                Array(expected.lowercased().unicodeScalars),
                Array(got.lowercased().unicodeScalars)
            )
            return Verdict(
                .fail,
                "\(field): different text (at character \(at): expected \(Self.clip(expected)), got \(Self.clip(got)))",
                category: "\(field): different text",
                mismatch: Mismatch(
                    field: field,
                    expected: expected,
                    got: got,
                    offset: at,
                    explanation: "different text"
                ),
                answer: answer
            )
        }
        let at = Self.firstDifference(e, g)
        let words = explain?(field, e, g) ?? Self.explainBytes(e, g)
        let (want, have) = (Self.excerpt(e, at), Self.excerpt(g, at))
        let particulars =
            e.count == g.count
            ? "at byte \(at) of \(e.count): expected \(want), got \(have)"
            : "at byte \(at): expected \(want) (\(e.count) bytes), got \(have) (\(g.count) bytes)"
        return Verdict(
            .fail,
            "\(field): \(words) (\(particulars))",
            category: "\(field): \(words)",
            mismatch: Mismatch(field: field, expected: expected, got: got, offset: at, explanation: words),
            answer: answer
        )
    }

    /// The index of the first element where `a` and `b` differ; the shorter length when one is a prefix of the other.
    static func firstDifference<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
        var i = 0
        while i < a.count && i < b.count && a[i] == b[i] { i += 1 }
        return i
    }

    /// What differs between two byte strings, without knowing what they mean.
    static func explainBytes(_ e: [UInt8], _ g: [UInt8]) -> String {
        if g.count < e.count && e.starts(with: g) { return "cut short" }
        if g.count > e.count && g.starts(with: e) { return "extra bytes at the end" }
        if g.count == e.count { return "same length, different bytes" }
        return "different bytes"
    }

    /// Up to ``window`` bytes from `at`, in hex, marked where they are cut.
    static func excerpt(_ bytes: [UInt8], _ at: Int) -> String {
        guard at < bytes.count else { return "(end)" }
        let end = min(bytes.count, at + window)
        return (at > 0 ? "…" : "") + Hex.encode(Array(bytes[at..<end])) + (end < bytes.count ? "…" : "")
    }

    /// A value short enough for a line.
    static func clip(_ s: String) -> String { s.count <= 40 ? s : String(s.prefix(40)) + "…" }
}
