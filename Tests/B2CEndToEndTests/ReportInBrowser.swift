import B2CReport
import B2CTestSupport
import Foundation
import Testing

/// Opens a run's `report.html` in headless Chromium and checks what a reader sees: the failures grouped by reason
/// with their counts, the filter box narrowing the cases to one (its script ran), and that case's input.
enum ReportInBrowser {
    static func check(_ out: String, _ results: RunResults, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let report = out + "/report.html"
        let dom = try browserDOM(report)
        // Grouped failures: one group per (outcome, category), its count in its summary.
        let failing = results.cases.filter { [.fail, .crash, .timeout, .error, .xpass].contains($0.outcome) }
        #expect(!failing.isEmpty, sourceLocation: sourceLocation)
        var counts: [String: Int] = [:]
        for c in failing { counts[c.outcome.rawValue + " " + (c.category ?? c.reason ?? ""), default: 0] += 1 }
        #expect(dom.components(separatedBy: "<details class=\"group\" id=\"failure-").count - 1 == counts.count)
        let summaries = Set(
            matches(#"<summary>(\d+) × <span class="o o-[a-z]+">([a-z]+)</span> ([^<]*)</summary>"#, dom)
        )
        for (key, n) in counts {
            #expect(
                summaries.contains("\(n) \(key.replacingOccurrences(of: "&", with: "&amp;"))"),
                "no group \(n) × \(key)",
                sourceLocation: sourceLocation
            )
        }

        // The filter: one failing case's id leaves that case and the cases whose id contains it.
        let pick = try #require(failing.first { $0.input != nil }, sourceLocation: sourceLocation)
        let filtered = try browserDOM(report, query: "filter=" + pick.id)
        let expectedHits = results.cases.filter { $0.id.contains(pick.id) || ($0.comment ?? "").contains(pick.id) }
            .count
        #expect(
            filtered.contains(">\(expectedHits) of \(results.cases.count) cases match<"),
            "filter count for \(pick.id)",
            sourceLocation: sourceLocation
        )
        let hidden = filtered.components(separatedBy: "\" hidden=\"\"><td>").count - 1
        #expect(hidden == results.cases.count - expectedHits, sourceLocation: sourceLocation)
        let row = try #require(
            rowHTML(filtered, id: pick.id),
            "no visible row for \(pick.id)",
            sourceLocation: sourceLocation
        )

        // Its input, as results.json records it: a dump of the bytes, or the blob they are in.
        let input = try #require(pick.input, sourceLocation: sourceLocation)
        if let hex = input.hex {
            let bytes = stride(from: 0, to: min(hex.count, 32), by: 2).map { i -> String in
                let start = hex.index(hex.startIndex, offsetBy: i)
                return String(hex[start..<hex.index(start, offsetBy: 2)])
            }
            #expect(
                row.contains("000000  " + bytes.joined(separator: " ")),
                "\(pick.id): no dump of its input",
                sourceLocation: sourceLocation
            )
        } else {
            let blob = try #require(input.blob, sourceLocation: sourceLocation)
            #expect(row.contains("vector blob <code>\(blob)</code>"), sourceLocation: sourceLocation)
        }
        #expect(row.contains("\(input.length) byte"), sourceLocation: sourceLocation)
    }

    /// The `<tr>` of case `id`, when it is not hidden.
    static func rowHTML(_ dom: String, id: String) -> String? {
        guard let start = dom.range(of: "<tr class=\"case\" id=\"\(id)\"><td>") else { return nil }
        guard let end = dom.range(of: "</tr>", range: start.upperBound..<dom.endIndex) else { return nil }
        return String(dom[start.lowerBound..<end.upperBound])
    }

    /// Each match of `pattern`, its capture groups joined with spaces.
    static func matches(_ pattern: String, _ text: String) -> [String] {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = text as NSString
        return re.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
            (1..<m.numberOfRanges).map { ns.substring(with: m.range(at: $0)) }.joined(separator: " ")
        }
    }
}
