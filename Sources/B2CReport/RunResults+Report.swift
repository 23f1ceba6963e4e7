/// Views of a run shared by the report writers.
extension RunResults {
    /// The cases grouped by area, areas in order of first appearance (the order `Summary` uses).
    var casesByArea: [(area: String, cases: [CaseResult])] {
        var order: [String] = []
        var byArea: [String: [CaseResult]] = [:]
        for c in cases {
            if byArea[c.area] == nil { order.append(c.area) }
            byArea[c.area, default: []].append(c)
        }
        return order.map { ($0, byArea[$0] ?? []) }
    }

    /// The stored summary of `area`; computed from `cases` when the file has none for it.
    func areaSummary(_ area: String, cases: [CaseResult]) -> AreaSummary {
        summary.areas.first { $0.area == area } ?? AreaSummary(area: area, cases: cases)
    }

    /// The cases with an outcome in `outcomes`, grouped by outcome and reason category (``CaseResult/groupKey``),
    /// the largest group first, ties in order of first appearance.
    public func groups(of outcomes: Set<Outcome>) -> [CaseGroup] {
        var order: [CaseGroup] = []
        var index: [String: Int] = [:]
        for c in cases where outcomes.contains(c.outcome) {
            let key = c.outcome.rawValue + "\u{0}" + c.groupKey
            if let i = index[key] {
                order[i].cases.append(c)
            } else {
                index[key] = order.count
                order.append(CaseGroup(outcome: c.outcome, key: c.groupKey, cases: [c]))
            }
        }
        return order.enumerated().sorted { ($1.element.cases.count, $0.offset) < ($0.element.cases.count, $1.offset) }
            .map(\.element)
    }

    /// Every outcome the report shows a column for: the known ones in report order, then any unknown ones seen.
    var reportedOutcomes: [Outcome] {
        let unknown = Set(cases.map(\.outcome)).subtracting(Outcome.all)
        return Outcome.all + unknown.sorted { $0.rawValue < $1.rawValue }
    }
}

/// Cases with the same outcome for the same reason.
public struct CaseGroup: Sendable {
    public var outcome: Outcome
    /// The reason they share (``CaseResult/groupKey``).
    public var key: String
    public var cases: [CaseResult]
}

extension CaseResult {
    /// What the report groups the case under: its category, else its reason (a crash's particulars left out).
    public var groupKey: String {
        if let category { return category }
        if outcome == .crash { return "target died" }
        return reason ?? outcome.rawValue
    }
}

extension Expectation {
    /// One line: the result, the required error, the expected output fields in key order.
    var reportText: String {
        var parts = [result.rawValue]
        if let error { parts.append("error \(error)") }
        parts += ReportText.fields(output)
        return parts.joined(separator: ", ")
    }
}

extension Answer {
    /// One line: the kind of answer, its error, its output fields in key order, its detail.
    var reportText: String {
        var parts = [kind.rawValue]
        if let error { parts.append("error \(error)") }
        parts += ReportText.fields(output)
        if let detail, !detail.isEmpty { parts.append("detail: \(detail)") }
        return parts.joined(separator: ", ")
    }
}

/// Small formatting rules shared by the writers.
enum ReportText {
    /// What a case without a recorded answer shows as its actual answer.
    static let noAnswer = "no answer"

    /// `key=value` for each output field, in key order.
    static func fields(_ output: [String: String]?) -> [String] {
        (output ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    /// The actual answer of `c` in one line.
    static func actual(_ c: CaseResult) -> String { c.actual?.reportText ?? noAnswer }

    /// `ms` milliseconds as seconds with three decimals, independent of locale; 0 for a negative or non-finite value.
    static func seconds(milliseconds ms: Double) -> String {
        guard ms.isFinite, ms > 0, ms < 1e15 else { return "0.000" }
        let total = Int(ms.rounded())
        let fraction = String(total % 1000)
        return "\(total / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// What DESIGN.md says an exit code means.
    static func exitMeaning(_ code: Int32) -> String {
        switch code {
        case 0: "expectations met"
        case 1: "unexpected results"
        case 2: "usage or configuration error"
        case 3: "inconclusive"
        default: "unknown"
        }
    }
}
