import B2CReport
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Hand-built runs for the report tests.
enum Fixture {
    /// Text a misbehaving target might send: markup characters, a CDATA terminator, C0 and C1 controls, the XML
    /// noncharacters U+FFFE and U+FFFF, CR LF and a tab.
    static let hostile = "<script>alert(\"x&y\")</script> it's ]]> \u{1}\u{1B}\u{7F}\u{85}\u{FFFE}\u{FFFF} \r\n\tend"

    /// `hostile` as a report must carry it: every forbidden character replaced by U+FFFD, the rest kept.
    static let hostileSanitized =
        "<script>alert(\"x&y\")</script> it's ]]> \u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD} \r\n\tend"

    /// A case with sensible defaults.
    static func make(
        _ name: String,
        area: String = "cbor",
        suite: String = "decode",
        level: String = "required",
        outcome: Outcome,
        reason: String? = nil,
        durationMs: Double = 0,
        flags: [String] = [],
        specRefs: [String] = []
    ) -> CaseResult {
        CaseResult(
            info: CaseInfo(
                id: "\(area)/\(suite)/\(name)",
                area: area,
                suite: suite,
                level: level,
                flags: flags,
                specRefs: specRefs
            ),
            outcome: outcome,
            expected: Expectation(result: .invalid, error: "BAD_TAG"),
            actual: outcome == .pass
                ? Answer(kind: .err, error: "BAD_TAG") : Answer(kind: .ok, output: ["out": "a1"]),
            reason: reason,
            durationMs: durationMs
        )
    }

    /// A run over `cases`, with an expectations file holding `stale` when given.
    static func run(_ cases: [CaseResult], stale: [String]? = nil, planned: [String: Int]? = nil) -> RunResults {
        RunResults(
            run: RunInfo(
                id: "run-1",
                startedAt: "2025-01-01T00:00:00Z",
                finishedAt: "2025-01-01T00:01:00Z",
                tool: "b2c 0.1.0",
                vectorsManifestSha256: "ab12",
                seed: "42",
                options: ["timeout": "5s"],
                planned: planned
            ),
            target: TargetInfo(
                name: "ref-device",
                descriptor: "targets/ref.json",
                transport: "stdio",
                implementation: "refimpl",
                implementationVersion: "1.2.3",
                capabilities: ["cbor.decode"]
            ),
            cases: cases,
            expectations: stale.map { ExpectationReport(file: "expectations/ref-device.json", stale: $0) }
        )
    }

    /// Two areas and one case of every known outcome, with durations; `cbor` also has recommended cases.
    static let everyOutcome: [CaseResult] = [
        make("p1", outcome: .pass, durationMs: 1.5),
        make("p2", level: "recommended", outcome: .pass, durationMs: 2),
        make("f1", outcome: .fail, reason: "wrong error class", durationMs: 10),
        make("c1", outcome: .crash, reason: "target exited with signal 11"),
        make("t1", outcome: .timeout, reason: "no answer within 5 s", durationMs: 5000),
        make("u1", level: "recommended", outcome: .unsupported, reason: "capability not declared"),
        make("s1", area: "cose", suite: "sign", outcome: .skipped, reason: "filtered out"),
        make("x1", area: "cose", suite: "sign", outcome: .xfail, reason: "known bug #12"),
        make("xp1", area: "cose", suite: "sign", outcome: .xpass, reason: "listed as expected failure but passed"),
        make("e1", area: "cose", suite: "sign", outcome: .error, reason: "harness could not spawn target"),
        make("p3", area: "cose", suite: "sign", outcome: .pass, durationMs: 250),
    ]
}

/// Parsing helpers built on Foundation's XML parser (libxml2 on Linux), which rejects any document that is not
/// well-formed XML 1.0.
enum XML {
    static func parse(_ text: String) throws -> XMLDocument {
        try XMLDocument(data: Data(text.utf8), options: [])
    }

    /// The elements an XPath expression selects.
    static func elements(_ node: XMLNode, _ xpath: String) throws -> [XMLElement] {
        try node.nodes(forXPath: xpath).compactMap { $0 as? XMLElement }
    }

    /// One attribute's value, or nil.
    static func attr(_ element: XMLElement, _ name: String) -> String? {
        element.attribute(forName: name)?.stringValue
    }
}
