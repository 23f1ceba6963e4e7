import B2CTestSupport
import Foundation
import Testing

/// `b2c image …` on bad input: where imgtool 2.5.0 dies with a Python traceback (MCUboot notes §16.2), b2c prints
/// one line naming the problem and exits 2; an image it cannot read is a clean verdict (exit 1) with a code.
@Suite("b2c image: bad input", .serialized)
struct ImageCLITests {
    static let dir: String = {
        let d = tempDir("image-cli")
        try? Data((0..<200).map { UInt8($0) }).write(to: URL(fileURLWithPath: d + "/app.bin"))
        _ = try? runProcess([binDir + "/b2c", "image", "keygen", "-k", "ed.pem", "-t", "ed25519"], cwd: d)
        _ = try? runProcess([binDir + "/b2c", "image", "keygen", "-k", "x.pem", "-t", "x25519"], cwd: d)
        return d
    }()
    static let base = ["image", "sign", "-H", "0x20", "--pad-header", "-S", "0x10000"]

    @Test(
        "imgtool's traceback inputs get one line and exit 2",
        arguments: [
            (["-v", "256.0.0", "app.bin", "o.img"], "major 256 is above 255"),
            (["-v", "1.0.65536", "app.bin", "o.img"], "revision 65536 is above 65535"),
            (["-v", "1.0.0+4294967296", "app.bin", "o.img"], "build 4294967296 is above 4294967295"),
            (["-v", "1.0.0", "-s", "4294967296", "app.bin", "o.img"], "does not fit in 32 bits"),
            (["-v", "1.0.0", "-k", "x.pem", "app.bin", "o.img"], "X25519 key encrypts images; it cannot sign"),
            (["-v", "1.0.0", "--cid", "mcu-app", "app.bin", "o.img"], "needs --vid"),
            (["-v", "1.0.0", "-d", "(256, 1.0.0)", "app.bin", "o.img"], "is not 0–255"),
            (["-v", "01.2.3", "app.bin", "o.img"], "leading zero"),
            (["-v", "1.0.0", "-e", "big", "app.bin", "o.img"], "only little-endian"),
            (["-v", "1.0.0", "-S", "0x100", "app.bin", "o.img"], "exceeds the slot size"),
            (["-v", "1.0.0", "--pure", "-k", "x.pem", "app.bin", "o.img"], "--pure needs an Ed25519 signing key"),
            (["-v", "1.0.0", "app.bin", "/nonexistent/o.img"], "/nonexistent/o.img: cannot write"),
            (["-v", "1.0.0", "nosuch.bin", "o.img"], "nosuch.bin: cannot read"),
        ]
    )
    func signErrors(_ args: [String], _ message: String) throws {
        var argv = [binDir + "/b2c"] + Self.base
        // A later -S wins in ArgumentParser only as an error, so drop the default when the case sets it.
        if args.contains("-S") { argv.removeLast(2) }
        let r = try runProcess(argv + args, cwd: Self.dir)
        #expect(r.status == 2, "\(r.stdout)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test("verify: 0 valid, 1 invalid with the code, 2 for a missing key file; dumpinfo --json parses")
    func verifyExitCodes() throws {
        let sign = try runProcess(
            [binDir + "/b2c"] + Self.base + ["-v", "1.2.3", "-k", "ed.pem", "app.bin", "ok.img"],
            cwd: Self.dir
        )
        try #require(sign.status == 0, "\(sign.stderr)")
        #expect(
            try runProcess([binDir + "/b2c", "image", "verify", "-k", "ed.pem", "ok.img"], cwd: Self.dir).status == 0
        )
        var bytes = try Data(contentsOf: URL(fileURLWithPath: Self.dir + "/ok.img"))
        bytes[0] ^= 1
        try bytes.write(to: URL(fileURLWithPath: Self.dir + "/bad.img"))
        let bad = try runProcess([binDir + "/b2c", "image", "verify", "-k", "ed.pem", "bad.img"], cwd: Self.dir)
        #expect(bad.status == 1 && bad.stdout.contains("image.bad_magic at offset 0"), "\(bad.stdout)")
        let nokey = try runProcess([binDir + "/b2c", "image", "verify", "-k", "none.pem", "ok.img"], cwd: Self.dir)
        #expect(nokey.status == 2 && nokey.stderr.contains("none.pem: cannot read"), "\(nokey.stderr)")
        let dump = try runProcess([binDir + "/b2c", "image", "dumpinfo", "--json", "ok.img"], cwd: Self.dir)
        #expect(dump.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
        let header = json?["header"] as? [String: Any]
        #expect(header?["version"] as? String == "1.2.3+0")
        #expect(((json?["tlv_area"] as? [String: Any])?["tlvs"] as? [Any])?.count == 3)
        let garbage = try runProcess([binDir + "/b2c", "image", "dumpinfo", "app.bin"], cwd: Self.dir)
        #expect(garbage.status == 1 && garbage.stdout.contains("image.bad_magic"), "\(garbage.stdout)")
    }

    @Test("lint: exit 0 on a clean image, 1 with every fault listed (JSON), warnings alone do not fail")
    func lint() throws {
        let sign = try runProcess(
            [binDir + "/b2c"] + Self.base + ["-v", "1.2.3", "-k", "ed.pem", "app.bin", "l.img"],
            cwd: Self.dir
        )
        try #require(sign.status == 0, "\(sign.stderr)")
        let clean = try runProcess([binDir + "/b2c", "image", "lint", "-k", "ed.pem", "l.img"], cwd: Self.dir)
        #expect(clean.status == 0 && clean.stdout.contains("0 errors, 0 warnings"), "\(clean.stdout)")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: Self.dir + "/l.img"))
        bytes[28] = 1  // _pad1: a warning (N28), and the hash no longer matches (N10), so the signature fails too
        bytes[0] ^= 1  // bad magic (N1)
        try bytes.write(to: URL(fileURLWithPath: Self.dir + "/l2.img"))
        let bad = try runProcess([binDir + "/b2c", "image", "lint", "--json", "-k", "ed.pem", "l2.img"], cwd: Self.dir)
        #expect(bad.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(bad.stdout.utf8)) as? [String: Any]
        let rules = Set(((json?["findings"] as? [[String: Any]]) ?? []).compactMap { $0["rule"] as? String })
        #expect(rules.isSuperset(of: ["N1", "N28"]), "\(bad.stdout)")
        #expect((json?["errors"] as? Int ?? 0) >= 1)
    }
}
