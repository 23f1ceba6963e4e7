import B2CTestSupport
import Foundation
import Testing

@testable import B2CGenerators

@Suite("b2c command line: bad input, diag, vectors", .serialized)
struct CLITests {
    @Test(
        "Bad targets, options and vectors: one line on stderr naming what and where, exit 2",
        arguments: [
            (["run", "--target", "/nonexistent/t.json"], "/nonexistent/t.json: cannot read the target descriptor"),
            (["run", "--suite", "nosuch"], "--suite nosuch: no such area or suite"),
            (["run", "--filter", "nothing*"], "the selection matches no case"),
            (["run", "--bogus"], "Unknown option '--bogus'"),
            (["run", "--resume"], "--resume needs --out DIR"),
            (["run", "--resume", "--out", "/nonexistent-dir"], "/nonexistent-dir/events.jsonl: no run to resume here"),
            (["run", "--seed", "xyz"], "--seed must be 1 to 32 hex digits"),
            (["cbor", "diag", "/nonexistent.cbor"], "/nonexistent.cbor: cannot read"),
        ]
    )
    func badInput(_ args: [String], _ message: String) throws {
        let r = try runProcess([binDir + "/b2c"] + args)
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test("A malformed target file is refused with its path and the field")
    func malformedTarget() throws {
        let dir = tempDir("badtarget")
        for (text, message) in [
            ("{", "not valid JSON"), (#"{"schema": "b2c-target_v1"}"#, "\"name\" must be"),
            (#"{"schema": "b2c-target_v1", "name": "x", "transport": {"kind": "serial"}}"#, "transport.kind must be"),
            (
                #"{"schema": "b2c-target_v1", "name": "x", "transport": {"kind": "process", "command": ["/bin/true"]}, "errorCodes": "lax"}"#,
                "\"errorCodes\" must be"
            ),
            (
                #"{"schema": "b2c-target_v1", "name": "x", "transport": {"kind": "process", "command": ["/bin/true"]}, "capabilities": {"image.verify": {"checks": "none"}}}"#,
                "capabilities.image.verify must map parameter names to arrays of strings"
            ),
        ] {
            let path = dir + "/t.json"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let r = try b2c("run", "--target", path, "--out", dir + "/out")
            #expect(r.status == 2)
            #expect(r.stderr.hasPrefix("b2c: \(path): ") && r.stderr.contains(message), "\(r.stderr)")
        }
    }

    @Test("A target that cannot start is a configuration error (exit 2), not a failed run")
    func unstartable() throws {
        let dir = tempDir("nostart")
        let path = dir + "/t.json"
        try
            #"{"schema": "b2c-target_v1", "name": "ghost", "transport": {"kind": "process", "command": ["/nonexistent/shim"]}}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let r = try b2c("run", "--target", path, "--out", dir + "/out")
        #expect(r.status == 2)
        #expect(r.stderr.contains("cannot start /nonexistent/shim"), "\(r.stderr)")
    }

    @Test("A vector file that differs from MANIFEST.json is refused")
    func tamperedVectors() throws {
        let dir = tempDir("vectors")
        try FileManager.default.copyItem(atPath: repoRoot + "/vectors", toPath: dir + "/vectors")
        let file = dir + "/vectors/cbor/cbor_appendix_f_test.json"
        var text = try String(contentsOfFile: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"cbor.truncated\"", with: "\"cbor.trailing_bytes\"")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try b2c("run", "--vectors", dir + "/vectors", "--out", dir + "/out")
        #expect(r.status == 2)
        #expect(r.stderr.contains("cbor_appendix_f_test.json: sha256 differs from MANIFEST.json"), "\(r.stderr)")
        let check = try b2c("vectors", "check", "--vectors", dir + "/vectors")
        #expect(check.status == 1)
        #expect(check.stderr.contains("differs from what its generator produces"))
    }

    @Test("b2c cbor diag reports all 94 Appendix F items with their code (exit 1)")
    func diagAppendixF() throws {
        for item in RFC8949Tables.appendixF {
            let r = try b2c("cbor", "diag", "--hex", "-", stdin: item.hex)
            #expect(r.status == 1, "\(item.hex)")
            #expect(r.stdout.hasPrefix(item.code + " at offset "), "\(item.hex): \(r.stdout)")
        }
    }

    @Test("b2c cbor diag prints diagnostic notation; --deterministic adds the §4.2.1 checks")
    func diagValid() throws {
        let r = try b2c("cbor", "diag", "--hex", "-", stdin: "a2 01 02 18 64 9f f9 3c 00 ff\n")
        #expect(r.status == 0)
        #expect(r.stdout == "{1: 2, 100: [_ 1.0]}\n")
        let d = try b2c("cbor", "diag", "--hex", "--deterministic", "-", stdin: "a2 01 02 18 64 9f f9 3c 00 ff")
        #expect(d.status == 1)
        #expect(d.stdout.hasPrefix("cbor.indefinite_length at offset 5"))
        let bad = try b2c("cbor", "diag", "--hex", "-", stdin: "0g")
        #expect(bad.status == 2)
    }

    @Test("b2c vectors check and fmt --check pass on the committed vectors")
    func vectorsCheck() throws {
        let check = try b2c("vectors", "check")
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("all reproduced"))
        let fmt = try b2c("vectors", "fmt", "--check")
        #expect(fmt.status == 0, "\(fmt.stderr)")
    }

    @Test("b2c --help lists every command the README documents; --version prints the version")
    func topLevelHelp() throws {
        let help = try b2c("--help")
        #expect(help.status == 0)
        for command in ["run", "cbor", "image", "vectors", "report", "device"] {
            #expect(help.stdout.contains("\n  \(command) "), "b2c --help does not list \(command)")
        }
        let version = try b2c("--version")
        #expect(version.status == 0 && version.stdout == "0.1.0\n")
    }

    @Test("image sign --help describes every option and lists --version once")
    func signHelp() throws {
        let help = try b2c("image", "sign", "--help")
        #expect(help.status == 0)
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let options = try #require(lines.firstIndex(of: "OPTIONS:"))
        var undocumented: [String] = []
        let name = /^  (-[A-Za-z], )?--[a-z0-9-]+( <[a-z0-9-]+>)?/
        for (i, line) in lines.enumerated() where i > options && line.hasPrefix("  -") {
            // The description follows the name on the same line, or on the next line, indented.
            let rest = line.replacing(name, with: "").trimmingCharacters(in: .whitespaces)
            let nextLine = i + 1 < lines.count && lines[i + 1].hasPrefix(String(repeating: " ", count: 20))
            if rest.isEmpty && !nextLine { undocumented.append(line) }
        }
        #expect(undocumented.isEmpty, "\(undocumented)")
        let versions = lines.dropFirst(options).filter { $0.contains("--version") }
        #expect(versions.count == 1, "\(versions)")
    }

    /// Help is ArgumentParser's page alone, on stdout: no raw usage line before it (nor instead of it, as the
    /// device's own usage did).
    @Test(
        "help pages start with the overview and carry one usage line",
        arguments: [
            ["--help"], ["image", "--help"], ["image", "sign", "--help"], ["image", "create", "-h"],
            ["image", "verify", "--help"], ["image", "dumpinfo", "--help"], ["image", "getpubhash", "--help"],
            ["help", "image", "sign"], ["device", "--help"],
        ]
    )
    func helpPages(_ args: [String]) throws {
        let help = try runProcess([binDir + "/b2c"] + args)
        #expect(help.status == 0 && help.stderr.isEmpty, "\(help.stderr)")
        let lines = help.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("OVERVIEW: ") == true, "\(args): \(lines.first ?? "")")
        let usage = lines.filter { $0.lowercased().hasPrefix("usage:") }
        #expect(usage.count == 1 && usage.first?.hasPrefix("USAGE: b2c ") == true, "\(args): \(usage)")
    }

    @Test(
        "a wrong invocation is one line on stderr, no usage text",
        arguments: [
            ["bogus"], ["image", "bogus"], ["image", "sign", "--bogus"], ["image", "verify"], ["image", "sign", "-k"],
        ]
    )
    func wrongInvocation(_ args: [String]) throws {
        let r = try runProcess([binDir + "/b2c"] + args)
        #expect(r.status == 2 && r.stdout.isEmpty, "\(args): \(r.stdout)")
        let err = r.stderr.split(separator: "\n")
        #expect(err.count == 1 && err.first?.hasPrefix("b2c: ") == true, "\(args): \(r.stderr)")
        #expect(!r.stderr.lowercased().contains("usage"), "\(args): \(r.stderr)")
    }
}
