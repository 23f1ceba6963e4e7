import B2CReport
import B2CTestSupport
import Foundation
import FoundationXML
import Testing

@Suite("b2c run against the reference device", .serialized)
struct RunnerTests {
    @Test("The built-in reference device is conformant; results.json, junit.xml and report.html are written")
    func referenceConformant() throws {
        let out = tempDir("ref")
        let r = try b2c("run", "--out", out, "--seed", "1234")
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("cbor      conformant"))
        #expect(r.stdout.contains("mcuboot   conformant"))
        // The scorecard (header, table, verdict, paths) fits a 100-column terminal.
        #expect(r.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 }, "\(r.stdout)")
        let results = try loadResults(out)
        #expect(results.summary.verdict == .conformant)
        #expect(results.cases.count > 1200)
        #expect(results.cases.filter { $0.area == "mcuboot" }.count > 400)
        #expect(results.cases.filter { $0.suite == "mcuboot_parse" }.count > 300)
        #expect(results.cases.filter { $0.suite == "mcuboot_decrypt" }.count >= 10)
        #expect(results.cases.allSatisfy { $0.outcome == .pass })
        #expect(results.run.seed == "1234")
        #expect(results.run.vectorsManifestSha256?.count == 64)
        #expect(results.target.implementation == "b2c-device")
        let junit = try XMLDocument(contentsOf: URL(fileURLWithPath: out + "/junit.xml"))
        let testcases = try junit.nodes(forXPath: "//testcase")
        #expect(testcases.count == results.cases.count)
        #expect(try junit.nodes(forXPath: "//failure").isEmpty)
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("conformant") && html.components(separatedBy: "<script").count == 2)
        // Every case is in the report under its id, and carries its input.
        #expect(html.components(separatedBy: "<tr class=\"case\" id=").count - 1 == results.cases.count)
        #expect(results.cases.allSatisfy { $0.input != nil })
        // References are to the spec, the bootloader's code or docs/rules, never to notes a user does not have.
        #expect(results.cases.allSatisfy { $0.specRefs.allSatisfy { !$0.lowercased().contains("notes") } })
    }

    /// Each rule the device can be told to break, and the cases that must catch it.
    static let violations: [(rule: String, flag: String?, reasonPrefix: String?)] = [
        ("cbor.accept-trailing-bytes", "TrailingBytes", "accepted an invalid input"),
        ("cbor.accept-duplicate-keys", "DuplicateKey", "accepted an invalid input"),
        ("cbor.accept-two-byte-simple", "NotWellFormed", "accepted an invalid input"),
        ("cbor.length-first-keys", nil, "encoded:"),
        ("cbor.vague-errors", nil, "wrong error class"),
        // Without the allow list a SEC_CNT in the unprotected area is still checked: some N20 cases then fail on the
        // counter instead, so only the set of failing cases is compared.
        ("image.no-allow-list", "N20", nil),
        ("image.ignore-protect-size", "N4", nil),
        ("image.boot-non-bootable", "N33", "accepted an invalid input"),
        // Only the trailer cases: the N8 cases with an explicit maximum image size still fail without the trailer.
        ("image.no-trailer-reservation", "N8", "accepted an invalid input"),
        // The AES-size cases (N25), where the build's size and the header's differ.
        ("image.aes-keylen-from-header", "N25", nil),
        // Every REVERT case answers NONE; every case with a BAD magic decodes it GOOD; every refused downgrade is
        // installed.
        ("boot.revert-ignored", "Revert", "swapType:"),
        ("boot.bad-magic-is-good", "BadMagic", nil),
        ("boot.downgrade-allowed", "Downgrade", "booted:"),
    ]

    @Test("Every rule the reference device can break (every area's, from the registry) has a row above")
    func everyRuleTested() throws {
        let r = try runProcess([binDir + "/b2c-device", "--list-violations"])
        #expect(r.status == 0)
        let rules = r.stdout.split(separator: "\n").compactMap { $0.split(separator: "\t").first.map(String.init) }
        #expect(rules.count >= 7)
        #expect(Set(rules) == Set(Self.violations.map(\.rule)))
    }

    @Test("Every injected violation is caught, and only by the cases that test that rule", arguments: violations)
    func teeth(_ v: (rule: String, flag: String?, reasonPrefix: String?)) throws {
        let out = tempDir("violate")
        let target = try deviceTarget(out, args: ["--violate", v.rule])
        let r = try b2c("run", "--target", target, "--out", out)
        #expect(r.status == 1, "\(v.rule) went unnoticed: \(r.stdout)")
        let results = try loadResults(out)
        let failed = results.cases(.fail)
        #expect(!failed.isEmpty)
        #expect(results.summary.verdict == .nonconformant)
        for c in failed {
            if let flag = v.flag { #expect(c.flags.contains(flag), "\(v.rule) failed \(c.id)") }
            if let prefix = v.reasonPrefix {
                #expect(c.reason?.hasPrefix(prefix) == true, "\(c.id): \(c.reason ?? "")")
            }
        }
        switch v.rule {
        case "cbor.accept-trailing-bytes":
            #expect(Set(failed.map(\.id)) == Set(results.cases.filter { $0.flags.contains("TrailingBytes") }.map(\.id)))
        case "cbor.accept-duplicate-keys":
            #expect(failed.count == results.cases.filter { $0.flags.contains("DuplicateKey") }.count)
        case "cbor.accept-two-byte-simple":
            #expect(failed.count == 4)
        case "cbor.vague-errors":
            #expect(failed.count == results.cases.filter { $0.expected.result == .invalid && $0.area == "cbor" }.count)
            // The terminal groups them by reason, with the count, and each example carries the target's own words;
            // nothing is wider than 100 columns.
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.allSatisfy { $0.count <= 100 }, "\(lines.filter { $0.count > 100 })")
            let byClass = Dictionary(grouping: failed, by: { $0.expected.error ?? "" })
            let biggest = try #require(byClass.max { $0.value.count < $1.value.count })
            #expect(
                lines.contains(
                    "  \(biggest.value.count) × fail wrong error class: expected \(biggest.key), got cbor.malformed"
                ),
                "\(r.stdout)"
            )
            let example = try #require(failed.first)
            let said = try #require(example.actual?.detail)
            #expect(
                lines.contains { $0.hasPrefix("      \(example.id): target: \(said.prefix(40))") },
                "\(r.stdout)"
            )
        case "boot.revert-ignored", "boot.bad-magic-is-good", "boot.downgrade-allowed":
            let flag = v.flag ?? ""
            #expect(Set(failed.map(\.id)) == Set(results.cases.filter { $0.flags.contains(flag) }.map(\.id)))
            #expect(failed.count >= 5)
        case "image.no-trailer-reservation":
            #expect(failed.allSatisfy { ($0.comment ?? "").hasPrefix("tlvIntoTrailer ") }, "\(failed.map(\.id))")
        case "image.no-allow-list", "image.ignore-protect-size", "image.boot-non-bootable":
            let flag = v.flag ?? ""
            // Each failing case's rule id links to its text beside the vectors, as seen from the output directory.
            let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
            #expect(html.contains("href=\"" + relativeDocs(from: out) + "/mcuboot.md#\(flag.lowercased())\""))
            #expect(
                Set(failed.map(\.id))
                    == Set(results.cases.filter { $0.flags.contains(flag) && $0.expected.result == .invalid }.map(\.id))
            )
        default:
            break
        }
    }

    @Test("prepare steps: their output goes to the log (however much), a failing step stops the run with one line")
    func prepareSteps() throws {
        let out = tempDir("prepare")
        let device = "\"" + binDir + "/b2c-device\", \"--stdio\""
        func descriptor(_ name: String, _ script: String) throws -> String {
            let json = """
                {"schema": "b2c-target_v1", "name": "\(name)", "transport": {"kind": "process", "command": [\(device)]},
                 "prepare": [["sh", "-c", "\(script)"]]}
                """
            let path = out + "/\(name).json"
            try json.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        // 300 kB on stdout: more than a pipe holds, so an unread pipe would block the step forever.
        let chatty = try descriptor("chatty", "head -c 300000 /dev/zero | tr '\\\\0' x")
        let ok = try b2c("run", "--target", chatty, "--out", out + "/ok", "--suite", "cbor_appendix_a")
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        let log = try #require(FileManager.default.contents(atPath: out + "/ok/target-stderr.log"))
        #expect(log.count >= 300_000)
        let failing = try descriptor("failing", "echo building; exit 3")
        let bad = try b2c("run", "--target", failing, "--out", out + "/bad", "--suite", "cbor_appendix_a")
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("b2c: target failing: prepare step `sh -c echo building; exit 3` failed (3)"))
        #expect(bad.stderr.split(separator: "\n").count == 1)
    }

    @Test("A target that crashes on one case: that case is a crash after one retry, the run goes on")
    func crash() throws {
        let out = tempDir("crash")
        let target = try deviceTarget(out, args: ["--misbehave", "crash:1a000f4240"])
        let r = try b2c("run", "--target", target, "--out", out, "--suite", "cbor_appendix_a")
        #expect(r.status == 1)
        let results = try loadResults(out)
        let crashed = results.cases(.crash)
        #expect(crashed.count == 1)
        #expect(crashed.first?.attempts == 2)
        #expect(crashed.first?.reason?.contains("signal 6") == true, "\(crashed.first?.reason ?? "")")
        // The target's last words on stderr reach the reason, and so the terminal line.
        #expect(
            crashed.first?.reason?.contains("signal 6: b2c-device: misbehaving: crash") == true,
            "\(crashed.first?.reason ?? "")"
        )
        #expect(r.stdout.contains("b2c-device: misbehaving: crash"), "\(r.stdout)")
        #expect(results.cases(.pass).count == results.cases.count - 1)
        let log = try String(contentsOfFile: out + "/target-stderr.log", encoding: .utf8)
        #expect(log.contains("misbehaving: crash"))
    }

    @Test(
        "Protocol violations: silence, garbage, double answers, wrong ids, exits",
        arguments: [
            ("hang", Outcome.timeout, "no answer within"),
            ("garbage", .fail, "protocol violation: printed a line that is not a protocol message"),
            ("twice", .fail, "protocol violation: answered twice"),
            ("wrong-id", .fail, "protocol violation: answered id"),
            ("silent-exit", .crash, "target died"),
        ]
    )
    func misbehaviour(_ kind: String, _ outcome: Outcome, _ reason: String) throws {
        let out = tempDir(kind)
        let target = try deviceTarget(out, args: ["--misbehave", "\(kind):1a000f4240"], perCaseMs: 400)
        let r = try b2c("run", "--target", target, "--out", out, "--suite", "cbor_appendix_a")
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        let results = try loadResults(out)
        let bad = results.cases.filter { $0.outcome != .pass }
        #expect(bad.count == 1, "\(bad.map { "\($0.id) \($0.outcome) \($0.reason ?? "")" })")
        #expect(bad.first?.outcome == outcome)
        #expect(bad.first?.reason?.hasPrefix(reason) == true, "\(bad.first?.reason ?? "")")
        #expect(results.cases.count == 81)
    }

    @Test(
        "A runner killed with SIGKILL is unfinished, never a pass, and loses nothing: --resume records every case once"
    )
    func killAndResume() throws {
        let out = tempDir("resume")
        let target = try deviceTarget(out, name: "slow-device", args: ["--delay-ms", "2"])
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binDir + "/b2c")
        p.arguments = ["run", "--target", target, "--out", out]
        p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        var recorded = 0
        let deadline = Date().addingTimeInterval(30)
        while recorded < 150 && Date() < deadline {
            usleep(20_000)
            let text = (try? String(contentsOfFile: out + "/events.jsonl", encoding: .utf8)) ?? ""
            recorded = text.components(separatedBy: "\"event\":\"case\"").count - 1
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal)
        #expect(recorded >= 150)
        let partial = try String(contentsOfFile: out + "/events.jsonl", encoding: .utf8)
        #expect(!partial.contains("\"event\":\"end\""))
        // What the killed run left is unfinished, never a pass: results.json, junit.xml, report.html and
        // `b2c report` all say so.
        let snapshot = try loadResults(out)
        #expect(snapshot.summary.verdict == .incomplete)
        #expect(snapshot.summary.exitCode == 3)
        #expect(snapshot.run.finishedAt == nil)
        #expect(snapshot.summary.plannedCases == snapshot.run.planned?.values.reduce(0, +))
        #expect((snapshot.summary.plannedCases ?? 0) > 800)
        #expect(snapshot.summary.missingCases == (snapshot.summary.plannedCases ?? 0) - snapshot.cases.count)
        #expect(snapshot.summary.areas.allSatisfy { $0.disposition == .incomplete })
        let report = try b2c("report", "--from", out + "/results.json")
        #expect(report.status == 3, "\(report.stdout)\(report.stderr)")
        #expect(report.stdout.contains("unfinished run: \(snapshot.cases.count) of"))
        #expect(report.stdout.contains("verdict: incomplete"))
        let junit = try String(contentsOfFile: out + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("<error type=\"incomplete\""))
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("Unfinished run:") && html.contains(">incomplete</span></h1>"))

        let r = try b2c("run", "--out", out, "--resume")
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let results = try loadResults(out)
        #expect(results.summary.verdict == .conformant)
        #expect(results.summary.isComplete)
        #expect(results.run.finishedAt != nil)
        #expect(try b2c("report", "--from", out + "/results.json").status == 0)
        #expect(try !String(contentsOfFile: out + "/junit.xml", encoding: .utf8).contains("incomplete"))
        #expect(results.cases.count > 800)
        #expect(Set(results.cases.map(\.id)).count == results.cases.count)
        #expect(results.cases.allSatisfy { $0.outcome == .pass })
        // The log holds each case once: the cases recorded before the kill were not run again.
        let lines = try String(contentsOfFile: out + "/events.jsonl", encoding: .utf8).split(separator: "\n")
        let caseLines = lines.filter { $0.contains("\"event\":\"case\"") && $0.hasSuffix("}") }
        let ids = caseLines.compactMap { line -> String? in
            guard let r = line.range(of: "\"id\":\"") else { return nil }
            return String(line[r.upperBound...].prefix { $0 != "\"" })
        }
        #expect(ids.count == results.cases.count)
        #expect(Set(ids).count == ids.count)
    }
}

/// `docs/rules` as seen from `dir`, by Python's `os.path.relpath` (not b2c's own path code).
private func relativeDocs(from dir: String) -> String {
    let r = try? runProcess([
        "/usr/bin/python3", "-c", "import os, sys; print(os.path.relpath(sys.argv[1], sys.argv[2]))",
        repoRoot + "/docs/rules", dir,
    ])
    return (r?.stdout ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
}
