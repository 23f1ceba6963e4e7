/// JUnit XML generated from `results.json`, for CI systems that display test reports (spec-notes C.6).
///
/// One `testsuite` per area, named after it, with the run's identity and the area's disposition as properties; one
/// `testcase` per case, with classname `<area>.<suite>`, the case id as name and its duration in seconds. `fail`,
/// `crash`, `timeout` and `xpass` become a `failure` whose `type` is the outcome; `error` becomes an `error`;
/// `unsupported`, `skipped` and `xfail` become `skipped`. An outcome this writer does not know becomes an `error`, so
/// it is never shown as a pass. Stale expectations fail a run, so each becomes a failing testcase (type `stale`) in a
/// last suite named `expectations`, and CI that reads only the XML still sees them.
public enum JUnitWriter {
    /// The XML document for `results`, ending in a newline.
    public static func render(_ results: RunResults) -> String {
        var suites: [String] = []
        var total = Tally()
        for (area, cases) in results.casesByArea {
            var tally = Tally()
            var body = ""
            for c in cases {
                tally.add(element(for: c.outcome), milliseconds: c.durationMs)
                body += testcase(c)
            }
            let disposition = results.areaSummary(area, cases: cases).disposition
            suites.append(
                open("testsuite", name: area, tally) + properties(results, disposition: disposition) + body
                    + "  </testsuite>\n"
            )
            total.merge(tally)
        }
        if let expectations = results.expectations, !expectations.stale.isEmpty {
            var tally = Tally()
            var body = ""
            for entry in expectations.stale {
                tally.add(.failure, milliseconds: 0)
                body += staleTestcase(entry, file: expectations.file)
            }
            let props = "    <properties>\n" + property("file", expectations.file) + "    </properties>\n"
            suites.append(open("testsuite", name: "expectations", tally) + props + body + "  </testsuite>\n")
            total.merge(tally)
        }
        if !results.summary.isComplete {
            var tally = Tally()
            tally.add(.error, milliseconds: 0)
            let missing = results.summary.missingCases
            let planned = results.summary.plannedCases ?? results.cases.count
            let message =
                "the run recorded \(planned - missing) of its \(planned) cases; finish it with b2c run --resume"
            let body =
                "    <testcase classname=\"run\" name=\"incomplete\" time=\"0.000\">\n"
                + "      <error type=\"incomplete\" message=\"\(Markup.xmlAttribute(message))\">"
                + Markup.xmlText("\(missing) planned cases have no result") + "</error>\n    </testcase>\n"
            let props = "    <properties>\n" + property("complete", "false") + "    </properties>\n"
            suites.append(open("testsuite", name: "run", tally) + props + body + "  </testsuite>\n")
            total.merge(tally)
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + open("testsuites", name: "b2c \(results.target.name)", total, indent: "")
            + suites.joined() + "</testsuites>\n"
    }

    /// The JUnit element that reports a case with `outcome`.
    enum Element: Equatable {
        case none, failure, error, skipped
    }

    /// The element for `outcome`; see the type's documentation.
    static func element(for outcome: Outcome) -> Element {
        switch outcome {
        case .pass: .none
        case .fail, .crash, .timeout, .xpass: .failure
        case .unsupported, .skipped, .xfail: .skipped
        default: .error
        }
    }

    /// Counts of one suite or of the whole document.
    private struct Tally {
        var tests = 0
        var failures = 0
        var errors = 0
        var skipped = 0
        var milliseconds = 0.0

        mutating func add(_ element: Element, milliseconds ms: Double) {
            tests += 1
            switch element {
            case .failure: failures += 1
            case .error: errors += 1
            case .skipped: skipped += 1
            case .none: break
            }
            if ms.isFinite, ms > 0 { milliseconds += ms }
        }

        mutating func merge(_ other: Tally) {
            tests += other.tests
            failures += other.failures
            errors += other.errors
            skipped += other.skipped
            milliseconds += other.milliseconds
        }
    }

    private static func open(_ tag: String, name: String, _ t: Tally, indent: String = "  ") -> String {
        "\(indent)<\(tag) name=\"\(Markup.xmlAttribute(name))\" tests=\"\(t.tests)\" failures=\"\(t.failures)\""
            + " errors=\"\(t.errors)\" skipped=\"\(t.skipped)\""
            + " time=\"\(ReportText.seconds(milliseconds: t.milliseconds))\">\n"
    }

    private static func properties(_ r: RunResults, disposition: Disposition) -> String {
        let values: [(String, String?)] = [
            ("target", r.target.name),
            ("implementation", r.target.implementation),
            ("implementationVersion", r.target.implementationVersion),
            ("tool", r.run.tool),
            ("run", r.run.id),
            ("seed", r.run.seed),
            ("vectorsManifestSha256", r.run.vectorsManifestSha256),
            ("disposition", disposition.rawValue),
        ]
        let lines = values.compactMap { name, value in value.map { property(name, $0) } }
        return "    <properties>\n" + lines.joined() + "    </properties>\n"
    }

    private static func property(_ name: String, _ value: String) -> String {
        "      <property name=\"\(name)\" value=\"\(Markup.xmlAttribute(value))\"/>\n"
    }

    private static func testcase(_ c: CaseResult) -> String {
        let head =
            "    <testcase classname=\"\(Markup.xmlAttribute("\(c.area).\(c.suite)"))\""
            + " name=\"\(Markup.xmlAttribute(c.id))\" time=\"\(ReportText.seconds(milliseconds: c.durationMs))\""
        let message = Markup.xmlAttribute(c.reason ?? c.outcome.rawValue)
        let type = Markup.xmlAttribute(c.outcome.rawValue)
        let inner: String
        switch element(for: c.outcome) {
        case .none:
            return head + "/>\n"
        case .skipped:
            inner = "      <skipped message=\"\(message)\"/>\n"
        case .failure:
            inner = "      <failure type=\"\(type)\" message=\"\(message)\">\(Markup.xmlText(details(c)))</failure>\n"
        case .error:
            inner = "      <error type=\"\(type)\" message=\"\(message)\">\(Markup.xmlText(details(c)))</error>\n"
        }
        return head + ">\n" + inner + "    </testcase>\n"
    }

    private static func staleTestcase(_ entry: String, file: String) -> String {
        "    <testcase classname=\"expectations.stale\" name=\"\(Markup.xmlAttribute(entry))\" time=\"0.000\">\n"
            + "      <failure type=\"stale\" message=\"expectation matches no case or the case now passes\">"
            + Markup.xmlText("stale entry in \(file): \(entry)") + "</failure>\n"
            + "    </testcase>\n"
    }

    /// The body of a failure or error: expected vs actual (ACVP's `showExpected`), then what helps to reproduce it.
    private static func details(_ c: CaseResult) -> String {
        var lines = [
            "expected: \(c.expected.reportText)",
            "actual: \(ReportText.actual(c))",
        ]
        if let reason = c.reason, !reason.isEmpty { lines.append("reason: \(reason)") }
        lines.append("level: \(c.level)")
        if !c.flags.isEmpty { lines.append("flags: \(c.flags.joined(separator: ", "))") }
        if !c.specRefs.isEmpty { lines.append("spec: \(c.specRefs.joined(separator: "; "))") }
        if let comment = c.comment, !comment.isEmpty { lines.append("comment: \(comment)") }
        if let v = c.vector { lines.append("vector: \(v.file) tcId \(v.tcId)") }
        if c.attempts > 1 { lines.append("attempts: \(c.attempts)") }
        return lines.joined(separator: "\n")
    }
}
