/// Counts and dispositions derived from the case records; never stored on its own.
public struct Summary: Codable, Sendable, Equatable {
    public var counts: [String: Int]
    public var areas: [AreaSummary]
    /// The worst disposition among the areas that have cases.
    public var verdict: Disposition
    public var staleExpectations: Int

    public init(cases: [CaseResult], staleExpectations: Int = 0) {
        var counts: [String: Int] = [:]
        for c in cases { counts[c.outcome.rawValue, default: 0] += 1 }
        self.counts = counts
        var byArea: [String: [CaseResult]] = [:]
        var order: [String] = []
        for c in cases {
            if byArea[c.area] == nil { order.append(c.area) }
            byArea[c.area, default: []].append(c)
        }
        self.areas = order.map { AreaSummary(area: $0, cases: byArea[$0] ?? []) }
        self.staleExpectations = staleExpectations
        var verdict = Disposition.conformant
        for a in areas where a.disposition.severity > verdict.severity { verdict = a.disposition }
        if staleExpectations > 0 { verdict = .nonconformant }
        self.verdict = verdict
    }

    /// The exit code DESIGN.md gives a finished run: 0 expectations met, 1 unexpected results, 3 inconclusive.
    public var exitCode: Int32 {
        let unexpected = Outcome.all.filter(\.isUnexpected).contains { (counts[$0.rawValue] ?? 0) > 0 }
        if unexpected || staleExpectations > 0 { return 1 }
        if (counts[Outcome.error.rawValue] ?? 0) > 0 { return 3 }
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
