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
            ["getpub", "-l", "c", "-e", "lang-c"],
        ] {
            let args = bad + ["-k", "ed25519.pem"]
            let i = try w.imgtoolRun(args)
            let b = try w.b2cRun(args)
            #expect(i.status == 2 && b.status == 2, "\(args): imgtool \(i.status), b2c \(b.status)")
            #expect(b.stdout.isEmpty && b.stderr.split(separator: "\n").count == 1, "\(b.stderr)")
        }
    }

    /// keyinfo prints the kind, then refuses a mismatch with --require (exit 2), as imgtool does.
    @Test("keyinfo --require prints the kind before it refuses, as imgtool")
    func keyinfo() throws {
        let w = try bench.get()
        try #require(try w.imgtoolRun(["getpub", "-k", "ed25519.pem", "-e", "pem", "-o", "ki.pub.pem"]).status == 0)
        for key in ["ed25519.pem", "ki.pub.pem"] {
            for require in [[], ["--require", "private"], ["--require", "public"]] {
                let args = ["keyinfo", "-k", key] + require
                let i = try w.imgtoolRun(args)
                let b = try w.b2cRun(args)
                #expect(i.status == b.status && i.stdout == b.stdout, "\(args): imgtool \(i.status) \(i.stdout)")
            }
        }
    }

    static let signers = ["", "rsa-2048", "ecdsa-p256", "ecdsa-p384", "ed25519"]
    static let recipients = ["rsa-2048", "rsa-3072", "ecdsa-p256", "ecdsa-p384", "ed25519", "x25519"]

    /// Every pairing of `-k` and `-E` imgtool accepts, b2c accepts, unless imgtool's image cannot be decrypted by
    /// any bootloader: no key TLV at all, or an RSA-OAEP TLV that is not 256 bytes (judged from imgtool's own
    /// dumpinfo). Then b2c refuses with one line saying so. What imgtool refuses, b2c refuses.
    @Test("sign takes the key pairings imgtool takes, and refuses with a reason the images nothing can decrypt")
    func pairings() throws {
        let w = try bench.get()
        for signer in Self.signers {
            for recipient in Self.recipients {
                let k = signer.isEmpty ? [] : ["-k", "\(signer).pem"]
                let args = k + ["-E", "\(recipient).pem"] + Self.base + ["app.bin"]
                let what = "-k \(signer) -E \(recipient)"
                let i = try w.imgtoolRun(["sign"] + args + ["pi.img"])
                let b = try w.b2cRun(["sign"] + args + ["pb.img"])
                if i.status != 0 {
                    #expect(i.status == 2 && b.status == 2, "\(what): imgtool \(i.status), b2c \(b.status)")
                    #expect(b.stderr.split(separator: "\n").count == 1, "\(what): \(b.stderr)")
                    continue
                }
                let dump = try w.imgtoolRun(["dumpinfo", "-f", "json", "pi.img"])
                let doc = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
                let tlvs = ((doc["tlv_area"] as? [String: Any])?["tlvs"] as? [[String: Any]]) ?? []
                let keyTLV = tlvs.first { ($0["type_name"] as? String)?.hasPrefix("ENC") == true }
                let recoverable =
                    keyTLV.map { $0["type_name"] as? String != "ENCRSA2048" || $0["len"] as? Int == 256 } ?? false
                if recoverable {
                    #expect(b.status == 0, "\(what): imgtool signs it, b2c: \(b.stderr)")
                } else {
                    #expect(b.status == 2, "\(what): imgtool's image has no usable key TLV; b2c must refuse")
                    #expect(b.stderr.split(separator: "\n").count == 1, "\(b.stderr)")
                    #expect(b.stderr.contains("no bootloader can decrypt"), "\(what): \(b.stderr)")
                }
            }
        }
    }

    static let verifyCases: [(sign: [String]?, verify: [String])] = [
        (["-k", "ed25519.pem"], ["-k", "ed25519.pem"]),
        (["-k", "ed25519.pem", "--pure"], ["-k", "ed25519.pem"]),
        ([], []),
        (["--sha", "384"], []),
        (["-k", "ecdsa-p384.pem"], ["-k", "ecdsa-p384.pem"]),
        (["-k", "rsa-2048.pem"], ["-k", "rsa-2048.pem"]),
        (["-k", "ed25519.pem"], []),
        // Failures: imgtool's verdict line first.
        ([], ["-k", "ed25519.pem"]),
        (["-k", "ed25519.pem"], ["-k", "ecdsa-p256.pem"]),
        (["-k", "ed25519.pem"], ["-k", "ecdsa-p384.pem"]),
        (["-k", "ecdsa-p384.pem"], ["-k", "ed25519.pem"]),
        (["-k", "rsa-2048.pem"], ["-k", "rsa-3072.pem"]),
        (["--sha", "512"], ["-k", "ecdsa-p256.pem"]),
        (nil, ["-k", "ed25519.pem"]),  // a flipped body byte
        (nil, []),  // not an image
    ]

    /// A valid image gives imgtool's lines and nothing else (the key index only with -v); an invalid one gives
    /// imgtool's verdict line, then b2c's reason; the exit status is imgtool's.
    @Test("verify prints imgtool's lines", arguments: verifyCases.indices)
    func verify(_ index: Int) throws {
        let w = try bench.get()
        let c = Self.verifyCases[index]
        let image = "v\(index).img"
        if let args = c.sign {
            try sign(w, args, image)
        } else if c.verify.isEmpty {
            try Data(w.bytes("app.bin")).write(to: URL(fileURLWithPath: w.dir + "/" + image))
        } else {
            try sign(w, ["-k", "ed25519.pem"], image)
            var bytes = w.bytes(image)
            bytes[0x200 + 7] ^= 0x80
            try Data(bytes).write(to: URL(fileURLWithPath: w.dir + "/" + image))
        }
        let i = try w.imgtoolRun(["verify"] + c.verify + [image])
        let b = try w.b2cRun(["verify"] + c.verify + [image])
        #expect(i.status == b.status, "\(c): imgtool \(i.status) \(i.stdout), b2c \(b.status) \(b.stdout)")
        #expect(b.stderr.isEmpty, "\(b.stderr)")
        if i.status == 0 {
            #expect(b.stdout == i.stdout, "\(c)")
            let verbose = try w.b2cRun(["verify", "-v"] + c.verify + [image])
            #expect(verbose.stdout.hasPrefix(i.stdout))
            #expect(verbose.stdout.contains("\nKey: 0 (") == !c.verify.isEmpty, "\(verbose.stdout)")
        } else {
            let lines = b.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first.map { $0 + "\n" } == Substring(i.stdout), "\(c): imgtool \(i.stdout), b2c \(b.stdout)")
            #expect(lines.count == 3 && lines[1].hasPrefix("invalid: image."), "\(b.stdout)")
        }
    }

    static let dumpCases: [[String]] = [
        ["-k", "ed25519.pem"],
        [
            "-k", "ed25519.pem", "-s", "5", "--boot-record", "SPE", "-d", "(1, 1.2.3)", "--confirm", "--align", "8",
            "--max-align", "16",
        ],
        ["-k", "ed25519.pem", "-E", "x25519.pem", "--pad", "-L", "0x20000000", "--non-bootable"],
        ["-k", "rsa-2048.pem", "-R", "0", "--test", "--align", "32", "--custom-tlv", "0xa0", "0x0102"],
        [
            "-k", "ecdsa-p256.pem", "-E", "ecdsa-p256.pem", "--encrypt-keylen", "256", "--clear", "--confirm", "-F",
            "0x8000",
        ],
        ["--pure", "-k", "ed25519.pem", "--vid", "example.com", "--cid", "mcu-app"],
        [],
    ]

    /// The human layout line for line, and the JSON document field for field (b2c's extras aside), for images with
    /// protected TLVs, trailers of every alignment, flags, imgtool's type names and an unknown trailer magic.
    @Test("dumpinfo's human layout and JSON are imgtool's", arguments: dumpCases.indices)
    func dumpinfo(_ index: Int) throws {
        let w = try bench.get()
        let image = "d\(index).img"
        try sign(w, Self.dumpCases[index], image)
        var names = [image]
        if index == 0 {
            // Bytes after the TLVs that are no trailer: imgtool warns and shows the magic alone.
            try Data(w.bytes(image) + Array("not a trailer, just bytes".utf8))
                .write(to: URL(fileURLWithPath: w.dir + "/junk.img"))
            names.append("junk.img")
        }
        try FileManager.default.createDirectory(atPath: w.dir + "/sub", withIntermediateDirectories: true)
        try Data(w.bytes(image)).write(to: URL(fileURLWithPath: w.dir + "/sub/" + image))
        names.append("sub/" + image)  // the document names the file by its base name
        for name in names {
            let i = try w.imgtoolRun(["dumpinfo", name])
            let b = try w.b2cRun(["dumpinfo", name])
            #expect(i.status == 0 && b.status == 0, "\(b.stderr)")
            #expect(b.stdout == i.stdout, "human layout of \(name)\n\(i.stdout)\n\(b.stdout)")
            let ij = try w.imgtoolRun(["dumpinfo", "-f", "json", name])
            let bj = try w.b2cRun(["dumpinfo", "-f", "json", name])
            try #require(ij.status == 0 && bj.status == 0, "\(bj.stderr)")
            // imgtool prints its warning on stdout before the document; b2c keeps stdout a document.
            let theirsText = ij.stdout.drop { $0 != "{" }
            let theirs = try JSONSerialization.jsonObject(with: Data(theirsText.utf8)) as? [String: Any]
            var ours = try #require(try JSONSerialization.jsonObject(with: Data(bj.stdout.utf8)) as? [String: Any])
            #expect(ours["b2c"] is [String: Any])
            ours["b2c"] = nil
            #expect(NSDictionary(dictionary: ours).isEqual(to: theirs ?? [:]), "\(name)\n\(ours)\n\(theirs ?? [:])")
            #expect(bj.stderr == String(ij.stdout.prefix { $0 != "{" }), "the warning, on stderr")
        }
    }
}
