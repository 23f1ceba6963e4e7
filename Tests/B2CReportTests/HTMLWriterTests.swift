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

    @Test("The report loads nothing from outside; its one script is inline and links stay inside the page or docs")
    func selfContained() throws {
        let html = HTMLWriter.render(Self.hostileRun, rules: RuleLinks(base: "../../docs/rules", areas: ["cbor"]))
        let lowered = html.lowercased()
        for needle in ["<iframe", "<img", "<link", "@import", "url("] {
            #expect(!lowered.contains(needle), "found \(needle)")
        }
        #expect(lowered.hasPrefix("<!doctype html>"))
        let doc = try XML.parse(html)
        #expect(try XML.elements(doc, "//*[@src or @action or @style]").isEmpty)
        #expect(try XML.elements(doc, "//link | //iframe | //img | //object | //embed").isEmpty)
        #expect(try XML.elements(doc, "/html/head/style").count == 1)
        let scripts = try XML.elements(doc, "//script")
        #expect(scripts.count == 1 && scripts.first?.parent?.name == "body")
        // Every link is to a case or group of this page, or to a rule text under docs/rules.
        let hrefs = try XML.elements(doc, "//*[@href]").compactMap { XML.attr($0, "href") }
        #expect(!hrefs.isEmpty)
        for href in hrefs {
            #expect(href.hasPrefix("#") || href.hasPrefix("../../docs/rules/cbor.md#"), "\(href)")
        }
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
        let cells = try XML.elements(doc, "//tr[@id='cbor/decode/h<script>1']/td")
        let reason = try #require(cells.count == 4 ? cells[2].stringValue : nil)
        #expect(reason == Fixture.hostileSanitized.replacingOccurrences(of: "\r\n", with: "\n"))
    }

    @Test("Failures are grouped by reason with counts; unsupported, skipped and xfail apart; passing folded away")
    func groupsFailures() throws {
        var cases = Self.hostileRun.cases
        for n in 2...4 {
            var c = Fixture.make("g\(n)", outcome: .fail, reason: "accepted an invalid input (expected BAD_TAG)")
            c.category = "accepted an invalid input (expected BAD_TAG)"
            cases.append(c)
        }
        let results = Fixture.run(cases, stale: [])
        let doc = try XML.parse(HTMLWriter.render(results))
        func ids(_ xpath: String) throws -> [String] {
            try XML.elements(doc, xpath).compactMap { XML.attr($0, "id") }
        }
        // Each failing case exactly once, under "Failures by reason"; the largest group first.
        let failing = try ids("//section[@id='failures']//tr[@class='case']")
        let failOutcomes: Set<Outcome> = [.fail, .crash, .timeout, .xpass, .error]
        #expect(failing.sorted() == results.cases.filter { failOutcomes.contains($0.outcome) }.map(\.id).sorted())
        let summaries = try XML.elements(doc, "//section[@id='failures']/details/summary").compactMap(\.stringValue)
        #expect(summaries.first == "3 × fail accepted an invalid input (expected BAD_TAG)")
        #expect(summaries.contains("1 × crash target died"))
        let table = try XML.elements(doc, "//table[@class='groups']/tbody/tr").map {
            try XML.elements($0, "td").compactMap(\.stringValue)
        }
        #expect(table.first == ["3", "fail", "accepted an invalid input (expected BAD_TAG)"])
        #expect(table.count == summaries.count)
        // The group table links to its groups.
        let links = try XML.elements(doc, "//table[@class='groups']//a").compactMap { XML.attr($0, "href") }
        #expect(links == (1...summaries.count).map { "#failure-\($0)" })

        #expect(try ids("//section[@id='unsupported']//tr[@class='case']") == ["cbor/decode/u1"])
        #expect(try ids("//section[@id='set-aside']//tr[@class='case']").sorted() == ["cose/sign/s1", "cose/sign/x1"])
        let passing = try ids("//section[@id='passing']/details//tr[@class='case']")
        #expect(passing == results.cases.filter { $0.outcome == .pass }.map(\.id))
        #expect(
            try XML.elements(doc, "//section[@id='passing']/details/summary").first?.stringValue == "3 passing cases"
        )
        // Every case row is linkable by its id, and ids are unique.
        let all = try ids("//tr[@class='case']")
        #expect(all.count == results.cases.count && Set(all).count == all.count)
        let selfLinks = try XML.elements(doc, "//tr[@class='case']/td[1]/a[@class='id']").compactMap {
            XML.attr($0, "href")
        }
        #expect(selfLinks.sorted() == all.map { "#" + $0 }.sorted())
    }

    @Test("A case row shows expected and got, why with the first difference, rule links and its input folded")
    func caseRow() throws {
        var c = Fixture.make(
            "m1",
            outcome: .fail,
            reason: "encoded: same items, different map order (…)",
            flags: ["N4"]
        )
        c.mismatch = Mismatch(
            field: "encoded",
            expected: String(repeating: "a1", count: 60) + "02",
            got: String(repeating: "a1", count: 60) + "03",
            offset: 60,
            explanation: "same items, different map order"
        )
        c.info.input = CaseInput(
            field: "data",
            length: 20,
            hex: String(repeating: "0f", count: 20),
            arguments: "{\"profile\":\"valid\"}"
        )
        var big = Fixture.make("b1", outcome: .fail, reason: "accepted an invalid input")
        big.info.input = CaseInput(field: "image", length: 5000, blob: "blobs/ab.bin", sha256: "ab")
        let html = HTMLWriter.render(
            Fixture.run([c, big]),
            rules: RuleLinks(base: "../docs/rules", areas: ["cbor"])
        )
        let doc = try XML.parse(html)
        let cells = try XML.elements(doc, "//tr[@id='cbor/decode/m1']/td")
        #expect(cells.count == 4)
        guard cells.count == 4 else { return }
        #expect(cells[1].stringValue == "expected invalid, error BAD_TAGgot ok, out=a1")
        let why = cells[2].stringValue ?? ""
        #expect(why.contains("first difference at byte 60") && why.contains("same items, different map order"))
        // The full values, folded, with the differing byte marked in both.
        #expect(try XML.elements(cells[2], ".//details//mark").compactMap(\.stringValue) == ["02", "03"])
        // The rule id links to its text.
        #expect(
            try XML.elements(cells[0], ".//a[code='N4']").compactMap { XML.attr($0, "href") } == [
                "../docs/rules/cbor.md#n4"
            ]
        )
        // The input: folded, a dump of 16 bytes a line with offsets, and the other arguments.
        let input = try #require(XML.elements(cells[3], "details").first)
        #expect(XML.attr(input, "open") == nil)
        #expect(try XML.elements(input, "summary").first?.stringValue == "data, 20 bytes")
        let dump = try XML.elements(input, "pre[@class='hex']").first?.stringValue ?? ""
        let zeroF = Array(repeating: "0f", count: 16).joined(separator: " ")
        #expect(dump == "000000  \(zeroF)\n000010  0f 0f 0f 0f\n")
        #expect(input.stringValue?.contains("{\"profile\":\"valid\"}") == true)
        // A large input is named by its blob and digest instead.
        let bigInput = try XML.elements(doc, "//tr[@id='cbor/decode/b1']/td[4]").first?.stringValue ?? ""
        #expect(
            bigInput.contains("image, 5000 bytes") && bigInput.contains("blobs/ab.bin")
                && bigInput.contains("SHA-256 ab")
        )
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
