import B2CArea
import B2CHarness
import B2CReport
import B2CTestSupport
import B2CWire
import Foundation
import Testing

@Suite("Resume and multi-step scenarios, in memory")
struct ResumeAndScenarioTests {
    @Test("A run cut short resumes: recorded cases are not sent again, and every case is recorded once")
    func resume() throws {
        let cases = (0..<10).map {
            decodeCase("c\($0)", "0\($0)", Expectation(result: .valid, output: ["encoded": "0\($0)"]))
        }
        let out = tempDir("mem-resume")
        _ = try runInMemory(cases, connector: inMemoryDevice(), out: out)
        // Keep the start event and four cases, and cut the fifth case's line in half, as a kill mid-write does.
        let log = out + "/events.jsonl"
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("\"event\":\"start\"") == true)
        #expect(lines.last?.contains("\"event\":\"end\"") == true)
        let cut = lines[0...4].joined(separator: "\n") + "\n" + lines[5].prefix(lines[5].count / 2)
        try cut.write(toFile: log, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: out + "/results.json")

        let connector = inMemoryDevice()
        let r = try runInMemory(cases, connector: connector, out: out, resume: true)
        #expect(r.cases.map(\.id) == cases.map(\.id))
        #expect(r.cases.allSatisfy { $0.outcome == .pass })
        let sent = String(decoding: try #require(connector.transports.first).written, as: UTF8.self)
        #expect(sent.components(separatedBy: "\"op\":\"cbor.decode\"").count - 1 == 6)
        for i in 0..<4 { #expect(!sent.contains("\"data\":\"0\(i)\""), "case c\(i) was sent again") }
        let after = try String(contentsOfFile: log, encoding: .utf8)
        #expect(after.components(separatedBy: "\"event\":\"start\"").count - 1 == 1)
        #expect(after.components(separatedBy: "\"event\":\"end\"").count - 1 == 1)
        let contents = try EventLog.read(path: log)
        #expect(contents.cases.map(\.id) == cases.map(\.id))
        #expect(contents.ended)
    }

    @Test("A resumed run with nothing left to do does not start the target")
    func resumeFinished() throws {
        let cases = [decodeCase("only", "01", one)]
        let out = tempDir("mem-resume-done")
        _ = try runInMemory(cases, connector: inMemoryDevice(), out: out)
        let connector = inMemoryDevice()
        let r = try runInMemory(cases, connector: connector, out: out, resume: true)
        #expect(r.cases.count == 1)
        #expect(connector.connections == 0)
    }

    @Test("A scenario of several steps passes only if every expectation is met; the failing one is reported")
    func multiStep() throws {
        let decode = { (hex: String) in
            Scenario.Step.send(.init(op: "cbor.decode", args: ["data": .string(hex), "profile": .string("valid")]))
        }
        let info = { (name: String) in CaseInfo(id: "cbor/unit/\(name)", area: "cbor", suite: "unit") }
        let second = Expectation(result: .invalid, error: "cbor.truncated")
        let good = ConformanceCase(
            info: info("steps"),
            scenario: Scenario([
                decode("01"), .expect(one), .reset, .wait(milliseconds: 1), decode("18"), .expect(second),
            ]),
            requirements: [Requirement(op: "cbor.decode")]
        )
        let wrong = Expectation(result: .valid, output: ["encoded": "03"])
        let bad = ConformanceCase(
            info: info("steps-fail"),
            scenario: Scenario([decode("01"), .expect(one), decode("02"), .expect(wrong), decode("03"), .expect(one)]),
            requirements: [Requirement(op: "cbor.decode")]
        )
        let connector = inMemoryDevice()
        let r = try runInMemory([good, bad], connector: connector)
        #expect(r.result("steps")?.outcome == .pass)
        #expect(r.result("steps")?.expected == second)
        #expect(r.result("steps-fail")?.outcome == .fail)
        #expect(r.result("steps-fail")?.expected == wrong)
        #expect(
            r.result("steps-fail")?.reason
                == "encoded: same length, different bytes (at byte 0 of 1: expected 03, got 02)"
        )
        // The reset step restarted the target once; the failing scenario stopped before its third request.
        #expect(connector.connections == 2)
        let sent = String(decoding: try #require(connector.transports.last).written, as: UTF8.self)
        #expect(!sent.contains("\"data\":\"03\""))
    }
}
