import B2CReport
import Testing

@Suite("Summary and dispositions")
struct SummaryTests {
    private func area(_ cases: [CaseResult]) -> AreaSummary { AreaSummary(area: "cbor", cases: cases) }

    @Test(
        "One case's outcome and level decide its area's disposition",
        arguments: [
            (Outcome.pass, "required", Disposition.conformant), (.pass, "recommended", .conformant),
            (.fail, "required", .nonconformant), (.fail, "recommended", .conformant),
            (.crash, "required", .nonconformant), (.crash, "recommended", .nonconformant),
            (.timeout, "required", .nonconformant), (.timeout, "recommended", .nonconformant),
            (.xpass, "required", .nonconformant), (.xpass, "recommended", .nonconformant),
            (.error, "required", .incomplete), (.error, "recommended", .incomplete),
            (.unsupported, "required", .incomplete), (.unsupported, "recommended", .conformant),
            (.skipped, "required", .conformant), (.xfail, "required", .conformant),
            (.fail, "optional", .nonconformant),
        ] as [(Outcome, String, Disposition)]
    )
    func singleCase(outcome: Outcome, level: String, disposition: Disposition) {
        let c = Fixture.make("one", level: level, outcome: outcome)
        #expect(area([Fixture.make("ok", outcome: .pass), c]).disposition == disposition)
    }

    @Test("An area takes its worst case's disposition")
    func worstCaseWins() {
        let error = Fixture.make("e", outcome: .error)
        let fail = Fixture.make("f", outcome: .fail)
        let unsupported = Fixture.make("u", outcome: .unsupported)
        #expect(area([error, fail]).disposition == .nonconformant)
        #expect(area([fail, error]).disposition == .nonconformant)
        #expect(area([unsupported, error]).disposition == .incomplete)
    }

    @Test("Counts are split by level; any level but recommended counts as required")
    func countsByLevel() {
        let s = area([
            Fixture.make("a", outcome: .pass), Fixture.make("b", level: "recommended", outcome: .pass),
            Fixture.make("c", level: "recommended", outcome: .fail),
            Fixture.make("d", level: "optional", outcome: .fail),
        ])
        #expect(s.counts == ["pass": 2, "fail": 2])
        #expect(s.required == ["pass": 1, "fail": 1])
        #expect(s.recommended == ["pass": 1, "fail": 1])
    }

    @Test("Areas keep first-appearance order and the verdict is the worst area's disposition")
    func verdict() {
        let cases = [
            Fixture.make("a", area: "cose", outcome: .pass), Fixture.make("b", area: "cbor", outcome: .error),
            Fixture.make("c", area: "cose", outcome: .pass),
        ]
        let s = Summary(cases: cases)
        #expect(s.areas.map(\.area) == ["cose", "cbor"])
        #expect(s.areas.map(\.disposition) == [.conformant, .incomplete])
        #expect(s.verdict == .incomplete)
        #expect(s.counts == ["pass": 2, "error": 1])
        let worse = Summary(cases: cases + [Fixture.make("d", area: "hpke", outcome: .crash)])
        #expect(worse.verdict == .nonconformant)
    }

    @Test("Stale expectations make the verdict nonconformant and the exit code 1")
    func staleFailsTheRun() {
        let cases = [Fixture.make("a", outcome: .pass)]
        #expect(Summary(cases: cases).verdict == .conformant)
        let s = Summary(cases: cases, staleExpectations: 1)
        #expect(s.verdict == .nonconformant)
        #expect(s.areas.map(\.disposition) == [.conformant])
        #expect(s.exitCode == 1)
        #expect(Fixture.run(cases, stale: ["x", "y"]).summary.staleExpectations == 2)
    }

    @Test(
        "Exit codes: 0 expectations met, 1 unexpected results, 3 inconclusive",
        arguments: [
            ([Outcome.pass], 0), ([.pass, .xfail, .skipped], 0), ([.unsupported], 0),
            ([.pass, .fail], 1), ([.crash], 1), ([.timeout], 1), ([.xpass], 1),
            ([.error], 3), ([.error, .pass], 3), ([.error, .fail], 1),
        ] as [([Outcome], Int32)]
    )
    func exitCode(outcomes: [Outcome], code: Int32) {
        let cases = outcomes.enumerated().map { Fixture.make("c\($0.offset)", outcome: $0.element) }
        #expect(Summary(cases: cases).exitCode == code)
    }

    @Test("A recommended failure leaves the area conformant but is still an unexpected result")
    func recommendedFailure() {
        let s = Summary(cases: [Fixture.make("r", level: "recommended", outcome: .fail)])
        #expect(s.verdict == .conformant)
        #expect(s.exitCode == 1)
    }

    @Test("A run with fewer records than planned is incomplete, never conformant; failures still make it nonconformant")
    func unfinished() {
        let passing = [Fixture.make("a", outcome: .pass), Fixture.make("b", area: "mcuboot", outcome: .pass)]
        let done = Summary(cases: passing, planned: ["cbor": 1, "mcuboot": 1])
        #expect(done.isComplete && done.verdict == .conformant && done.exitCode == 0)
        let cut = Summary(cases: passing, planned: ["cbor": 3, "mcuboot": 1, "smp": 2])
        #expect(cut.plannedCases == 6)
        #expect(cut.missingCases == 4)
        #expect(cut.verdict == .incomplete)
        #expect(cut.exitCode == 3)
        #expect(cut.areas.map(\.area) == ["cbor", "mcuboot", "smp"])
        #expect(cut.areas.map(\.disposition) == [.incomplete, .conformant, .incomplete])
        #expect(cut.areas.last?.planned == 2)
        let failing = Summary(cases: passing + [Fixture.make("c", outcome: .fail)], planned: ["cbor": 9, "mcuboot": 1])
        #expect(failing.verdict == .nonconformant)
        #expect(failing.exitCode == 1)
        #expect(Summary(cases: passing).isComplete)
    }
}
