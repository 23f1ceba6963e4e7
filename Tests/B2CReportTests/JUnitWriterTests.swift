import B2CReport
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("JUnit writer")
struct JUnitWriterTests {
    @Test("Output parses and keeps hostile reasons, ids and names intact apart from forbidden characters")
    func hostileTextSurvives() throws {
        let c = Fixture.make(
            "tc<1>&\"'",
            area: "a&<b>",
            suite: "s\u{1}\"",
            outcome: .fail,
            reason: Fixture.hostile,
            flags: [Fixture.hostile]
        )
        let doc = try XML.parse(JUnitWriter.render(Fixture.run([c])))

        let suite = try #require(XML.elements(doc, "/testsuites/testsuite").first)
        #expect(XML.attr(suite, "name") == "a&<b>")
        let testcase = try #require(XML.elements(doc, "//testcase").first)
        #expect(XML.attr(testcase, "name") == "a&<b>/s\u{FFFD}\"/tc<1>&\"'")
        #expect(XML.attr(testcase, "classname") == "a&<b>.s\u{FFFD}\"")
        let failure = try #require(XML.elements(doc, "//testcase/failure").first)
        #expect(XML.attr(failure, "message") == Fixture.hostileSanitized)
        let body = failure.stringValue ?? ""
        #expect(body.contains("reason: \(Fixture.hostileSanitized)"))
        #expect(body.contains("flags: \(Fixture.hostileSanitized)"))
    }

    @Test("Forbidden characters never reach the document, even in the target name and properties")
    func noForbiddenCharacters() {
        var results = Fixture.run([Fixture.make("p", outcome: .error, reason: "\u{0}\u{B}\u{C}\u{FFFF}")])
        results.target.name = "t\u{1F}"
        results.target.implementationVersion = "\u{FFFE}"
        let xml = JUnitWriter.render(results)
        let forbidden = xml.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n") || $0.value == 0xFFFE || $0.value == 0xFFFF
        }
        #expect(forbidden.isEmpty, "found \(forbidden.map { String($0.value, radix: 16) })")
    }

    @Test("Totals on <testsuites> and on each <testsuite> match the cases")
    func counts() throws {
        let results = Fixture.run(Fixture.everyOutcome)
        let doc = try XML.parse(JUnitWriter.render(results))
        let root = try #require(doc.rootElement())
        #expect(root.name == "testsuites")
        #expect(XML.attr(root, "name") == "b2c ref-device")
        #expect(XML.attr(root, "tests") == "11")
        #expect(XML.attr(root, "failures") == "4")
        #expect(XML.attr(root, "errors") == "1")
        #expect(XML.attr(root, "skipped") == "3")
        #expect(XML.attr(root, "time") == "5.264")

        let suites = try XML.elements(doc, "/testsuites/testsuite")
        #expect(suites.compactMap { XML.attr($0, "name") } == ["cbor", "cose"])
        let expected: [[String]] = [["6", "3", "0", "1", "5.014"], ["5", "1", "1", "2", "0.250"]]
        for (suite, want) in zip(suites, expected) {
            let got = ["tests", "failures", "errors", "skipped", "time"].map { XML.attr(suite, $0) ?? "-" }
            #expect(got == want)
            #expect(try suite.nodes(forXPath: "testcase").count == Int(want[0]))
        }
    }

    @Test("Each testsuite carries the run identity and the area's disposition as properties")
    func properties() throws {
        let doc = try XML.parse(JUnitWriter.render(Fixture.run(Fixture.everyOutcome)))
        for (area, disposition) in [("cbor", "nonconformant"), ("cose", "nonconformant")] {
            let props = try XML.elements(doc, "/testsuites/testsuite[@name='\(area)']/properties/property")
            var values: [String: String] = [:]
            for p in props { values[XML.attr(p, "name") ?? ""] = XML.attr(p, "value") }
            #expect(values["target"] == "ref-device")
            #expect(values["implementation"] == "refimpl")
            #expect(values["implementationVersion"] == "1.2.3")
            #expect(values["tool"] == "b2c 0.1.0")
            #expect(values["seed"] == "42")
            #expect(values["vectorsManifestSha256"] == "ab12")
            #expect(values["disposition"] == disposition)
        }
        let single = try XML.parse(JUnitWriter.render(Fixture.run([Fixture.make("x", outcome: .xfail)])))
        let disposition = try XML.elements(single, "//property[@name='disposition']").first
        #expect(disposition.flatMap { XML.attr($0, "value") } == "conformant")
    }

    @Test(
        "Each outcome maps to its JUnit element",
        arguments: [
            (Outcome.pass, nil), (.fail, "failure"), (.crash, "failure"), (.timeout, "failure"), (.xpass, "failure"),
            (.error, "error"), (.unsupported, "skipped"), (.skipped, "skipped"), (.xfail, "skipped"),
            (Outcome(rawValue: "novel"), "error"),
        ] as [(Outcome, String?)]
    )
    func outcomeElement(outcome: Outcome, element: String?) throws {
        let c = Fixture.make("one", outcome: outcome, reason: "because \(outcome)", durationMs: 1234.5)
        let doc = try XML.parse(JUnitWriter.render(Fixture.run([c])))
        let testcase = try #require(XML.elements(doc, "//testcase").first)
        #expect(XML.attr(testcase, "classname") == "cbor.decode")
        #expect(XML.attr(testcase, "name") == "cbor/decode/one")
        #expect(XML.attr(testcase, "time") == "1.235")
        let children = (testcase.children ?? []).compactMap { $0 as? XMLElement }
        #expect(children.map(\.name) == (element.map { [$0] } ?? []))
        guard let child = children.first else { return }
        #expect(XML.attr(child, "message") == "because \(outcome)")
        if element != "skipped" { #expect(XML.attr(child, "type") == outcome.rawValue) }
    }

    @Test("A failure's body shows expected and actual")
    func failureBody() throws {
        let c = Fixture.make("f", outcome: .fail, reason: "wrong error", specRefs: ["RFC 8949 §3.4"])
        let doc = try XML.parse(JUnitWriter.render(Fixture.run([c])))
        let body = try #require(XML.elements(doc, "//failure").first?.stringValue)
        #expect(body.contains("expected: invalid, error BAD_TAG"))
        #expect(body.contains("actual: ok, out=a1"))
        #expect(body.contains("spec: RFC 8949 §3.4"))
    }

    @Test("Stale expectations become failing testcases in an expectations suite")
    func staleExpectations() throws {
        let results = Fixture.run([Fixture.make("p", outcome: .pass)], stale: ["cbor/decode/gone", "a<b"])
        let doc = try XML.parse(JUnitWriter.render(results))
        let root = try #require(doc.rootElement())
        #expect(XML.attr(root, "tests") == "3")
        #expect(XML.attr(root, "failures") == "2")
        let stale = try XML.elements(doc, "/testsuites/testsuite[@name='expectations']/testcase")
        #expect(stale.compactMap { XML.attr($0, "name") } == ["cbor/decode/gone", "a<b"])
        #expect(try XML.elements(doc, "//testsuite[@name='expectations']//failure[@type='stale']").count == 2)
    }

    @Test("A run without cases is still a valid document with zero totals")
    func emptyRun() throws {
        let doc = try XML.parse(JUnitWriter.render(Fixture.run([])))
        let root = try #require(doc.rootElement())
        #expect(["tests", "failures", "errors", "skipped"].map { XML.attr(root, $0) } == ["0", "0", "0", "0"])
        #expect(try XML.elements(doc, "//testsuite").isEmpty)
    }

    @Test(
        "An unfinished run is an error CI sees: a `run` suite with an `incomplete` error, and a complete one has none"
    )
    func unfinished() throws {
        let cut = JUnitWriter.render(Fixture.run([Fixture.make("a", outcome: .pass)], planned: ["cbor": 5]))
        #expect(cut.contains(#"<testsuite name="run""#))
        #expect(
            cut.contains(
                #"<error type="incomplete" message="the run recorded 1 of its 5 cases; finish it with b2c run --resume">"#
            )
        )
        #expect(cut.contains(#"<property name="complete" value="false"/>"#))
        let doc = try XMLDocument(data: Data(cut.utf8))
        #expect(try doc.nodes(forXPath: "/testsuites/@errors").first?.stringValue == "1")
        let done = JUnitWriter.render(Fixture.run([Fixture.make("a", outcome: .pass)], planned: ["cbor": 1]))
        #expect(!done.contains("incomplete"))
    }
}
