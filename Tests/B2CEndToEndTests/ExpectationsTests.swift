import B2CArea
import B2CHarness
import B2CHex
import B2CReport
import B2CTestSupport
import Foundation
import Testing

@Suite("Expectations files", .serialized)
struct ExpectationsTests {
    /// A device that accepts duplicate keys, with an expectations file.
    func run(_ expectations: String) throws -> (Completed, RunResults) {
        let out = tempDir("expect")
        try expectations.write(toFile: out + "/exp.json", atomically: true, encoding: .utf8)
        let command = "\"\(binDir)/b2c-device\", \"--stdio\", \"--violate\", \"cbor.accept-duplicate-keys\""
        try """
        {"schema": "b2c-target_v1", "name": "dupes", "transport": {"kind": "process", "command": [\(command)]},
         "expectations": "exp.json"}
        """.write(toFile: out + "/t.json", atomically: true, encoding: .utf8)
        let r = try b2c("run", "--target", out + "/t.json", "--out", out + "/run", "--suite", "cbor_validity")
        return (r, try loadResults(out + "/run"))
    }

    @Test("Exactly the known failures listed: xfail, exit 0")
    func exactlyKnown() throws {
        let ids = (1...12).map { "\"cbor/cbor_validity/tc\($0)\": {\"reason\": \"no duplicate check\"}" }
        let (r, results) = try run(
            """
            {"schema": "b2c-expectations_v1", "target": "dupes", "expectedFailures": {\(ids.joined(separator: ", "))}}
            """
        )
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(results.cases(.xfail).count == 12)
        #expect(results.cases(.fail).isEmpty && results.cases(.xpass).isEmpty)
        #expect(results.summary.verdict == .conformant)
    }

    @Test("A glob wider than the failures: passing cases it covers are xpass; disabled cases are skipped")
    func expectationsMet() throws {
        let (r, results) = try run(
            """
            {"schema": "b2c-expectations_v1", "target": "dupes",
             "expectedFailures": {"cbor/cbor_validity/tc?": {"reason": "no duplicate check"},
                                  "cbor/cbor_validity/tc1?": {"reason": "no duplicate check"}},
             "disabled": {"cbor/cbor_validity/tc13": {"reason": "flaky on this board"}}}
            """
        )
        // tc1…tc12 are the duplicate-key cases; "tc1?" also covers tc13…tc19, which pass: those are xpass.
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(results.cases(.xfail).count == 12)
        #expect(results.ids(.skipped) == ["cbor/cbor_validity/tc13"])
        #expect(results.ids(.xpass) == Set((14...19).map { "cbor/cbor_validity/tc\($0)" }))
    }

    @Test("A listed failure that passes is xpass, an entry that matches nothing is stale: both fail the run")
    func staleExpectations() throws {
        let (r, results) = try run(
            """
            {"schema": "b2c-expectations_v1", "target": "dupes",
             "expectedFailures": {"cbor/cbor_validity/tc1": {"reason": "no duplicate check"},
                                  "cbor/cbor_validity/tc20": {"reason": "this one passes"},
                                  "cbor/nosuch/tc1": {"reason": "gone"}}}
            """
        )
        #expect(r.status == 1)
        #expect(results.ids(.xfail) == ["cbor/cbor_validity/tc1"])
        #expect(results.ids(.xpass) == ["cbor/cbor_validity/tc20"])
        #expect(results.expectations?.stale == ["cbor/nosuch/tc1"])
        #expect(r.stdout.contains("stale expectations"))
        // The other duplicate-key cases are unexpected failures.
        #expect(results.cases(.fail).count == 11)
    }

    @Test("A malformed expectations file is a configuration error")
    func malformed() throws {
        let out = tempDir("badexp")
        try #"{"schema": "b2c-expectations_v1", "target": "other"}"#.write(
            toFile: out + "/exp.json",
            atomically: true,
            encoding: .utf8
        )
        try """
        {"schema": "b2c-target_v1", "name": "dupes", "transport": {"kind": "process", "command": ["\(binDir)/b2c-device", "--stdio"]},
         "expectations": "exp.json"}
        """.write(toFile: out + "/t.json", atomically: true, encoding: .utf8)
        let r = try b2c("run", "--target", out + "/t.json", "--out", out + "/run")
        #expect(r.status == 2)
        #expect(r.stderr.contains("exp.json: \"target\" must be \"dupes\""), "\(r.stderr)")
    }

    @Test(
        "Globs over case ids",
        arguments: [
            ("cbor/*", "cbor/x/tc1", true), ("cbor/*/tc1", "cbor/x/tc12", false), ("cbor/*/tc1?", "cbor/x/tc12", true),
            ("*", "", true), ("a*b*c", "aXbYc", true), ("a*b*c", "aXbY", false), ("tc?", "tc", false),
        ]
    )
    func glob(_ pattern: String, _ text: String, _ matches: Bool) {
        #expect(Glob.matches(pattern, text) == matches)
    }
}
