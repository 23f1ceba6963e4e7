/// The case tables of the HTML report: areas, non-passing cases, passing cases.
extension HTMLWriter {
    /// The order non-passing cases are listed in: what fails the run first, then what leaves it incomplete.
    static let problemOrder: [Outcome] = [.crash, .timeout, .fail, .xpass, .error, .unsupported, .xfail, .skipped]

    /// Per area: disposition and counts by outcome, for all cases and for each level present.
    static func areaTable(_ r: RunResults) -> String {
        let outcomes = r.reportedOutcomes
        var html = "<section>\n<h2>Areas</h2>\n<table class=\"areas\">\n<thead><tr><th scope=\"col\">Area</th>"
        html += "<th scope=\"col\">Disposition</th><th scope=\"col\">Level</th><th scope=\"col\" class=\"n\">Cases</th>"
        for o in outcomes { html += "<th scope=\"col\" class=\"n\">\(esc(o.rawValue))</th>" }
        html += "</tr></thead>\n"
        for (area, cases) in r.casesByArea {
            let s = r.areaSummary(area, cases: cases)
            var rows: [(String, [String: Int])] = []
            if !s.required.isEmpty { rows.append(("required", s.required)) }
            if !s.recommended.isEmpty { rows.append(("recommended", s.recommended)) }
            if rows.count != 1 { rows.insert(("all", s.counts), at: 0) }
            html += "<tbody>\n"
            for (i, (level, counts)) in rows.enumerated() {
                html += "<tr>"
                if i == 0 {
                    html += "<th scope=\"rowgroup\" rowspan=\"\(rows.count)\">\(esc(area))</th>"
                    html += "<td rowspan=\"\(rows.count)\">\(badge(s.disposition))</td>"
                }
                html += "<td>\(level)</td>" + countCells(counts, outcomes) + "</tr>\n"
            }
            html += "</tbody>\n"
        }
        html += "<tfoot><tr><th scope=\"row\">All areas</th><td>\(badge(r.summary.verdict))</td><td>all</td>"
        html += countCells(r.summary.counts, outcomes) + "</tr></tfoot>\n"
        return html + "</table>\n</section>\n"
    }

    private static func countCells(_ counts: [String: Int], _ outcomes: [Outcome]) -> String {
        var html = "<td class=\"n\">\(counts.values.reduce(0, +))</td>"
        for o in outcomes {
            let n = counts[o.rawValue] ?? 0
            html += n == 0 ? "<td class=\"n z\">0</td>" : "<td class=\"n\">\(n)</td>"
        }
        return html
    }

    /// Every case that did not pass, grouped by area, with expected vs actual.
    static func problems(_ r: RunResults) -> String {
        var html = "<section>\n<h2>Cases that did not pass</h2>\n"
        var any = false
        for (area, cases) in r.casesByArea {
            let listed = cases.enumerated().filter { $0.element.outcome != .pass }.sorted {
                (rank($0.element.outcome), $0.offset) < (rank($1.element.outcome), $1.offset)
            }
            guard !listed.isEmpty else { continue }
            any = true
            html += "<h3>\(esc(area)) <span class=\"muted\">(\(listed.count))</span></h3>\n"
            html += "<table class=\"cases\">\n<thead><tr><th scope=\"col\">Case</th><th scope=\"col\">Outcome</th>"
            html += "<th scope=\"col\">Expected</th><th scope=\"col\">Actual</th><th scope=\"col\">Reason</th>"
            html += "<th scope=\"col\">Flags</th><th scope=\"col\">Spec refs</th></tr></thead>\n<tbody>\n"
            for (_, c) in listed { html += problemRow(c) }
            html += "</tbody>\n</table>\n"
        }
        if !any { html += "<p class=\"muted\">Every case passed.</p>\n" }
        return html + "</section>\n"
    }

    private static func rank(_ o: Outcome) -> Int { problemOrder.firstIndex(of: o) ?? problemOrder.count }

    private static func problemRow(_ c: CaseResult) -> String {
        var notes: [String] = []
        if c.level == "recommended" { notes.append("recommended") }
        if let v = c.vector { notes.append("tcId \(v.tcId) in \(esc(v.file))") }
        if c.attempts > 1 { notes.append("\(c.attempts) attempts") }
        var caseCell = "<code>\(esc(c.id))</code>"
        if !notes.isEmpty { caseCell += "<div class=\"sub\">\(notes.joined(separator: "; "))</div>" }
        if let comment = c.comment, !comment.isEmpty { caseCell += "<div class=\"sub\">\(esc(comment))</div>" }
        let known = Outcome.all.contains(c.outcome) ? c.outcome.rawValue : "other"
        let flags = c.flags.map { "<code>\(esc($0))</code>" }.joined(separator: " ")
        let refs = c.specRefs.map { "<div>\(esc($0))</div>" }.joined()
        return "<tr><td>\(caseCell)</td>"
            + "<td><span class=\"o o-\(known)\">\(esc(c.outcome.rawValue))</span></td>"
            + "<td class=\"pre\">\(esc(c.expected.reportText))</td>"
            + "<td class=\"pre\">\(esc(ReportText.actual(c)))</td>"
            + "<td class=\"pre\">\(esc(c.reason ?? ""))</td>"
            + "<td>\(flags)</td><td>\(refs)</td></tr>\n"
    }

    /// The passing cases, folded away.
    static func passing(_ r: RunResults) -> String {
        let passed = r.cases.filter { $0.outcome == .pass }
        var html = "<section>\n<h2>Passing cases</h2>\n<details>\n<summary>\(passed.count) passing case"
        html += passed.count == 1 ? "" : "s"
        html +=
            "</summary>\n<table class=\"cases\">\n<thead><tr><th scope=\"col\">Case</th><th scope=\"col\">Level</th>"
        html += "<th scope=\"col\" class=\"n\">Time (s)</th></tr></thead>\n<tbody>\n"
        for c in passed {
            html += "<tr><td><code>\(esc(c.id))</code></td><td>\(esc(c.level))</td>"
            html += "<td class=\"n\">\(ReportText.seconds(milliseconds: c.durationMs))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</details>\n</section>\n"
    }
}
