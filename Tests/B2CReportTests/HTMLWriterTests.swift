import B2CReport
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("HTML writer")
struct HTMLWriterTests {
    /// Every known outcome, plus hostile text in a reason, a flag, an id and the target name.
    static var hostileRun: RunResults {
        var cases = Fixture.everyOutcome
        cases.append(
            Fixture.make(
                "h<script>1",
                outcome: .fail,
                reason: Fixture.hostile,
                flags: ["<b>flag</b>"],
                specRefs: ["RFC & co"]
            )
        )
        var results = Fixture.run(cases, stale: ["cbor/decode/<img src=x>"])
        results.target.name = "<iframe src=\"http://evil\">"
        return results
    }

    @Test("The report has no scripts and loads nothing from outside")
    func selfContained() throws {
        let html = HTMLWriter.render(Self.hostileRun)
        let lowered = html.lowercased()
        for needle in ["<script", "<iframe", "<img", "<link", "@import", "url("] {
            #expect(!lowered.contains(needle), "found \(needle)")
        }
        #expect(lowered.hasPrefix("<!doctype html>"))
        let doc = try XML.parse(html)
        #expect(try XML.elements(doc, "//*[@src or @href or @action or @style]").isEmpty)
        #expect(try XML.elements(doc, "//script | //link | //iframe | //img | //object | //embed").isEmpty)
        #expect(try XML.elements(doc, "/html/head/style").count == 1)
    }

    @Test("A hostile reason is escaped and its forbidden characters replaced")
    func hostileReasonEscaped() throws {
        let html = HTMLWriter.render(Self.hostileRun)
        #expect(html.contains("&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt; it&#39;s ]]&gt;"))
        #expect(html.contains("&lt;iframe src=&quot;http://evil&quot;&gt;"))
        #expect(!html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
        #expect(
            !html.unicodeScalars.contains { (0x7F...0x9F).contains($0.value) || (0xFFFE...0xFFFF).contains($0.value) }
        )

        // The text a reader sees is the reason with forbidden characters replaced and CR LF as LF.
        let doc = try XML.parse(html)
        let cells = try XML.elements(doc, "//table[@class='cases']//tr[td/code='cbor/decode/h<script>1']/td")
        let reason = try #require(cells.count == 7 ? cells[4].stringValue : nil)
        #expect(reason == Fixture.hostileSanitized.replacingOccurrences(of: "\r\n", with: "\n"))
    }

    @Test("Every case that did not pass is listed, grouped by area, and passing cases are folded away")
    func listsEveryNonPassCase() throws {
        let results = Self.hostileRun
        let doc = try XML.parse(HTMLWriter.render(results))
        let section = "//section[h2='Cases that did not pass']"
        let listed = try XML.elements(doc, "\(section)//tbody/tr/td[1]/code").compactMap(\.stringValue)
        let nonPass = results.cases.filter { $0.outcome != .pass }.map(\.id)
        #expect(listed.sorted() == nonPass.sorted())
        #expect(try XML.elements(doc, "\(section)/h3").compactMap { $0.stringValue } == ["cbor (5)", "cose (4)"])

        let cborRows = try XML.elements(doc, "\(section)/h3[1]/following-sibling::table[1]//tbody/tr/td[1]/code")
        #expect(cborRows.compactMap(\.stringValue).allSatisfy { $0.hasPrefix("cbor/") })

        let folded = try XML.elements(doc, "//details//tbody/tr/td[1]/code").compactMap(\.stringValue)
        #expect(folded == results.cases.filter { $0.outcome == .pass }.map(\.id))
        #expect(try XML.elements(doc, "//details/summary").first?.stringValue == "3 passing cases")
    }

    @Test("A non-passing row shows outcome, expected, actual, reason, flags and spec refs")
    func problemRow() throws {
        let doc = try XML.parse(HTMLWriter.render(Self.hostileRun))
        let cells = try XML.elements(doc, "//table[@class='cases']//tr[td/code='cbor/decode/h<script>1']/td")
        #expect(cells.count == 7)
        guard cells.count == 7 else { return }
        #expect(cells[1].stringValue == "fail")
        #expect(cells[2].stringValue == "invalid, error BAD_TAG")
        #expect(cells[3].stringValue == "ok, out=a1")
        #expect(cells[5].stringValue == "<b>flag</b>")
        #expect(cells[6].stringValue == "RFC & co")
    }

    @Test("The areas table shows each area's disposition and counts by level")
    func areaTable() throws {
        let results = Fixture.run([
            Fixture.make("a", outcome: .pass), Fixture.make("b", level: "recommended", outcome: .fail),
            Fixture.make("c", area: "cose", outcome: .error),
        ])
        let doc = try XML.parse(HTMLWriter.render(results))
        let bodies = try XML.elements(doc, "//table[@class='areas']/tbody")
        #expect(bodies.count == 2)
        guard bodies.count == 2 else { return }
        let heads = try XML.elements(doc, "//table[@class='areas']/thead/tr/th").compactMap(\.stringValue)
        #expect(Array(heads.prefix(6)) == ["Area", "Disposition", "Level", "Cases", "pass", "fail"])

        func rows(_ body: XMLElement) throws -> [[String]] {
            try XML.elements(body, "tr").map { try XML.elements($0, "th|td").compactMap(\.stringValue) }
        }
        let cbor = try rows(bodies[0]).map { Array($0.prefix(6)) }
        #expect(cbor.count == 3)
        #expect(cbor.first == ["cbor", "conformant", "all", "2", "1", "1"])
        #expect(
            cbor.dropFirst().map { Array($0.prefix(4)) } == [
                ["required", "1", "1", "0"], ["recommended", "1", "0", "1"],
            ]
        )
        let cose = try rows(bodies[1])
        #expect(cose.count == 1)
        #expect(Array(cose.first?.prefix(4) ?? []) == ["cose", "incomplete", "required", "1"])
        let foot = try XML.elements(doc, "//table[@class='areas']/tfoot/tr/*").compactMap(\.stringValue)
        #expect(Array(foot.prefix(4)) == ["All areas", "incomplete", "all", "3"])
    }

    @Test("The banner shows the verdict, the target and the exit code")
    func banner() throws {
        let doc = try XML.parse(HTMLWriter.render(Fixture.run([Fixture.make("e", outcome: .error)])))
        let header = try #require(XML.elements(doc, "//header").first)
        #expect(XML.attr(header, "class") == "banner v-incomplete")
        let text = header.stringValue ?? ""
        #expect(text.contains("b2c report: incomplete"))
        #expect(text.contains("Target ref-device (refimpl 1.2.3)"))
        #expect(text.contains("Exit code 3: inconclusive"))
        #expect(text.contains("1 case: 1 error."))
    }

    @Test("Stale expectations are listed, and their absence is stated")
    func staleListed() throws {
        let doc = try XML.parse(HTMLWriter.render(Self.hostileRun))
        let items = try XML.elements(doc, "//section[h2='Stale expectations']//li").compactMap(\.stringValue)
        #expect(items == ["cbor/decode/<img src=x>"])

        let clean = try XML.parse(HTMLWriter.render(Fixture.run([], stale: [])))
        let text = try XML.elements(clean, "//section[h2='Stale expectations']/p").first?.stringValue
        #expect(text == "None in expectations/ref-device.json.")
    }

    @Test("The run identity is shown")
    func identity() throws {
        let doc = try XML.parse(HTMLWriter.render(Fixture.run([])))
        var rows: [String: String] = [:]
        for tr in try XML.elements(doc, "//table[@class='kv']//tr") {
            let cells = try XML.elements(tr, "th|td").compactMap(\.stringValue)
            if cells.count == 2 { rows[cells[0]] = cells[1] }
        }
        #expect(rows["Run"] == "run-1")
        #expect(rows["Seed"] == "42")
        #expect(rows["Vectors manifest SHA-256"] == "ab12")
        #expect(rows["Options"] == "timeout=5s")
        #expect(rows["Implementation version"] == "1.2.3")
    }

    @Test("An unfinished run says so in the banner, with its verdict incomplete")
    func unfinished() {
        let html = HTMLWriter.render(Fixture.run([Fixture.make("a", outcome: .pass)], planned: ["cbor": 4]))
        #expect(html.contains("<strong>Unfinished run:</strong> 1 of 4 planned cases have a result."))
        #expect(html.contains(#"<span class="verdict">incomplete</span>"#))
        #expect(html.contains("Exit code 3: inconclusive."))
    }
}
