import B2CArea
import B2CDevice
import B2CHarness
import B2CHex
import B2CReport
import B2CTestSupport
import B2CWire
import Foundation
import Testing

/// The vector expectation (Swift Testing has a type of the same name).
typealias Expectation = B2CReport.Expectation

/// A `cbor.decode` case under the `valid` profile.
func decodeCase(_ name: String, _ hex: String, _ expected: Expectation, profile: String = "valid") -> ConformanceCase {
    ConformanceCase(
        info: CaseInfo(id: "cbor/unit/\(name)", area: "cbor", suite: "unit"),
        op: "cbor.decode",
        args: ["data": .string(hex), "profile": .string(profile)],
        parameter: (key: "profiles", value: profile),
        expected: expected
    )
}

/// Runs `cases` in a fresh output directory against `connector`; no process is spawned.
func runInMemory(
    _ cases: [ConformanceCase],
    connector: any TargetConnector,
    out: String = tempDir("mem"),
    expectations: String? = nil,
    resume: Bool = false,
    loose: Bool = false
) throws -> RunResults {
    let config = Runner.Configuration(
        descriptor: inMemoryDescriptor(looseErrorCodes: loose, expectationsPath: expectations),
        outDir: out,
        selection: Selection(target: nil, suites: [], filters: [], seed: "5eed", vectors: "/unused"),
        resume: resume,
        tool: "b2c test",
        vectorsManifestSha256: nil,
        options: [:],
        catalogueIds: cases.map(\.id)
    )
    return try Runner(config: config, cases: cases, connector: connector).run()
}

extension RunResults {
    func result(_ name: String) -> CaseResult? { cases.first { $0.id == "cbor/unit/\(name)" } }
}

/// Refuses every connection after the first `allowed`.
final class FailingConnector: TargetConnector {
    let inner: InMemoryConnector
    let allowed: Int
    private(set) var attempts = 0
    var kind: String { inner.kind }
    init(_ inner: InMemoryConnector, allowed: Int) {
        self.inner = inner
        self.allowed = allowed
    }
    func connect() throws(HarnessError) -> any ByteStreamTransport {
        attempts += 1
        guard attempts <= allowed else { throw HarnessError(.targetStart, "board unplugged") }
        return try inner.connect()
    }
}

let one = Expectation(result: .valid, output: ["encoded": "01"])

@Suite("The runner over an in-memory transport")
struct InMemoryRunnerTests {
    @Test("pass and fail: the answer is scored against the expectation")
    func passAndFail() throws {
        let connector = inMemoryDevice()
        let r = try runInMemory(
            [
                decodeCase("pass", "01", one),
                decodeCase("wrong-output", "01", Expectation(result: .valid, output: ["encoded": "02"])),
                decodeCase("accepts-invalid", "1c", Expectation(result: .valid)),
                decodeCase("wrong-class", "1c", Expectation(result: .invalid, error: "cbor.truncated")),
                decodeCase("right-class", "1c", Expectation(result: .invalid, error: "cbor.reserved_additional_info")),
            ],
            connector: connector
        )
        #expect(r.result("pass")?.outcome == .pass)
        #expect(r.result("pass")?.actual == Answer(kind: .ok, output: ["encoded": "01", "diag": "1"]))
        #expect(r.result("wrong-output")?.outcome == .fail)
        #expect(
            r.result("wrong-output")?.reason
                == "encoded: same length, different bytes (at byte 0 of 1: expected 02, got 01)"
        )
        #expect(r.result("wrong-output")?.category == "encoded: same length, different bytes")
        #expect(
            r.result("wrong-output")?.mismatch
                == Mismatch(
                    field: "encoded",
                    expected: "02",
                    got: "01",
                    offset: 0,
                    explanation: "same length, different bytes"
                )
        )
        #expect(
            r.result("accepts-invalid")?.reason?.hasPrefix("rejected a valid input with cbor.reserved_additional_info")
                == true
        )
        // The reason ends with the target's own words; the category, which groups cases, leaves them out.
        let wrongClass = r.result("wrong-class")
        #expect(
            wrongClass?.category == "wrong error class: expected cbor.truncated, got cbor.reserved_additional_info"
        )
        #expect(
            wrongClass?.reason == (wrongClass?.category ?? "") + " (\(wrongClass?.actual?.detail ?? "no detail"))"
        )
        #expect(wrongClass?.actual?.detail?.isEmpty == false)
        #expect(
            wrongClass?.mismatch
                == Mismatch(field: "error", expected: "cbor.truncated", got: "cbor.reserved_additional_info")
        )
        #expect(r.result("right-class")?.outcome == .pass)
        #expect(connector.connections == 1)
        #expect(r.target.transport == "memory")
        #expect(r.target.implementation == "b2c-device")
    }

    @Test("crash: one retry on a restarted target, then crash; the run goes on")
    func crash() throws {
        let connector = inMemoryDevice(misbehaviours: [[0x02]: .crash])
        let r = try runInMemory(
            [decodeCase("a", "01", one), decodeCase("boom", "02", one), decodeCase("b", "01", one)],
            connector: connector
        )
        let boom = try #require(r.result("boom"))
        #expect(boom.outcome == .crash)
        #expect(boom.attempts == 2)
        #expect(boom.reason == "target died (signal 6, then signal 6 on retry)")
        #expect(boom.actual?.kind == AnswerKind.none)
        #expect(r.result("a")?.outcome == .pass)
        #expect(r.result("b")?.outcome == .pass)
        #expect(connector.connections == 3)
    }

    @Test("timeout: no answer within the per-case time; the target is restarted for the next case")
    func timeout() throws {
        let connector = inMemoryDevice(misbehaviours: [[0x02]: .hang])
        let r = try runInMemory([decodeCase("hang", "02", one), decodeCase("after", "01", one)], connector: connector)
        #expect(r.result("hang")?.outcome == .timeout)
        #expect(r.result("hang")?.reason == "no answer within 50 ms")
        #expect(r.result("after")?.outcome == .pass)
        #expect(connector.connections == 2)
    }

    @Test(
        "Protocol violations fail the case they belong to",
        arguments: [
            (Misbehaviour.garbage, Outcome.fail, "protocol violation: printed a line that is not a protocol message"),
            (.twice, .fail, "protocol violation: answered twice"),
            (.wrongId, .fail, "protocol violation: answered id 1002"),
            (.silentExit, .crash, "target died (exit 0, then exit 0 on retry)"),
        ]
    )
    func violations(_ kind: Misbehaviour, _ outcome: Outcome, _ reason: String) throws {
        let connector = inMemoryDevice(misbehaviours: [[0x02]: kind])
        let r = try runInMemory(
            [
                decodeCase("a", "01", one), decodeCase("bad", "02", Expectation(result: .valid)),
                decodeCase("b", "01", one),
            ],
            connector: connector
        )
        #expect(r.result("bad")?.outcome == outcome)
        #expect(r.result("bad")?.reason?.hasPrefix(reason) == true, "\(r.result("bad")?.reason ?? "")")
        #expect(r.result("a")?.outcome == .pass)
        #expect(r.result("b")?.outcome == .pass)
    }

    @Test("unsupported: an undeclared capability is never sent; an unsupported answer is its own outcome")
    func unsupported() throws {
        let connector = inMemoryDevice()
        let undeclared = ConformanceCase(
            info: CaseInfo(id: "cbor/unit/undeclared", area: "cbor", suite: "unit"),
            op: "cbor.encode",
            args: [:],
            expected: Expectation(result: .valid)
        )
        let refused = ConformanceCase(
            info: CaseInfo(id: "cbor/unit/refused", area: "cbor", suite: "unit"),
            op: "cbor.decode",
            args: ["data": .string("01"), "profile": .string("canonical-7049")],
            expected: Expectation(result: .valid)
        )
        let r = try runInMemory(
            [undeclared, decodeCase("profile", "01", one, profile: "strict"), refused],
            connector: connector
        )
        #expect(r.result("undeclared")?.outcome == .unsupported)
        #expect(r.result("undeclared")?.reason == "target does not declare cbor.encode")
        #expect(r.result("profile")?.reason == "target does not declare cbor.decode with profiles strict")
        #expect(r.result("refused")?.outcome == .unsupported)
        #expect(r.result("refused")?.reason == "target answered unsupported: profile canonical-7049 is not implemented")
        let sent = try #require(connector.transports.first).written
        #expect(String(decoding: sent, as: UTF8.self).components(separatedBy: "\"op\":\"cbor.").count - 1 == 1)
    }

    @Test("A descriptor's capability parameters replace the target's own for the operations it declares")
    func descriptorCapabilities() throws {
        var descriptor = inMemoryDescriptor()
        descriptor.capabilities = ["cbor.decode": ["profiles": .array([.string("valid")])], "cbor.encode": [:]]
        let config = Runner.Configuration(
            descriptor: descriptor,
            outDir: tempDir("mem-caps"),
            selection: Selection(target: nil, suites: [], filters: [], seed: "5eed", vectors: "/unused"),
            resume: false,
            tool: "b2c test",
            vectorsManifestSha256: nil,
            options: [:],
            catalogueIds: []
        )
        let cases = [
            decodeCase("valid", "01", one),
            decodeCase("deterministic", "01", one, profile: "deterministic"),
            ConformanceCase(
                info: CaseInfo(id: "cbor/unit/encode", area: "cbor", suite: "unit"),
                op: "cbor.encode",
                args: [:],
                expected: Expectation(result: .valid)
            ),
        ]
        let r = try Runner(config: config, cases: cases, connector: inMemoryDevice()).run()
        #expect(r.result("valid")?.outcome == .pass)
        #expect(r.result("deterministic")?.outcome == .unsupported)
        #expect(r.result("deterministic")?.reason == "target does not declare cbor.decode with profiles deterministic")
        // An operation the target does not declare stays undeclared, whatever the descriptor says of it.
        #expect(r.result("encode")?.outcome == .unsupported)
    }

    @Test("skipped, xfail and xpass come from the expectations file; loose error codes take any rejection")
    func expectations() throws {
        let dir = tempDir("mem-expect")
        let path = dir + "/expect.json"
        try """
        {"schema": "b2c-expectations_v1", "target": "in-memory",
         "disabled": {"cbor/unit/skip": {"reason": "not for this target"}},
         "expectedFailures": {"cbor/unit/known": {"reason": "bug 12"}, "cbor/unit/fixed": {"reason": "bug 13"}}}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try runInMemory(
            [
                decodeCase("skip", "01", one),
                decodeCase("known", "01", Expectation(result: .valid, output: ["encoded": "02"])),
                decodeCase("fixed", "01", one),
                decodeCase("loose", "1c", Expectation(result: .invalid, error: "cbor.truncated")),
            ],
            connector: inMemoryDevice(),
            out: dir,
            expectations: path,
            loose: true
        )
        #expect(r.result("skip")?.outcome == .skipped)
        #expect(r.result("skip")?.reason == "disabled: not for this target")
        #expect(r.result("known")?.outcome == .xfail)
        #expect(r.result("known")?.reason?.hasPrefix("expected failure (bug 12); fail:") == true)
        #expect(r.result("fixed")?.outcome == .xpass)
        #expect(r.result("loose")?.outcome == .pass)
        #expect(r.result("loose")?.reason == "rejected with cbor.reserved_additional_info (loose error codes)")
        #expect(r.summary.exitCode == 1)
    }

    @Test("error: a target that cannot be restarted; the rest of the run is not blamed on it")
    func restartFails() throws {
        let connector = FailingConnector(inMemoryDevice(misbehaviours: [[0x02]: .crash]), allowed: 1)
        let r = try runInMemory(
            [decodeCase("a", "01", one), decodeCase("boom", "02", one), decodeCase("b", "01", one)],
            connector: connector
        )
        #expect(r.result("a")?.outcome == .pass)
        #expect(r.result("boom")?.outcome == .crash)
        #expect(r.result("boom")?.reason == "target died (signal 6) and could not be restarted")
        #expect(r.result("b")?.outcome == .error)
        #expect(r.result("b")?.reason == "target could not be restarted: target in-memory: board unplugged")
        #expect(r.summary.exitCode == 1)
    }

    @Test("error: a malformed scenario is the harness's problem, not the target's")
    func malformedScenario() throws {
        let bad = ConformanceCase(
            info: CaseInfo(id: "cbor/unit/bad-script", area: "cbor", suite: "unit"),
            scenario: Scenario([.expect(one), .send(.init(op: "cbor.decode", args: ["data": .string("01")]))]),
            requirements: []
        )
        let r = try runInMemory([bad, decodeCase("fine", "01", one)], connector: inMemoryDevice())
        #expect(r.result("bad-script")?.outcome == .error)
        #expect(
            r.result("bad-script")?.reason
                == "the case's scenario is malformed: step 1 expects an answer before any request"
        )
        #expect(r.result("fine")?.outcome == .pass)
        #expect(r.summary.exitCode == 3)
    }

    @Test("A case that fails to start the target at all is a configuration error, not a result")
    func cannotStart() {
        let connector = FailingConnector(inMemoryDevice(), allowed: 0)
        #expect(throws: HarnessError(.targetStart, "")) {
            try runInMemory([decodeCase("a", "01", one)], connector: connector)
        }
    }
}
