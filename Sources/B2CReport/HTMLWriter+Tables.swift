/// The case tables of the HTML report: areas, failures grouped by reason, unsupported and other cases apart,
/// passing cases folded away. Every case row carries the case id as its element id, so `report.html#<case id>` links
/// to it.
extension HTMLWriter {
    /// The outcomes that make a run fail, in the order the report lists them.
    static let failureOutcomes: [Outcome] = [.crash, .timeout, .fail, .xpass, .error]
    /// Groups with at most this many cases are shown open.
    static let openGroupLimit = 10

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

    /// The filter box; the inline script at the end of the page makes it work (`?filter=TEXT` fills it).
    static func filterBox(_ r: RunResults) -> String {
        "<section class=\"filter\">\n<label for=\"filter\">Filter cases</label> "
            + "<input type=\"search\" id=\"filter\" placeholder=\"id, reason, error code, flag, hex…\"/> "
            + "<span id=\"shown\" class=\"muted\">\(r.cases.count) cases</span>\n</section>\n"
    }

    /// The cases that fail the run, grouped by reason (most frequent first), with a table of the groups.
    static func failures(_ r: RunResults, rules: RuleLinks?) -> String {
        let groups = r.groups(of: Set(failureOutcomes))
        var html = "<section id=\"failures\">\n<h2>Failures by reason</h2>\n"
        guard !groups.isEmpty else { return html + "<p class=\"muted\">Nothing failed.</p>\n</section>\n" }
        let total = groups.reduce(0) { $0 + $1.cases.count }
        html +=
            "<p>\(total) case\(total == 1 ? "" : "s") in \(groups.count) group\(groups.count == 1 ? "" : "s").</p>\n"
        html += "<table class=\"groups\">\n<thead><tr><th scope=\"col\" class=\"n\">Cases</th>"
        html += "<th scope=\"col\">Outcome</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n"
        for (i, g) in groups.enumerated() {
            html += "<tr><td class=\"n\">\(g.cases.count)</td><td>\(outcomeBadge(g.outcome))</td>"
            html += "<td><a href=\"#failure-\(i + 1)\">\(esc(g.key))</a></td></tr>\n"
        }
        html += "</tbody>\n</table>\n"
        for (i, g) in groups.enumerated() {
            html += group(g, id: "failure-\(i + 1)", open: g.cases.count <= openGroupLimit, rules: rules)
        }
        return html + "</section>\n"
    }

    /// Cases the target does not claim, and cases skipped or expected to fail: apart from the failures, folded.
    static func others(_ r: RunResults, rules: RuleLinks?) -> String {
        var html = ""
        let sections: [(id: String, title: String, outcomes: Set<Outcome>, none: String)] = [
            ("unsupported", "Not supported by the target", [.unsupported], "The target supports every case run."),
            (
                "set-aside", "Skipped and expected failures", [.skipped, .xfail],
                "No case was skipped or expected to fail."
            ),
        ]
        for s in sections {
            let groups = r.groups(of: s.outcomes)
            html += "<section id=\"\(s.id)\">\n<h2>\(s.title)</h2>\n"
            if groups.isEmpty {
                html += "<p class=\"muted\">\(s.none)</p>\n"
            } else {
                for (i, g) in groups.enumerated() {
                    html += group(g, id: "\(s.id)-\(i + 1)", open: false, rules: rules, dumps: false)
                }
            }
            html += "</section>\n"
        }
        let unknown = r.groups(of: Set(r.reportedOutcomes).subtracting(Outcome.all))
        if !unknown.isEmpty {
            html += "<section id=\"other\">\n<h2>Other outcomes</h2>\n"
            for (i, g) in unknown.enumerated() { html += group(g, id: "other-\(i + 1)", open: true, rules: rules) }
            html += "</section>\n"
        }
        return html
    }

    /// A group of cases under its count and reason; `dumps` false leaves the input bytes to `results.json`.
    private static func group(_ g: CaseGroup, id: String, open: Bool, rules: RuleLinks?, dumps: Bool = true) -> String {
        var html = "<details class=\"group\" id=\"\(id)\"\(open ? " open=\"open\"" : "")>\n"
        html += "<summary>\(g.cases.count) × \(outcomeBadge(g.outcome)) \(esc(g.key))</summary>\n"
        html += "<table class=\"cases\">\n<thead><tr><th scope=\"col\">Case</th><th scope=\"col\">Expected and got</th>"
        html += "<th scope=\"col\">Why</th><th scope=\"col\">Input</th></tr></thead>\n<tbody>\n"
        for c in g.cases { html += caseRow(c, rules: rules, dump: dumps) }
        return html + "</tbody>\n</table>\n</details>\n"
    }

    static func outcomeBadge(_ o: Outcome) -> String {
        let known = Outcome.all.contains(o) ? o.rawValue : "other"
        return "<span class=\"o o-\(known)\">\(esc(o.rawValue))</span>"
    }

    /// One case: its id (a link to itself), origin, flags and references; expected vs got; why; its input.
    static func caseRow(_ c: CaseResult, rules: RuleLinks?, dump: Bool = true) -> String {
        var notes: [String] = [outcomeBadge(c.outcome)]
        if c.level == "recommended" { notes.append("recommended") }
        if let v = c.vector { notes.append("tcId \(v.tcId) in <code>\(esc(v.file))</code>") }
        if c.attempts > 1 { notes.append("\(c.attempts) attempts") }
        var caseCell = "<a class=\"id\" href=\"#\(esc(c.id))\"><code>\(esc(c.id))</code></a>"
        caseCell += "<div class=\"sub\">\(notes.joined(separator: " · "))</div>"
        if let comment = c.comment, !comment.isEmpty { caseCell += "<div class=\"sub\">\(esc(comment))</div>" }
        if !c.flags.isEmpty {
            let flags = c.flags.map { flag in
                let code = "<code>\(esc(flag))</code>"
                guard let href = rules?.href(area: c.area, rule: flag) else { return code }
                return "<a href=\"\(esc(href))\">\(code)</a>"
            }
            caseCell += "<div class=\"sub\">rules: \(flags.joined(separator: " "))</div>"
        }
        if !c.specRefs.isEmpty {
            caseCell += "<div class=\"sub\">refs: \(c.specRefs.map(esc).joined(separator: "; "))</div>"
        }
        let answers =
            "<div><span class=\"muted\">expected</span> \(esc(clip(c.expected.reportText)))</div>"
            + "<div><span class=\"muted\">got</span> \(esc(clip(ReportText.actual(c))))</div>"
        return "<tr class=\"case\" id=\"\(esc(c.id))\"><td>\(caseCell)</td><td class=\"pre\">\(answers)</td>"
            + "<td>\(why(c))</td><td>\(input(c, dump: dump))</td></tr>\n"
    }

    /// The reason, and for a wrong value both values in full (folded) with the first differing byte marked.
    static func why(_ c: CaseResult) -> String {
        var html = "<div class=\"pre\">\(esc(c.reason ?? ""))</div>"
        guard let m = c.mismatch else { return html }
        if m.offset != nil || m.explanation != nil {
            var facts = ["field <code>\(esc(m.field))</code>"]
            if let at = m.offset { facts.append("first difference at byte \(at)") }
            if let words = m.explanation { facts.append(esc(words)) }
            html += "<div class=\"sub\">\(facts.joined(separator: " · "))</div>"
        }
        if m.expected.count + m.got.count > 2 * clipLength {
            html += "<details><summary>expected and got in full</summary>"
            html += "<div class=\"muted\">expected</div>\(hexdump(m.expected, mark: m.offset))"
            html += "<div class=\"muted\">got</div>\(hexdump(m.got, mark: m.offset))</details>"
        }
        return html
    }

    /// The case's input, folded: inline hex as a dump, or the blob to find it in; and the other arguments.
    static func input(_ c: CaseResult, dump: Bool = true) -> String {
        guard let i = c.input else { return "<span class=\"muted\">not recorded</span>" }
        var html = "<details><summary>\(esc(i.field)), \(i.length) byte\(i.length == 1 ? "" : "s")</summary>"
        if let hex = i.hex {
            html += dump ? hexdump(hex, mark: nil) : "<div class=\"sub\">bytes in results.json</div>"
        }
        if let blob = i.blob { html += "<div class=\"sub\">vector blob <code>\(esc(blob))</code></div>" }
        if let sha = i.sha256 { html += "<div class=\"sub\">SHA-256 <code>\(esc(sha))</code></div>" }
        if let args = i.arguments { html += "<div class=\"sub\">arguments</div><div class=\"pre\">\(esc(args))</div>" }
        return html + "</details>"
    }

    /// Values longer than this are clipped in the expected and got column.
    static let clipLength = 96

    static func clip(_ s: String) -> String {
        s.count <= clipLength ? s : String(s.prefix(clipLength)) + "… (\(s.count) characters)"
    }

    /// Hex as lines of 16 bytes with their offsets, the byte at `mark` highlighted; text that is not hex is shown
    /// wrapped as it is.
    static func hexdump(_ hex: String, mark: Int?) -> String {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0, digits.allSatisfy({ Markup.isHexDigit($0) }) else {
            return "<div class=\"pre\">\(esc(hex))</div>"
        }
        var html = "<pre class=\"hex\">"
        let count = digits.count / 2
        var line = 0
        while line * 16 < count {
            let offset = String(line * 16, radix: 16)
            html += String(repeating: "0", count: max(0, 6 - offset.count)) + offset + " "
            for i in (line * 16)..<min(count, line * 16 + 16) {
                let byte = String(decoding: digits[(2 * i)..<(2 * i + 2)], as: UTF8.self)
                html += i == mark ? " <mark>\(byte)</mark>" : " " + byte
            }
            html += "\n"
            line += 1
        }
        return html + "</pre>"
    }

    /// The passing cases, folded away: their ids, level and time (their inputs are in `results.json`, which keeps the
    /// report small enough to mail).
    static func passing(_ r: RunResults) -> String {
        let passed = r.cases.filter { $0.outcome == .pass }
        var html = "<section id=\"passing\">\n<h2>Passing cases</h2>\n<details class=\"group\">\n<summary>"
        html += "\(passed.count) passing case\(passed.count == 1 ? "" : "s")</summary>\n<table class=\"cases\">\n"
        html += "<thead><tr><th scope=\"col\">Case</th><th scope=\"col\">Level</th>"
        html += "<th scope=\"col\" class=\"n\">Time (s)</th></tr></thead>\n<tbody>\n"
        for c in passed {
            html += "<tr class=\"case\" id=\"\(esc(c.id))\"><td><a class=\"id\" href=\"#\(esc(c.id))\">"
            html += "<code>\(esc(c.id))</code></a></td><td>\(esc(c.level))</td>"
            html += "<td class=\"n\">\(ReportText.seconds(milliseconds: c.durationMs))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</details>\n</section>\n"
    }
}

/// Where the report links a case's rule ids: the rule texts under `docs/rules/`, one file per area, one heading per
/// rule (`docs/rules/mcuboot.md#n4`).
public struct RuleLinks: Sendable, Equatable {
    /// The rules directory as the report's reader reaches it, relative to the report (`../../docs/rules`).
    public var base: String
    /// The areas that have a rules file.
    public var areas: Set<String>

    public init(base: String, areas: Set<String>) {
        self.base = base
        self.areas = areas
    }

    /// The link for `rule` of `area`, or nil when the area has no rules file.
    func href(area: String, rule: String) -> String? {
        guard areas.contains(area) else { return nil }
        return "\(base)/\(area).md#\(Self.anchor(rule))"
    }

    /// A heading's anchor as Markdown renderers make it: lower case, spaces to hyphens, other punctuation dropped.
    public static func anchor(_ heading: String) -> String {
        String(
            heading.lowercased().unicodeScalars.compactMap { s -> Character? in
                if s == " " { return "-" }
                if s == "-" || s == "_" || s.properties.isAlphabetic || s.properties.numericType != nil {
                    return Character(s)
                }
                return nil
            }
        )
    }
}
