/// Counts and dispositions derived from the case records; never stored on its own.
public struct Summary: Codable, Sendable, Equatable {
    public var counts: [String: Int]
    public var areas: [AreaSummary]
    /// The worst disposition among the areas that have cases.
    public var verdict: Disposition
    public var staleExpectations: Int
    /// How many cases the selection holds, when the run said (nil in older files).
    public var plannedCases: Int?
    /// How many planned cases have no record yet: a run killed before the end, until `--resume` completes it.
    public var missingCases: Int

    /// Whether every planned case has a record.
    public var isComplete: Bool { missingCases == 0 }

    /// The summary of `cases`. With `planned` (cases of the selection by area), an area with fewer records is at
    /// best `incomplete`, and so is the verdict: a run that did not finish is never conformant.
    public init(cases: [CaseResult], staleExpectations: Int = 0, planned: [String: Int]? = nil) {
        var counts: [String: Int] = [:]
        for c in cases { counts[c.outcome.rawValue, default: 0] += 1 }
        self.counts = counts
        var byArea: [String: [CaseResult]] = [:]
        var order: [String] = []
        for c in cases {
            if byArea[c.area] == nil { order.append(c.area) }
            byArea[c.area, default: []].append(c)
        }
        for area in (planned ?? [:]).keys.sorted() where byArea[area] == nil { order.append(area) }
        self.areas = order.map { area in
            var a = AreaSummary(area: area, cases: byArea[area] ?? [])
            a.planned = planned?[area]
            if let p = a.planned, (byArea[area]?.count ?? 0) < p,
                a.disposition.severity < Disposition.incomplete.severity
            {
                a.disposition = .incomplete
            }
            return a
        }
        self.staleExpectations = staleExpectations
        self.plannedCases = planned.map { $0.values.reduce(0, +) }
        self.missingCases = (planned ?? [:]).reduce(0) { $0 + max(0, $1.value - (byArea[$1.key]?.count ?? 0)) }
        var verdict = Disposition.conformant
        for a in areas where a.disposition.severity > verdict.severity { verdict = a.disposition }
        if staleExpectations > 0 { verdict = .nonconformant }
        if missingCases > 0 && verdict.severity < Disposition.incomplete.severity { verdict = .incomplete }
        self.verdict = verdict
    }

    /// The exit code DESIGN.md gives a run: 0 expectations met, 1 unexpected results, 3 inconclusive (a harness
    /// error, or a run that has not recorded every planned case).
    public var exitCode: Int32 {
        let unexpected = Outcome.all.filter(\.isUnexpected).contains { (counts[$0.rawValue] ?? 0) > 0 }
        if unexpected || staleExpectations > 0 { return 1 }
        if (counts[Outcome.error.rawValue] ?? 0) > 0 || !isComplete { return 3 }
        return 0
    }
}

/// One area's counts by outcome and level, and its disposition.
public struct AreaSummary: Codable, Sendable, Equatable {
    public var area: String
    public var disposition: Disposition
    public var counts: [String: Int]
    public var required: [String: Int]
    public var recommended: [String: Int]
    /// The area's cases in the run's selection, when the run said.
    public var planned: Int?

    public init(area: String, cases: [CaseResult]) {
        self.area = area
        var counts: [String: Int] = [:]
        var required: [String: Int] = [:]
        var recommended: [String: Int] = [:]
        var disposition = Disposition.conformant
        for c in cases {
            counts[c.outcome.rawValue, default: 0] += 1
            let isRequired = c.level != "recommended"
            if isRequired {
                required[c.outcome.rawValue, default: 0] += 1
            } else {
                recommended[c.outcome.rawValue, default: 0] += 1
            }
            let caseDisposition: Disposition
            switch c.outcome {
            case .crash, .timeout, .xpass: caseDisposition = .nonconformant
            case .fail: caseDisposition = isRequired ? .nonconformant : .conformant
            case .error: caseDisposition = .incomplete
            case .unsupported: caseDisposition = isRequired ? .incomplete : .conformant
            default: caseDisposition = .conformant
            }
            if caseDisposition.severity > disposition.severity { disposition = caseDisposition }
        }
        self.disposition = disposition
        self.counts = counts
        self.required = required
        self.recommended = recommended
    }
}
