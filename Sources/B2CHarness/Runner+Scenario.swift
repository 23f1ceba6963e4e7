import B2CArea
import B2CReport
import B2CWire

#if canImport(Glibc)
    import Glibc
#endif

extension Runner {
    /// How a scenario ended.
    struct ScenarioRun {
        enum End {
            /// Every step ran; the verdict is the first unmet expectation's, or the last one's.
            case scored(Verdict, violations: [String])
            case timeout(violations: [String])
            case crashed(String)
            /// A `reset` step could not restart the target.
            case restartFailed(String)
        }
        var end: End
        /// The expectation the verdict (or the failure) belongs to: the one being worked toward when it ended.
        var expected: Expectation
    }

    /// Runs the steps of case `id`'s scenario; the first expectation that is not met ends it.
    func perform(
        _ scenario: Scenario,
        of id: String,
        explain: OutputExplainer? = nil,
        session: any TargetSession
    ) -> ScenarioRun {
        var last: WireResponse.Body?
        var violations: [String] = []
        var verdict: Verdict?
        let expectations = scenario.expectations
        var judged = 0
        func upcoming() -> Expectation {
            expectations.isEmpty ? Expectation(result: .acceptable) : expectations[min(judged, expectations.count - 1)]
        }
        for step in scenario.steps {
            switch step {
            case .send(let request):
                let exchange = session.call(op: request.op, args: request.args)
                requestCase[RequestKey(session: ObjectIdentifier(session), id: session.lastRequestId)] = id
                switch exchange {
                case .answered(let body, let v):
                    last = body
                    violations += v
                case .timeout(let v):
                    return ScenarioRun(end: .timeout(violations: violations + v), expected: upcoming())
                case .crashed(let how, _):
                    return ScenarioRun(end: .crashed(how), expected: upcoming())
                }
            case .expect(let expectation):
                judged += 1
                guard let body = last else { continue }
                let v = expectation.score(body, looseErrorCodes: config.descriptor.looseErrorCodes, explain: explain)
                verdict = v
                if v.outcome != .pass {
                    return ScenarioRun(end: .scored(v, violations: violations), expected: expectation)
                }
            case .wait(let ms):
                usleep(UInt32(ms) * 1000)
            case .reset:
                last = nil
                if let why = restartFailure(session) {
                    return ScenarioRun(end: .restartFailed(why), expected: upcoming())
                }
            }
        }
        let final = verdict ?? Verdict(.error, "the scenario judged no answer", answer: Answer(kind: .none))
        return ScenarioRun(end: .scored(final, violations: violations), expected: expectations.last ?? upcoming())
    }
}
