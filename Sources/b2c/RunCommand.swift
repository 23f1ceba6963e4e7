import ArgumentParser
import B2CArea
import B2CAreas
import B2CDevice
import B2CHarness
import B2CReport
import B2CVectors
import B2CWire
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run conformance suites against a target and write results.json, junit.xml and report.html.",
        discussion: """
            With no --target, runs against the built-in reference device. Exit codes: 0 expectations met, \
            1 unexpected results, 2 usage or configuration error, 3 inconclusive (harness errors).
            """
    )

    @Option(name: .long, help: "Target descriptor (targets/NAME.json). Default: the built-in reference device.")
    var target: String?

    @Option(
        name: .long,
        parsing: .upToNextOption,
        help: "Areas or suites to run: --suite cbor mcuboot_parse, or --suite cbor,mcuboot_parse."
    )
    var suite: [String] = []

    @Option(name: .long, help: "Only cases whose id matches this glob (repeatable).")
    var filter: [String] = []

    @Option(name: .long, help: "Output directory. Default: out/<target name>.")
    var out: String?

    @Flag(name: .long, help: "Finish the interrupted run in --out with its original selection.")
    var resume = false

    @Option(name: .long, help: "Run seed, hex (passed to the target in hello). Default: random.")
    var seed: String?

    @Option(name: .long, help: "Vectors directory. Default: the nearest vectors/ with a MANIFEST.json.")
    var vectors: String?

    @Flag(name: .long, help: "Print one line per non-passing case at the end, however many there are.")
    var verbose = false

    func run() throws {
        var selection: Selection
        var outDir: String
        if resume {
            guard let out else { throw CLIError("--resume needs --out DIR, the directory of the run to finish") }
            outDir = out
            selection = try EventLog.read(path: out + "/events.jsonl").selection
            if target != nil || !suite.isEmpty || !filter.isEmpty || seed != nil {
                Console.err("b2c: --resume uses the run's own selection; --target/--suite/--filter/--seed ignored\n")
            }
        } else {
            let seedText = seed ?? String(UInt64.random(in: 0 ... .max), radix: 16)
            guard seedText.allSatisfy(\.isHexDigit), !seedText.isEmpty, seedText.count <= 32 else {
                throw CLIError("--seed must be 1 to 32 hex digits")
            }
            selection = Selection(
                target: target.map { TargetDescriptor.resolve($0, against: FileManager.default.currentDirectoryPath) },
                suites: suite.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                    .filter { !$0.isEmpty },
                filters: filter,
                seed: seedText.lowercased(),
                vectors: try Paths.vectors(vectors)
            )
            outDir = out ?? ""
        }
        let descriptor =
            try selection.target.map { path throws(HarnessError) in try TargetDescriptor.load(path: path) }
            ?? Self.builtIn()
        if outDir.isEmpty { outDir = "out/\(descriptor.name)" }

        let registry = BuiltInAreas.registry
        guard registry.conflicts.isEmpty else {
            throw CLIError("area registry: " + registry.conflicts.joined(separator: "; "))
        }
        let store = try VectorStore(directory: selection.vectors)
        let all = try Catalogue.load(store: store, registry: registry)
        let unknownSuites = selection.suites.filter { s in !all.contains { $0.info.area == s || $0.info.suite == s } }
        if let bad = unknownSuites.first {
            let names = Set(all.map(\.info.area) + all.map(\.info.suite)).sorted().joined(separator: ", ")
            throw CLIError("--suite \(bad): no such area or suite; known: \(names)")
        }
        let cases = Catalogue.select(all, suites: selection.suites, filters: selection.filters)
        guard !cases.isEmpty else {
            // Show what ids look like: the first case of a few suites.
            var areas = Set<String>()
            var suites = Set<String>()
            let byArea = all.filter { areas.insert($0.info.area).inserted }
            let bySuite = all.filter { suites.insert($0.info.suite).inserted && !byArea.map(\.id).contains($0.id) }
            let examples = (byArea + bySuite.reversed()).prefix(4).map(\.id)
            throw CLIError(
                "the selection matches no case; ids are AREA/SUITE/CASE, e.g. \(examples.joined(separator: ", ")) "
                    + "(--filter takes globs: * and ?)"
            )
        }

        var options: [String: String] = [:]
        if !selection.suites.isEmpty { options["suite"] = selection.suites.joined(separator: ",") }
        if !selection.filters.isEmpty { options["filter"] = selection.filters.joined(separator: ",") }
        if let t = selection.target { options["target"] = t }
        var config = Runner.Configuration(
            descriptor: descriptor,
            outDir: outDir,
            selection: selection,
            resume: resume,
            tool: "b2c \(B2C.version)",
            vectorsManifestSha256: store.manifestSha256,
            options: options,
            catalogueIds: all.map(\.id),
            progress: Console.stdoutIsTerminal ? ProgressLine().show : nil
        )
        config.rules = Paths.ruleLinks(vectors: selection.vectors, outDir: outDir)
        let runner = Runner(config: config, cases: cases)
        let results = try runner.run()
        if Console.stdoutIsTerminal { Console.out("\r\u{1b}[K") }
        Console.out(Scorecard.render(results, outDir: outDir, verbose: verbose))
        throw ExitCode(results.summary.exitCode)
    }

    /// The built-in reference device: this executable's `device --stdio`.
    static func builtIn() -> TargetDescriptor {
        let cwd = FileManager.default.currentDirectoryPath
        return TargetDescriptor(
            name: "b2c-device",
            description: "b2c's reference implementation (built in)",
            transport: .process(command: [Paths.selfExecutable, "device", "--stdio"], cwd: cwd, environment: [:]),
            workingDirectory: cwd
        )
    }
}

/// The one-line progress counter on a terminal, redrawn at most ten times a second.
final class ProgressLine: @unchecked Sendable {
    private var last: UInt64 = 0

    func show(_ p: Runner.Progress) {
        let now = MonotonicClock.now()
        guard now - last > 100_000_000 || p.done == p.total else { return }
        last = now
        let tally = Outcome.all.compactMap { o in p.counts[o].map { "\(o) \($0)" } }.joined(separator: ", ")
        Console.out("\r\u{1b}[K[\(p.done)/\(p.total)] \(tally)  \(p.lastCase)")
    }
}

/// The console summary of a run.
enum Scorecard {
    static func render(_ r: RunResults, outDir: String, verbose: Bool) -> String {
        var lines: [String] = []
        let impl = [r.target.implementation, r.target.implementationVersion].compactMap { $0 }.joined(separator: " ")
        lines.append("b2c run: target \(r.target.name) (\(impl)), \(r.cases.count) cases, seed \(r.run.seed)")
        // Each count column is as wide as its name or its largest count, so the table fits 100 columns.
        let columns = Outcome.all.map(\.rawValue)
        let widths = columns.map { c in
            max(c.count, r.summary.areas.map { String($0.counts[c] ?? 0).count }.max() ?? 1) + 2
        }
        let header = "  " + pad("area", 10) + pad("disposition", 15) + zip(columns, widths).map { pad($0, $1) }.joined()
        lines.append(header.trimmingTrailingSpaces)
        for a in r.summary.areas {
            let counts = zip(columns, widths).map { pad(String(a.counts[$0] ?? 0), $1) }.joined()
            lines.append(("  " + pad(a.area, 10) + pad(a.disposition.rawValue, 15) + counts).trimmingTrailingSpaces)
        }
        let bad = r.groups(of: Set(Outcome.all.filter { $0.isUnexpected || $0 == .error }))
        if !bad.isEmpty {
            let total = bad.reduce(0) { $0 + $1.cases.count }
            let more = verbose ? "" : "; --verbose lists every case"
            lines.append(
                "unexpected results: \(total) in \(bad.count) group\(bad.count == 1 ? "" : "s") by reason\(more)"
            )
            for g in bad.prefix(verbose ? bad.count : groupLimit) {
                lines.append(clip("  \(g.cases.count) × \(g.outcome) \(g.key)"))
                for c in g.cases.prefix(verbose ? g.cases.count : examplesPerGroup) {
                    let line = "      " + c.id + ((particulars(c) ?? c.comment).map { ": " + $0 } ?? "")
                    lines.append(verbose ? line : clip(line))
                }
                if !verbose && g.cases.count > examplesPerGroup {
                    lines.append("      … \(g.cases.count - examplesPerGroup) more")
                }
            }
            if !verbose && bad.count > groupLimit {
                lines.append("  … \(bad.count - groupLimit) more groups (--verbose, or see the report)")
            }
        }
        if let stale = r.expectations?.stale, !stale.isEmpty {
            lines.append("stale expectations in \(r.expectations?.file ?? ""): \(stale.joined(separator: ", "))")
        }
        lines.append("verdict: \(r.summary.verdict)")
        lines.append("results: \(outDir)/results.json")
        lines.append("junit:   \(outDir)/junit.xml")
        lines.append("report:  \(outDir)/report.html")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The widest line the scorecard writes without `--verbose`.
    static let width = 100

    /// Groups and cases per group the scorecard lists without `--verbose`.
    static let groupLimit = 12
    static let examplesPerGroup = 3

    /// What is particular to a case beyond its group's reason: the target's own words for a rejection, else what
    /// the reason adds to its category (where two values part, a crash's exit status and last stderr line).
    static func particulars(_ c: CaseResult) -> String? {
        if let detail = c.actual?.detail, !detail.isEmpty, c.actual?.kind == .err { return "target: " + detail }
        guard let reason = c.reason, reason != c.groupKey else { return nil }
        let rest = reason.hasPrefix(c.groupKey) ? String(reason.dropFirst(c.groupKey.count)) : reason
        let trimmed = rest.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    static func clip(_ line: String) -> String {
        line.count <= width ? line : String(line.prefix(width - 1)) + "…"
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Regenerate junit.xml and report.html from a results.json.",
        discussion:
            "Exits as the run would: 0 expectations met, 1 unexpected results, 3 inconclusive (an unfinished run)."
    )

    @Option(name: .long, help: "The results.json to read.")
    var from: String

    @Option(name: .long, help: "Directory for junit.xml and report.html. Default: beside results.json.")
    var out: String?

    func run() throws {
        let data = try FileAccess.read(from)
        let results: RunResults
        do {
            results = try ResultsJSON.decode(data)
        } catch {
            throw CLIError("\(from): \(error)")
        }
        let dir = out ?? (from as NSString).deletingLastPathComponent
        let outDir = dir.isEmpty ? "." : dir
        try FileAccess.write(Array(JUnitWriter.render(results).utf8), to: outDir + "/junit.xml")
        let rules = (try? Paths.vectors(nil)).flatMap { Paths.ruleLinks(vectors: $0, outDir: outDir) }
        try FileAccess.write(Array(HTMLWriter.render(results, rules: rules).utf8), to: outDir + "/report.html")
        Console.out("wrote \(outDir)/junit.xml and \(outDir)/report.html\n")
        if !results.summary.isComplete {
            let planned = results.summary.plannedCases ?? results.cases.count
            Console.out(
                "unfinished run: \(planned - results.summary.missingCases) of \(planned) planned cases have a result; "
                    + "finish it with `b2c run --out DIR --resume`\n"
            )
        }
        Console.out("verdict: \(results.summary.verdict)\n")
        throw ExitCode(results.summary.exitCode)
    }
}

struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Serve the reference device on stdin/stdout (b2c-device); --violate RULE, --list-violations.",
        discussion: """
            Options (those of b2c-device):
              --stdio                Serve the wire protocol on stdin/stdout.
              --violate <rule>       Break this rule (repeatable; see --list-violations).
              --misbehave <kind:hex> Misbehave (crash, hang, garbage, twice, wrong-id,
                                     silent-exit, slow) on a request whose data is HEX.
              --delay-ms <n>         Wait n ms (0-60000) before each answer.
              --list-violations      List the rules --violate takes.
              --smp-serial           Serve SMP (mcumgr) on a pty instead; prints its path.
              --smp-udp <host:port>  Serve SMP over UDP instead; prints the address.
              --link <path>          With --smp-serial: a symlink to the pty.
              --baudrate <n>         With --smp-serial: pace the pty to n baud.
              --flash-dir <dir>      Keep the flash areas as files in dir.
              --strategy <s>         swap-move (default), swap-scratch, overwrite-only.
              --downgrade-prevention <off|version|security-counter>
              --recovery             Start in MCUboot serial recovery.
              --misbehave <kind:n>   With --smp-serial: drop-frame, bad-crc, stray-frame,
                                     reset-mid-upload at the n-th response or chunk.
              --list-smp-violations  List the smp.* rules --violate takes.
            """
    )

    @Argument(parsing: .captureForPassthrough, help: "b2c-device's options (see above).")
    var arguments: [String] = []

    func run() throws {
        // ArgumentParser passes -h/--help through to the device, whose own usage lines would stand in for help.
        if arguments.contains("-h") || arguments.contains("--help") { throw CleanExit.helpRequest(self) }
        throw ExitCode(ReferenceDevice.main(arguments: arguments, registry: BuiltInAreas.registry))
    }
}

extension String {
    /// The string without the spaces at its end.
    var trimmingTrailingSpaces: String {
        var out = self
        while out.hasSuffix(" ") { out.removeLast() }
        return out
    }
}
