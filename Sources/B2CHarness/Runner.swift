import B2CReport
import B2CWire
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs selected cases against one target and writes `events.jsonl`, `results.json`, `junit.xml` and
/// `report.html` into the output directory.
///
/// After a crash the target is restarted and the case retried once; a timeout kills and restarts the target.
/// Protocol violations (non-protocol lines, unknown ids, double answers) fail the case they belong to and the run
/// goes on. Cases the target did not declare a capability for are `unsupported` and never sent.
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
        public var progress: Bool

        public init(
            descriptor: TargetDescriptor, outDir: String, selection: Selection, resume: Bool, tool: String,
            vectorsManifestSha256: String?, options: [String: String], catalogueIds: [String], progress: Bool
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

    let config: Configuration
    let cases: [ConformanceCase]
    private var records: [String: CaseResult] = [:]
    private var requestCase: [Int64: String] = [:]
    private var lastSnapshot: UInt64 = 0

    public init(config: Configuration, cases: [ConformanceCase]) {
        self.config = config
        self.cases = cases
    }

    var resultsPath: String { config.outDir + "/results.json" }

    /// Runs the cases not yet recorded; returns the final results (also written to disk).
    public func run() throws(HarnessError) -> RunResults {
        signal(SIGPIPE, SIG_IGN)
        do {
            try FileManager.default.createDirectory(atPath: config.outDir, withIntermediateDirectories: true)
        } catch {
            throw HarnessError("\(config.outDir): cannot create the output directory")
        }
        let logPath = config.outDir + "/events.jsonl"
        let expectations = try loadExpectations()
        var runInfo: RunInfo
        var targetInfo = TargetInfo(
            name: config.descriptor.name, descriptor: config.descriptor.path, transport: "process")
        let log: EventLog
        if config.resume {
            let previous = try EventLog.read(path: logPath)
            runInfo = previous.run
            targetInfo = previous.target
            for c in previous.cases { records[c.id] = c }
            log = try EventLog(path: logPath, truncate: false)
        } else {
            runInfo = RunInfo(
                id: UUID().uuidString.lowercased(), startedAt: Self.timestamp(), tool: config.tool,
                vectorsManifestSha256: config.vectorsManifestSha256, seed: config.selection.seed,
                options: config.options)
            log = try EventLog(path: logPath, truncate: true)
            for name in ["results.json", "junit.xml", "report.html", "target-stderr.log"] {
                try? FileManager.default.removeItem(atPath: config.outDir + "/" + name)
            }
        }

        let pending = cases.filter { records[$0.id] == nil }
        let session = TargetSession(
            descriptor: config.descriptor, stderrPath: config.outDir + "/target-stderr.log",
            seed: config.selection.seed)
        if !pending.isEmpty || !config.resume {
            try prepare()
            let hello = try session.start()
            targetInfo.implementation = hello.implementation
            targetInfo.implementationVersion = hello.version
            targetInfo.capabilities = hello.capabilities.keys.sorted()
        }
        if !config.resume { log.start(run: runInfo, target: targetInfo, selection: config.selection) }

        var dead: String? = nil
        var done = cases.count - pending.count
        for c in pending {
            let result: CaseResult
            if let reason = dead {
                result = record(c, .error, reason, nil, 0, 0)
            } else {
                (result, dead) = execute(c, session: session, expectations: expectations)
            }
            records[c.id] = result
            log.record(result)
            for amended in takeDuplicateAnswers(session) { log.record(amended) }
            done += 1
            showProgress(done, c.id)
            snapshotIfDue(runInfo, targetInfo, expectations)
        }
        if dead == nil { session.finish() } else { session.stop() }
        for amended in takeDuplicateAnswers(session) { log.record(amended) }
        if config.progress { Console.out("\r\u{1b}[K") }

        runInfo.finishedAt = Self.timestamp()
        log.end(finishedAt: runInfo.finishedAt ?? "")
        let results = assemble(runInfo, targetInfo, expectations)
        try writeReports(results)
        return results
    }

    // MARK: One case

    private func execute(
        _ c: ConformanceCase, session: TargetSession, expectations: Expectations?
    ) -> (CaseResult, String?) {
        if let reason = expectations?.disabledReason(c.id) {
            return (record(c, .skipped, "disabled: \(reason)", nil, 0, 0), nil)
        }
        guard let hello = session.hello, hello.supports(c.op, parameter: c.requires) else {
            let what = c.requires.map { "\(c.op) with \($0.key) \($0.value)" } ?? c.op
            return (record(c, .unsupported, "target does not declare \(what)", nil, 0, 0), nil)
        }
        var attempts = 0
        var firstCrash: String? = nil
        while true {
            attempts += 1
            let started = Clock.now()
            let exchange = session.call(op: c.op, args: c.args)
            let ms = Double(Clock.now() - started) / 1e6
            requestCase[session.lastRequestId] = c.id
            switch exchange {
            case .answered(let body, let violations):
                var (outcome, reason, answer) = c.score(body, looseErrorCodes: config.descriptor.looseErrorCodes)
                if !violations.isEmpty {
                    outcome = .fail
                    reason = "protocol violation: " + violations.joined(separator: "; ")
                        + (reason.map { "; also \($0)" } ?? "")
                }
                if let crash = firstCrash {
                    reason = "crashed once (\(crash)), not on retry" + (reason.map { "; \($0)" } ?? "")
                }
                return (applyExpectations(record(c, outcome, reason, answer, ms, attempts), expectations), nil)
            case .timeout(let violations):
                let restart = restartFailure(session)
                let outcome: Outcome = violations.isEmpty ? .timeout : .fail
                let reason = violations.isEmpty
                    ? "no answer within \(config.descriptor.perCaseTimeoutMs) ms"
                    : "protocol violation: " + violations.joined(separator: "; ")
                let r = record(c, outcome, reason, Answer(kind: "none"), ms, attempts)
                return (applyExpectations(r, expectations), restart)
            case .crashed(let how, _):
                if let restart = restartFailure(session) {
                    let r = record(c, .crash, "target died (\(how)) and could not be restarted", Answer(kind: "none"), ms, attempts)
                    return (applyExpectations(r, expectations), restart)
                }
                if firstCrash == nil {
                    firstCrash = how
                    continue
                }
                let r = record(c, .crash, "target died (\(firstCrash ?? how), then \(how) on retry)", Answer(kind: "none"), ms, attempts)
                return (applyExpectations(r, expectations), nil)
            }
        }
    }

    /// Restarts the target; returns why it could not be restarted, or nil.
    private func restartFailure(_ session: TargetSession) -> String? {
        do {
            try session.start()
            return nil
        } catch {
            return "target could not be restarted: \(error.message)"
        }
    }

    private func record(
        _ c: ConformanceCase, _ outcome: Outcome, _ reason: String?, _ answer: Answer?, _ ms: Double, _ attempts: Int
    ) -> CaseResult {
        CaseResult(
            id: c.id, area: c.area, suite: c.suite, level: c.level, flags: c.flags,
            comment: c.comment.isEmpty ? nil : c.comment, specRefs: c.specRefs, vector: c.vector, outcome: outcome,
            expected: c.expected, actual: answer, reason: reason, durationMs: (ms * 1000).rounded() / 1000,
            attempts: attempts)
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
    private func takeDuplicateAnswers(_ session: TargetSession) -> [CaseResult] {
        let ids = session.duplicateAnswers
        session.duplicateAnswers.removeAll()
        var amended: [CaseResult] = []
        for id in ids {
            guard let caseId = requestCase[id], var r = records[caseId] else { continue }
            if r.outcome == .fail && r.reason?.contains("answered twice") == true { continue }
            r.outcome = .fail
            r.reason = "protocol violation: answered twice" + (r.reason.map { "; \($0)" } ?? "")
            records[caseId] = r
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
                step, cwd: config.descriptor.cwd, environment: config.descriptor.environment,
                logPath: config.outDir + "/target-stderr.log")
            guard status == 0 else {
                throw HarnessError(
                    "target \(config.descriptor.name): prepare step `\(step.joined(separator: " "))` failed "
                        + "(\(status)); see \(config.outDir)/target-stderr.log")
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
        let now = Clock.now()
        guard now - lastSnapshot > 2_000_000_000 else { return }
        lastSnapshot = now
        try? writeAtomically(resultsPath, ResultsJSON.encode(assemble(run, target, expectations)))
    }

    private func writeReports(_ results: RunResults) throws(HarnessError) {
        do {
            try writeAtomically(resultsPath, try ResultsJSON.encode(results))
            try writeAtomically(config.outDir + "/junit.xml", Array(JUnitWriter.render(results).utf8))
            try writeAtomically(config.outDir + "/report.html", Array(HTMLWriter.render(results).utf8))
        } catch let e as HarnessError {
            throw e
        } catch {
            throw HarnessError("\(config.outDir): cannot write reports: \(error)")
        }
    }

    private func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(HarnessError) {
        let temp = path + ".tmp"
        guard FileManager.default.createFile(atPath: temp, contents: Data(bytes)), rename(temp, path) == 0 else {
            throw HarnessError("\(path): cannot write")
        }
    }

    private var lastProgress: UInt64 = 0
    private func showProgress(_ done: Int, _ id: String) {
        guard config.progress else { return }
        let now = Clock.now()
        guard now - lastProgress > 100_000_000 || done == cases.count else { return }
        lastProgress = now
        var counts: [Outcome: Int] = [:]
        for r in records.values { counts[r.outcome, default: 0] += 1 }
        let tally = Outcome.all.compactMap { o in counts[o].map { "\(o) \($0)" } }.joined(separator: ", ")
        Console.out("\r\u{1b}[K[\(done)/\(cases.count)] \(tally)  \(id)")
    }

    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}

/// Unbuffered writes to stdout and stderr (no shared `FILE*` state).
public enum Console {
    public static func out(_ s: String) { put(1, s) }
    public static func err(_ s: String) { put(2, s) }
    public static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    private static func put(_ fd: Int32, _ s: String) { writeAll(fd, Array(s.utf8)) }
}
