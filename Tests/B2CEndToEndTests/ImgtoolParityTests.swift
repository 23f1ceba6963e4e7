import B2CTestSupport
import Foundation
import Testing

private let bench = Result { try Workbench() }

/// Where users script imgtool, b2c answers as imgtool 2.5.0 does, run side by side on the same inputs: the same
/// stdout, and the same exit status. b2c's own lines come after imgtool's, never instead of them.
@Suite(
    "imgtool 2.5.0 parity where users script it",
    .serialized,
    .enabled(if: hasImgtool, "needs .venv/bin/imgtool (scripts/test installs it)")
)
struct ImgtoolParityTests {
    static let base = ["--pad-header", "-H", "0x200", "-v", "1.2.3+4", "-S", "0x20000"]

    private func sign(_ w: Workbench, _ args: [String], _ out: String) throws {
        let r = try w.imgtoolRun(["sign"] + args + Self.base + ["app.bin", out])
        try #require(r.status == 0, "imgtool sign \(args): \(r.stderr)")
    }

    @Test("getpubhash -o and --name-suffix write what imgtool writes, and refuse what it refuses")
    func getpubhash() throws {
        let w = try bench.get()
        let body = { (s: [UInt8]) in String(decoding: s, as: UTF8.self).split(separator: "\n").dropFirst() }
        for key in ["ed25519", "ecdsa-p256", "ecdsa-p384", "rsa-2048"] {
            for extra in [[], ["--name-suffix", "_2"], ["-e", "lang-c", "--name-suffix", "Key1"]] {
                let args = ["getpubhash", "-k", "\(key).pem"] + extra
                let i = try w.imgtoolRun(args + ["-o", "i.h"])
                let b = try w.b2cRun(args + ["-o", "b.h"])
                try #require(i.status == 0 && b.status == 0, "\(args): \(i.stderr) \(b.stderr)")
                #expect(i.stdout.isEmpty && b.stdout.isEmpty)
                // Only the comment line differs: it names the generator.
                #expect(Array(body(w.bytes("i.h"))) == Array(body(w.bytes("b.h"))), "\(args)")
                // Without -o, the same text on stdout.
                let bs = try w.b2cRun(args)
                #expect(Array(body(Array(bs.stdout.utf8))) == Array(body(w.bytes("b.h"))))
            }
            let raw = ["getpubhash", "-k", "\(key).pem", "-e", "raw", "-o"]
            try #require(try w.imgtoolRun(raw + ["i.raw"]).status == 0)
            try #require(try w.b2cRun(raw + ["b.raw"]).status == 0)
            #expect(w.bytes("i.raw") == w.bytes("b.raw") && w.bytes("i.raw").count == 32)
        }
        for bad in [
            ["getpubhash", "-e", "raw", "--name-suffix", "_2"], ["getpubhash", "--name-suffix", "a-b"],
            ["getpub", "--name-suffix", "a b"], ["getpub", "-e", "pem", "--name-suffix", "_2"],
        ] {
            let args = bad + ["-k", "ed25519.pem"]
            let i = try w.imgtoolRun(args)
            let b = try w.b2cRun(args)
            #expect(i.status == 2 && b.status == 2, "\(args): imgtool \(i.status), b2c \(b.status)")
            #expect(b.stdout.isEmpty && b.stderr.split(separator: "\n").count == 1, "\(b.stderr)")
        }
    }
}
