/// A single self-contained HTML5 report generated from `results.json` (spec-notes C.6).
///
/// Inline CSS and one small inline script (the filter box), no external resources, so it can be attached to a CI
/// run or mailed. It shows the verdict and the run's identity; per area, the disposition and the counts by outcome
/// and level; the failures grouped by reason, most frequent first, each case with expected vs got, the first
/// differing byte and its input (folded); the unsupported, skipped and expected-to-fail cases apart; the passing
/// cases folded away; and the stale expectations. Each case row's id is the case id (`report.html#cbor/x/tc3`).
/// Every string from the results is escaped (see `Markup`). The markup is also well-formed XML, which lets the
/// tests inspect it with an XML parser; the script therefore holds no `<` or `&`.
public enum HTMLWriter {
    /// The HTML document for `results`, ending in a newline; rule ids link to `rules` when given.
    public static func render(_ results: RunResults, rules: RuleLinks? = nil) -> String {
        let verdict = results.summary.verdict
        var html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        html += "<title>b2c: \(esc(results.target.name)): \(esc(verdict.rawValue))</title>\n"
        html += "<style>\n\(stylesheet)</style>\n</head>\n<body>\n"
        html += banner(results)
        html += areaTable(results)
        html += filterBox(results)
        html += failures(results, rules: rules)
        html += others(results, rules: rules)
        html += passing(results)
        html += stale(results)
        html += identity(results)
        html += "<footer>Generated from results.json (\(esc(results.schema))).</footer>\n"
        html += "<script>\n\(script)</script>\n</body>\n</html>\n"
        return html
    }

    /// `s` escaped for HTML text and attribute values.
    static func esc(_ s: String) -> String { Markup.html(s) }

    /// The CSS class suffix for a disposition; `other` for one this writer does not know.
    static func dispositionClass(_ d: Disposition) -> String {
        [Disposition.conformant, .nonconformant, .incomplete].contains(d) ? d.rawValue : "other"
    }

    /// A disposition as a labelled badge.
    static func badge(_ d: Disposition) -> String {
        "<span class=\"d d-\(dispositionClass(d))\">\(esc(d.rawValue))</span>"
    }

    private static func banner(_ r: RunResults) -> String {
        let verdict = r.summary.verdict
        let code = r.summary.exitCode
        var implementation = r.target.implementation.map { " (\(esc($0))" } ?? ""
        if !implementation.isEmpty {
            implementation += r.target.implementationVersion.map { " \(esc($0))" } ?? ""
            implementation += ")"
        }
        var tally = r.reportedOutcomes.compactMap { o -> String? in
            guard let n = r.summary.counts[o.rawValue], n > 0 else { return nil }
            return "\(n) \(esc(o.rawValue))"
        }
        if tally.isEmpty { tally = ["none"] }
        let stale = r.summary.staleExpectations
        let staleText = stale == 0 ? "" : "; \(stale) stale expectation\(stale == 1 ? "" : "s")"
        var unfinished = ""
        if !r.summary.isComplete {
            let planned = r.summary.plannedCases ?? r.cases.count
            unfinished =
                "<p class=\"unfinished\"><strong>Unfinished run:</strong> \(planned - r.summary.missingCases) of "
                + "\(planned) planned cases have a result. Finish it with <code>b2c run --out DIR --resume</code>; "
                + "until then nothing here is a verdict on the cases not run.</p>\n"
        }
        return "<header class=\"banner v-\(dispositionClass(verdict))\">\n"
            + "<h1>b2c report: <span class=\"verdict\">\(esc(verdict.rawValue))</span></h1>\n"
            + "<p>Target <strong>\(esc(r.target.name))</strong>\(implementation). "
            + "Exit code \(code): \(ReportText.exitMeaning(code)).</p>\n"
            + "<p>\(r.cases.count) case\(r.cases.count == 1 ? "" : "s"): \(tally.joined(separator: ", "))\(staleText)."
            + "</p>\n" + unfinished + "</header>\n"
    }

    private static func identity(_ r: RunResults) -> String {
        let options = r.run.options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let rows: [(String, String?)] = [
            ("Run", r.run.id),
            ("Started", r.run.startedAt),
            ("Finished", r.run.finishedAt),
            ("Tool", r.run.tool),
            ("Seed", r.run.seed),
            ("Vectors manifest SHA-256", r.run.vectorsManifestSha256),
            ("Options", options.isEmpty ? nil : options.joined(separator: " ")),
            ("Target", r.target.name),
            ("Descriptor", r.target.descriptor),
            ("Transport", r.target.transport),
            ("Implementation", r.target.implementation),
            ("Implementation version", r.target.implementationVersion),
            ("Capabilities", r.target.capabilities.isEmpty ? nil : r.target.capabilities.joined(separator: " ")),
            ("Expectations file", r.expectations?.file),
        ]
        var html = "<section>\n<h2>Run</h2>\n<table class=\"kv\">\n<tbody>\n"
        for (label, value) in rows {
            let cell = value.map { "<code>\(esc($0))</code>" } ?? "<span class=\"muted\">none</span>"
            html += "<tr><th scope=\"row\">\(label)</th><td>\(cell)</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    private static func stale(_ r: RunResults) -> String {
        var html = "<section>\n<h2>Stale expectations</h2>\n"
        guard let expectations = r.expectations else {
            return html + "<p class=\"muted\">No expectations file was used.</p>\n</section>\n"
        }
        guard !expectations.stale.isEmpty else {
            return html + "<p class=\"muted\">None in <code>\(esc(expectations.file))</code>.</p>\n</section>\n"
        }
        html += "<p>Entries in <code>\(esc(expectations.file))</code> that match no case or whose case now passes. "
        html += "Each fails the run until it is removed.</p>\n<ul class=\"stale\">\n"
        for entry in expectations.stale { html += "<li><code>\(esc(entry))</code></li>\n" }
        return html + "</ul>\n</section>\n"
    }
}
