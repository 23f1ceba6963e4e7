import B2CArea
import B2CReport
import B2CWire
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs selected cases against one target and writes `events.jsonl`, `results.json`, `junit.xml` and
/// `report.html` into the output directory.
///
/// Each case's scenario runs step by step; its expectations are scored into one verdict. After a crash the target is
/// restarted and the scenario retried once; a timeout kills and restarts the target. Protocol violations
/// (non-protocol lines, unknown ids, double answers) fail the case they belong to and the run goes on. Cases the
/// target did not declare a capability for are `unsupported` and never sent.
///
/// The runner reaches the target through a ``TargetConnector``: a process for descriptors, an in-memory peer in
/// unit tests. It writes nothing to the console; `progress` receives the counts as the run goes.
public final class Runner {
    public struct Configuration {
        public var descriptor: TargetDescriptor
        public var outDir: String
        public var selection: Selection
        public var resume: Bool
        public var tool: String
        public var vectorsManifestSha256: String?
        public var options: [String: String]
        /// Every case id of the catalogue, to find expectation entries that match nothing.
        public var catalogueIds: [String]
        /// Called after each case with (cases done, cases in all, counts by outcome, the case's id).
        public var progress: (@Sendable (Progress) -> Void)?
        /// Where `report.html` links rule ids (the rule texts under `docs/rules/`); nil: no links.
        public var rules: RuleLinks?
        /// The sessions of native channels (`smp`), by channel name: the areas that speak them provide these. A case
        /// on a channel the target's descriptor names is sent through that channel's session.
        public var channelSessions: [String: ChannelSessionFactory] = [:]

        public init(
            descriptor: TargetDescriptor,
            outDir: String,
            selection: Selection,
            resume: Bool,
            tool: String,
            vectorsManifestSha256: String?,
            options: [String: String],
            catalogueIds: [String],
            progress: (@Sendable (Progress) -> Void)? = nil
        ) {
            self.descriptor = descriptor
            self.outDir = outDir
            self.selection = selection
            self.resume = resume
            self.tool = tool
            self.vectorsManifestSha256 = vectorsManifestSha256
            self.options = options
            self.catalogueIds = catalogueIds
            self.progress = progress
        }
    }

    /// How far a run is, for a progress display.
    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        public var counts: [Outcome: Int]
        public var lastCase: String
    }

    let config: Configuration
    let cases: [ConformanceCase]
    let connector: any TargetConnector
    private var records: [String: CaseResult] = [:]
    /// The records' counts by outcome, kept as they change (for progress, without a pass over every record).
    private var outcomeCounts: [Outcome: Int] = [:]
    /// The case each request was sent for, by session and request id (late duplicate answers name the id).
    var requestCase: [RequestKey: String] = [:]
    /// The native channels' sessions, started when their first case comes, and why a channel stopped serving.
    private var channelSessions: [String: any TargetSession] = [:]
    private var channelDead: [String: String] = [:]

    struct RequestKey: Hashable {
        var session: ObjectIdentifier
        var id: Int64
    }
    private var lastSnapshot: UInt64 = 0

    /// A runner for `cases`; `connector` overrides how the target is reached (default: the descriptor's transport).
    public init(config: Configuration, cases: [ConformanceCase], connector: (any TargetConnector)? = nil) {
        self.config = config
        self.cases = cases
        self.connector =
            connector ?? config.descriptor.transport.connector(stderrPath: config.outDir + "/target-stderr.log")
    }

    var resultsPath: String { config.outDir + "/results.json" }

    /// Runs the cases not yet recorded; returns the final results (also written to disk).
    public func run() throws(HarnessError) -> RunResults {
        signal(SIGPIPE, SIG_IGN)
        do {
            try FileManager.default.createDirectory(atPath: config.outDir, withIntermediateDirectories: true)
        } catch {
            throw HarnessError(.output, "\(config.outDir): cannot create the output directory")
        }
        let logPath = config.outDir + "/events.jsonl"
        let expectations = try loadExpectations()
        var runInfo: RunInfo
        var targetInfo = TargetInfo(
            name: config.descriptor.name,
            descriptor: config.descriptor.path,
            transport: connector.kind
        )
        let log: EventLog
        if config.resume {
            let previous = try EventLog.read(path: logPath)
            runInfo = previous.run
            targetInfo = previous.target
            for c in previous.cases { keep(c) }
            log = try EventLog(path: logPath, truncate: false, keeping: previous.intactLength)
        } else {
            runInfo = RunInfo(
                id: UUID().uuidString.lowercased(),
                startedAt: Self.timestamp(),
                tool: config.tool,
                vectorsManifestSha256: config.vectorsManifestSha256,
                seed: config.selection.seed,
                options: config.options
            )
            log = try EventLog(path: logPath, truncate: true)
            for name in ["results.json", "junit.xml", "report.html", "target-stderr.log"] {
                try? FileManager.default.removeItem(atPath: config.outDir + "/" + name)
            }
        }

        // The selection, so any reader of a snapshot can tell a run cut short from a finished one.
        var planned: [String: Int] = [:]
        for c in cases { planned[c.info.area, default: 0] += 1 }
        runInfo.planned = planned
        let pending = cases.filter { records[$0.id] == nil }
        let session = WireSession(
            name: config.descriptor.name,
            connector: connector,
            seed: config.selection.seed,
            perCaseTimeoutMs: config.descriptor.perCaseTimeoutMs,
            startupTimeoutMs: config.descriptor.startupTimeoutMs,
            logHint: config.outDir + "/target-stderr.log"
        )
        session.capabilityOverrides = config.descriptor.capabilities
        let hasWire = config.descriptor.transport != .channelsOnly
        if !pending.isEmpty || !config.resume {
            try prepare()
            if hasWire && pending.contains(where: { $0.channel == nil }) {
                let hello = try session.start()
                targetInfo.implementation = hello.implementation
                targetInfo.implementationVersion = hello.version
                targetInfo.capabilities = hello.capabilities.keys.sorted()
            }
        }
        targetInfo.transport =
            ([hasWire ? connector.kind : nil]
            + config.descriptor.channels.keys.sorted().map { name in
                config.descriptor.channels[name].map { "\(name):\($0.kind)" }
            }).compactMap { $0 }.joined(separator: " ")
        if !config.resume { log.start(run: runInfo, target: targetInfo, selection: config.selection) }

        var dead: String? = nil
        var done = cases.count - pending.count
        for c in pending {
            let result: CaseResult
            switch self.session(for: c, wire: session, wireDead: dead, hasWire: hasWire, target: &targetInfo) {
            case .use(let s):
                let (r, died) = execute(c, session: s, expectations: expectations)
                result = r
                if let died {
                    if let channel = c.channel { channelDead[channel] = died } else { dead = died }
                }
                for amended in takeDuplicateAnswers(s) { log.record(amended) }
            case .refuse(let outcome, let reason):
                result = record(c, outcome, reason, nil, 0, 0)
            }
            keep(result)
            log.record(result)
            done += 1
            showProgress(done, c.id)
            snapshotIfDue(runInfo, targetInfo, expectations)
        }
        if dead == nil { session.finish() } else { session.stop() }
        for amended in takeDuplicateAnswers(session) { log.record(amended) }
        for (name, s) in channelSessions.sorted(by: { $0.key < $1.key }) {
            if channelDead[name] == nil { s.finish() } else { s.stop() }
            for amended in takeDuplicateAnswers(s) { log.record(amended) }
        }

        runInfo.finishedAt = Self.timestamp()
        log.end(finishedAt: runInfo.finishedAt ?? "")
        let results = assemble(runInfo, targetInfo, expectations)
        try writeReports(results)
        return results
    }

    // MARK: One case

    private enum SessionChoice {
        case use(any TargetSession)
        case refuse(Outcome, String)
    }

    /// The session a case goes through: the wire session, or its channel's (started on first use). A case whose
    /// channel the target does not have is `unsupported`; one whose channel cannot serve is an `error`.
    private func session(
        for c: ConformanceCase,
        wire: any TargetSession,
        wireDead: String?,
        hasWire: Bool,
        target: inout TargetInfo
    ) -> SessionChoice {
        guard let channel = c.channel else {
            guard hasWire else { return .refuse(.unsupported, "the target has no wire-protocol transport") }
            if let wireDead { return .refuse(.error, wireDead) }
            return .use(wire)
        }
        if let running = channelSessions[channel] { return .use(running) }
        if let why = channelDead[channel] { return .refuse(.error, why) }
        guard let transport = config.descriptor.channels[channel] else {
            return .refuse(.unsupported, "the target has no \(channel) channel")
        }
        guard let factory = config.channelSessions[channel] else {
            return .refuse(.error, "no area speaks the \(channel) channel")
        }
        let context = ChannelContext(
            targetName: config.descriptor.name,
            seed: config.selection.seed,
            perCaseTimeoutMs: config.descriptor.perCaseTimeoutMs,
            startupTimeoutMs: config.descriptor.startupTimeoutMs,
            logPath: config.outDir + "/target-stderr.log"
        )
        do {
            let s = try factory(transport, context)
            let hello = try s.start()
            if target.implementation == nil {
                target.implementation = hello.implementation
                target.implementationVersion = hello.version
            }
            target.capabilities = Array(Set(target.capabilities).union(hello.capabilities.keys)).sorted()
            channelSessions[channel] = s
            return .use(s)
        } catch {
            let why = "the \(channel) channel cannot be reached: \(error.reason)"
            channelDead[channel] = why
            return .refuse(.error, why)
        }
    }

    private func execute(
        _ c: ConformanceCase,
        session: any TargetSession,
        expectations: Expectations?
    ) -> (CaseResult, String?) {
        if let reason = expectations?.disabledReason(c.id) {
            return (record(c, .skipped, "disabled: \(reason)", nil, 0, 0), nil)
        }
        if let problem = c.scenario.problem {
            return (record(c, .error, "the case's scenario is malformed: \(problem)", nil, 0, 0), nil)
        }
        if let missing = c.requirements.first(where: {
            !(session.hello?.supports($0.op, parameter: $0.parameter, value: $0.value) ?? false)
        }) {
            return (record(c, .unsupported, "target does not declare \(missing)", nil, 0, 0), nil)
        }
        var attempts = 0
        var firstCrash: String? = nil
        while true {
            attempts += 1
            let started = MonotonicClock.now()
            let run = perform(c.scenario, of: c.id, explain: c.explain, session: session)
            let ms = Double(MonotonicClock.now() - started) / 1e6
            switch run.end {
            case .scored(var verdict, let violations):
                if !violations.isEmpty {
                    verdict.reason =
                        "protocol violation: " + violations.joined(separator: "; ")
                        + (verdict.reason.map { "; also \($0)" } ?? "")
                    verdict.outcome = .fail
                }
                if let crash = firstCrash {
                    verdict.reason = "crashed once (\(crash)), not on retry" + (verdict.reason.map { "; \($0)" } ?? "")
                }
                var r = record(c, verdict.outcome, verdict.reason, verdict.answer, ms, attempts, expected: run.expected)
                if verdict.outcome != .pass {
                    r.category =
                        !violations.isEmpty
                        ? "protocol violation" : firstCrash != nil ? "crashed once, not on retry" : verdict.category
                    r.mismatch = verdict.mismatch
                }
                return (applyExpectations(r, expectations), nil)
            case .timeout(let violations):
                let restart = restartFailure(session)
                let outcome: Outcome = violations.isEmpty ? .timeout : .fail
                let reason =
                    violations.isEmpty
                    ? "no answer within \(config.descriptor.perCaseTimeoutMs) ms"
                    : "protocol violation: " + violations.joined(separator: "; ")
                let r = record(c, outcome, reason, Answer(kind: .none), ms, attempts, expected: run.expected)
                return (applyExpectations(r, expectations), restart)
            case .crashed(let how):
                if let restart = restartFailure(session) {
                    let r = record(
                        c,
                        .crash,
                        "target died (\(how)) and could not be restarted",
                        Answer(kind: .none),
                        ms,
                        attempts,
                        expected: run.expected
                    )
                    return (applyExpectations(r, expectations), restart)
                }
                if firstCrash == nil {
                    firstCrash = how
                    continue
                }
                let r = record(
                    c,
                    .crash,
                    "target died (\(firstCrash ?? how), then \(how) on retry)",
                    Answer(kind: .none),
                    ms,
                    attempts,
                    expected: run.expected
                )
                return (applyExpectations(r, expectations), nil)
            case .restartFailed(let why):
                let r = record(c, .error, why, nil, ms, attempts, expected: run.expected)
                return (r, why)
            }
        }
    }

    /// Restarts the target; returns why it could not be restarted, or nil.
    func restartFailure(_ session: any TargetSession) -> String? {
        do {
            try session.start()
            return nil
        } catch {
            return "target could not be restarted: \(error.reason)"
        }
    }

    private func record(
        _ c: ConformanceCase,
        _ outcome: Outcome,
        _ reason: String?,
        _ answer: Answer?,
        _ ms: Double,
        _ attempts: Int,
        expected: Expectation? = nil
    ) -> CaseResult {
        CaseResult(
            info: c.info,
            outcome: outcome,
            expected: expected ?? c.expected,
            actual: answer,
            reason: reason,
            durationMs: (ms * 1000).rounded() / 1000,
            attempts: attempts
        )
    }

    private func applyExpectations(_ r: CaseResult, _ expectations: Expectations?) -> CaseResult {
        guard let why = expectations?.expectedFailure(r.id) else { return r }
        var out = r
        switch r.outcome {
        case .fail, .crash, .timeout:
            out.outcome = .xfail
            out.reason = "expected failure (\(why)); \(r.outcome): \(r.reason ?? "")"
        case .pass:
            out.outcome = .xpass
            out.reason = "listed as an expected failure (\(why)) but passed"
        default:
            break
        }
        return out
    }

    /// Cases whose request the target answered a second time: they fail, whatever they scored before.
    private func takeDuplicateAnswers(_ session: any TargetSession) -> [CaseResult] {
        let ids = session.duplicateAnswers
        session.duplicateAnswers.removeAll()
        var amended: [CaseResult] = []
        for id in ids {
            guard let caseId = requestCase[RequestKey(session: ObjectIdentifier(session), id: id)],
                var r = records[caseId]
            else { continue }
            if r.outcome == .fail && r.reason?.contains("answered twice") == true { continue }
            r.outcome = .fail
            r.reason = "protocol violation: answered twice" + (r.reason.map { "; \($0)" } ?? "")
            keep(r)
            amended.append(r)
        }
        return amended
    }

    // MARK: Setup and output

    private func loadExpectations() throws(HarnessError) -> Expectations? {
        guard let path = config.descriptor.expectationsPath else { return nil }
        return try Expectations.load(path: path, target: config.descriptor.name)
    }

    private func prepare() throws(HarnessError) {
        for step in config.descriptor.prepare {
            let status = try ProcessTransport.runToCompletion(
                step,
                cwd: config.descriptor.workingDirectory,
                environment: config.descriptor.transport.environment,
                logPath: config.outDir + "/target-stderr.log"
            )
            guard status == 0 else {
                throw HarnessError(
                    .prepare,
                    "target \(config.descriptor.name): prepare step `\(step.joined(separator: " "))` failed "
                        + "(\(status)); see \(config.outDir)/target-stderr.log"
                )
            }
        }
    }

    private func assemble(_ run: RunInfo, _ target: TargetInfo, _ expectations: Expectations?) -> RunResults {
        let ordered = cases.compactMap { records[$0.id] }
        let report = expectations.map {
            ExpectationReport(file: $0.path, stale: $0.unmatched(among: config.catalogueIds))
        }
        return RunResults(run: run, target: target, cases: ordered, expectations: report)
    }

    private func snapshotIfDue(_ run: RunInfo, _ target: TargetInfo, _ expectations: Expectations?) {
        let now = MonotonicClock.now()
        guard now - lastSnapshot > 2_000_000_000 else { return }
        lastSnapshot = now
        try? writeAtomically(resultsPath, ResultsJSON.encode(assemble(run, target, expectations)))
    }

    private func writeReports(_ results: RunResults) throws(HarnessError) {
        do {
            try writeAtomically(resultsPath, try ResultsJSON.encode(results))
            try writeAtomically(config.outDir + "/junit.xml", Array(JUnitWriter.render(results).utf8))
            try writeAtomically(
                config.outDir + "/report.html",
                Array(HTMLWriter.render(results, rules: config.rules).utf8)
            )
        } catch let e as HarnessError {
            throw e
        } catch {
            throw HarnessError(.output, "\(config.outDir): cannot write reports: \(error)")
        }
    }

    private func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(HarnessError) {
        let temp = path + ".tmp"
        guard FileManager.default.createFile(atPath: temp, contents: Data(bytes)), rename(temp, path) == 0 else {
            throw HarnessError(.output, "\(path): cannot write")
        }
    }

    /// Records a case's result, replacing an earlier one.
    private func keep(_ r: CaseResult) {
        if let old = records[r.id] { outcomeCounts[old.outcome, default: 0] -= 1 }
        records[r.id] = r
        outcomeCounts[r.outcome, default: 0] += 1
    }

    private func showProgress(_ done: Int, _ id: String) {
        guard let progress = config.progress else { return }
        progress(Progress(done: done, total: cases.count, counts: outcomeCounts.filter { $0.value > 0 }, lastCase: id))
    }

    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}
