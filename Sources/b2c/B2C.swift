import ArgumentParser
import B2CHarness
import B2CReport
import B2CVectors
import Foundation

@main
struct B2C: ParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "b2c",
        abstract: "Conformance and fuzzing suite for the boot-to-cloud security chain of an IoT device.",
        subcommands: [
            RunCommand.self, CBORCommand.self, ImageCommand.self, VectorsCommand.self, ReportCommand.self,
            DeviceCommand.self, SMPCommand.self,
        ]
    )

    /// `b2c --version`. A flag of the root alone (not the configuration's `version`, which ArgumentParser would also
    /// list in every subcommand's help, beside `image sign`'s own `-v/--version`).
    @Flag(name: .long, help: "Show the version.") var version = false

    func run() throws {
        guard version else { throw CleanExit.helpRequest(self) }
        Console.out(Self.version + "\n")
    }

    /// Exit codes as DESIGN.md gives them: usage and configuration errors are 2, always with one line on stderr.
    static func main() {
        do {
            let args = SMPConnection.hoistingConnectionOptions(Array(CommandLine.arguments.dropFirst()))
            var command = try parseAsRoot(pairingTwoValueOptions(args))
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error as CLIError {
            Console.err("b2c: \(error.message)\n")
            Foundation.exit(2)
        } catch let error as HarnessError {
            Console.err("b2c: \(error.reason)\n")
            Foundation.exit(2)
        } catch let error as VectorError {
            Console.err("b2c: \(error.description)\n")
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Console.out(fullMessage(for: error) + "\n")
                Foundation.exit(0)
            }
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            Console.err("b2c: \(message)\n")
            Foundation.exit(2)
        }
    }
}

/// imgtool's `--custom-tlv TAG VALUE` and `--custom-tlv-file TAG FILE` take two values; ArgumentParser options take
/// one, so the pair is joined with a unit separator here and split again by `ImageSign`.
func pairingTwoValueOptions(_ args: [String]) -> [String] {
    var out: [String] = []
    var i = 0
    // imgtool (click) also takes a short option's value attached (`-H0x200`, `-kkey.pem`): split those, for the
    // options of `b2c image` that take a value.
    let attached: Set<Character> = ["k", "H", "S", "v", "s", "d", "M", "e", "E", "F", "L", "x", "R", "o", "t", "f"]
    var args = args
    if args.first == "image" {
        args = args.flatMap { a -> [String] in
            guard a.count > 2, a.hasPrefix("-"), !a.hasPrefix("--"), let c = a.dropFirst().first, attached.contains(c)
            else { return [a] }
            return [String(a.prefix(2)), String(a.dropFirst(2))]
        }
    }
    while i < args.count {
        if ["--custom-tlv", "--custom-tlv-file"].contains(args[i]), i + 2 < args.count {
            out += [args[i], args[i + 1] + pairSeparator + args[i + 2]]
            i += 3
        } else {
            out.append(args[i])
            i += 1
        }
    }
    return out
}

let pairSeparator = "\u{1f}"

/// Where things are.
enum Paths {
    /// This executable, resolved.
    static var selfExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The vectors directory: the option, else `$B2C_VECTORS`, else the nearest `vectors/MANIFEST.json` above the
    /// working directory or above this executable.
    static func vectors(_ option: String?) throws(CLIError) -> String {
        if let option { return option }
        if let env = ProcessInfo.processInfo.environment["B2C_VECTORS"], !env.isEmpty { return env }
        let starts = [FileManager.default.currentDirectoryPath, (selfExecutable as NSString).deletingLastPathComponent]
        for start in starts {
            var dir = URL(fileURLWithPath: start)
            while true {
                let candidate = dir.appendingPathComponent("vectors")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("MANIFEST.json").path) {
                    return candidate.path
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        throw CLIError("cannot find vectors/MANIFEST.json above \(starts[0]); pass --vectors DIR")
    }

    /// Where a report in `outDir` links rule ids: `docs/rules/` beside the vectors directory, when it is there.
    static func ruleLinks(vectors: String, outDir: String) -> RuleLinks? {
        let rules = URL(fileURLWithPath: vectors).standardizedFileURL.deletingLastPathComponent()
            .appendingPathComponent("docs/rules")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: rules.path) else { return nil }
        let areas = Set(names.filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) })
        guard !areas.isEmpty else { return nil }
        return RuleLinks(base: relative(rules.path, from: outDir), areas: areas)
    }

    /// `path` as seen from directory `from` (both made absolute): `../../docs/rules`.
    static func relative(_ path: String, from: String) -> String {
        let target = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        let base = URL(fileURLWithPath: from).standardizedFileURL.pathComponents
        var common = 0
        while common < target.count && common < base.count && target[common] == base[common] { common += 1 }
        let up = Array(repeating: "..", count: base.count - common)
        let parts = up + target[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
