import B2CDevice
import B2CTestSupport
import Foundation
import Testing

private let venv = repoRoot + "/.venv/bin"
private let peer = repoRoot + "/scripts/peers/smp_peer.py"

/// Whether the venv holds smpmgr, smpclient and imgtool (scripts/test installs them from scripts/requirements.txt).
private let hasPeers: Bool = {
    guard hasVenv, FileManager.default.isExecutableFile(atPath: venv + "/smpmgr"),
        FileManager.default.isExecutableFile(atPath: venv + "/imgtool"),
        let r = try? runProcess([venv + "/python3", "-c", "import smpclient, smp, cryptography"])
    else {
        print("SMP interop tests SKIPPED: no .venv with smpmgr, smpclient and imgtool (run scripts/test)")
        return false
    }
    return r.status == 0
}()

/// `b2c-device --smp-serial` (or `--smp-udp`) started for one test; its first stdout line is where it listens.
private final class RunningDevice {
    let process = Process()
    let address: String

    init(_ args: [String]) throws {
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: binDir + "/b2c-device")
        process.arguments = args
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line: [UInt8] = []
        while let b = try out.fileHandleForReading.read(upToCount: 1), let c = b.first, c != 0x0a { line.append(c) }
        address = String(decoding: line, as: UTF8.self)
    }

    deinit {
        // SIGKILL: the test runner's signal mask can leave SIGTERM blocked in the child.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

private func smpmgr(_ port: String, _ args: String...) throws -> Completed {
    try runProcess([venv + "/smpmgr", "--port", port, "--timeout", "5"] + args)
}

/// smpclient's reading of every OS and image read (`smp_peer.py survey`/`udp`), as JSON.
private func survey(_ args: [String]) throws -> [String: Any] {
    let r = try runProcess([venv + "/python3", peer] + args)
    guard r.status == 0, let d = r.stdout.data(using: .utf8),
        let json = try JSONSerialization.jsonObject(with: d) as? [String: Any]
    else { throw PeerFailed(description: "smp_peer.py \(args): \(r.status) \(r.stderr)") }
    return json
}

private struct PeerFailed: Error, CustomStringConvertible { let description: String }

/// The image entries smpclient read.
private func images(_ s: [String: Any]) -> [[String: Any]] {
    let fields = ((s["state"] as? [String: Any])?["fields"] as? [String: Any]) ?? [:]
    return (fields["images"] as? [[String: Any]]) ?? []
}

/// The slots smpclient read, as (slot, version, hash hex, confirmed, active).
private func slots(_ s: [String: Any]) -> [(Int, String, String, Bool, Bool)] {
    let fields = ((s["state"] as? [String: Any])?["fields"] as? [String: Any]) ?? [:]
    return ((fields["images"] as? [[String: Any]]) ?? []).map {
        (
            $0["slot"] as? Int ?? -1, $0["version"] as? String ?? "", $0["hash"] as? String ?? "",
            $0["confirmed"] as? Bool ?? false, $0["active"] as? Bool ?? false
        )
    }
}

/// imgtool's digest of an image (the hash TLV it verified): the oracle for the hash the device reports.
private func imgtoolDigest(_ key: String, _ file: String) throws -> String {
    let r = try runProcess([venv + "/imgtool", "verify", "-k", key, file])
    guard r.status == 0, let line = r.stdout.split(separator: "\n").first(where: { $0.hasPrefix("Image digest: ") })
    else { throw PeerFailed(description: "imgtool verify \(file): \(r.stdout) \(r.stderr)") }
    return String(line.dropFirst("Image digest: ".count))
}

/// Signs `payload` with imgtool for the device's slots.
private func imgtoolSign(_ key: String, _ payload: String, _ out: String, version: String) throws {
    let r = try runProcess([
        venv + "/imgtool", "sign", "--key", key, "--header-size", "0x200", "--pad-header", "--align", "8",
        "--version", version, "--slot-size", "0x20000", payload, out,
    ])
    guard r.status == 0 else { throw PeerFailed(description: "imgtool sign: \(r.stderr)") }
}

@Suite(
    "SMP device against smpmgr, smpclient and imgtool",
    .serialized,
    .enabled(if: hasPeers, "needs .venv with smpmgr, smpclient, imgtool (scripts/test installs them)")
)
struct SMPInteropTests {
    let dir = tempDir("smp-interop")

    /// The device's key as a PEM (the seed rule of ``SMPDeviceImages``), and a 20 000-byte payload.
    func setUp() throws -> (key: String, payload: String) {
        let key = dir + "/device-key.pem"
        let r = try runProcess([venv + "/python3", peer, "key", SMPDeviceImages.keySeedText, key])
        #expect(r.status == 0, "\(r.stderr)")
        let payload = dir + "/app.bin"
        let bytes = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) }
        FileManager.default.createFile(atPath: payload, contents: Data(bytes))
        return (key, payload)
    }

    @Test("smpmgr: echo, state-read, upload, state-write HASH, reset (test), reset (revert); flash kept in --flash-dir")
    func upgradeAndRevert() throws {
        let (key, payload) = try setUp()
        let signed = dir + "/app.signed.bin"
        try imgtoolSign(key, payload, signed, version: "1.2.3")
        let digest = try imgtoolDigest(key, signed)
        let flash = dir + "/flash"
        var device: RunningDevice? = try RunningDevice(["--smp-serial", "--link", dir + "/tty", "--flash-dir", flash])
        let port = try #require(device?.address)
        #expect(port == dir + "/tty")

        let echo = try smpmgr(port, "os", "echo", "hello pty")
        #expect(echo.status == 0)
        #expect(echo.stdout.contains("r='hello pty'"), "\(echo.stdout)")

        // The factory image: imgtool's digest of the primary slot file is the hash smpmgr prints.
        let factory = try imgtoolDigest(key, flash + "/primary.bin")
        let read = try smpmgr(port, "image", "state-read")
        #expect(read.stdout.contains(factory.uppercased()), "\(read.stdout)")
        #expect(read.stdout.contains("version='1.0.0'"))

        let up = try smpmgr(port, "image", "upload", signed)
        #expect(up.status == 0, "\(up.stdout) \(up.stderr)")
        var s = try survey(["survey", port])
        #expect(slots(s).map(\.2) == [factory, digest])

        let write = try smpmgr(port, "image", "state-write", digest)
        #expect(write.status == 0)
        // smpmgr prints nothing of the answer; smpclient's reading of the state shows the slot pending.
        s = try survey(["survey", port])
        let second = images(s).first { $0["slot"] as? Int == 1 }
        #expect(second?["pending"] as? Bool == true)
        #expect(second?["permanent"] as? Bool == false)
        #expect(try smpmgr(port, "os", "reset").status == 0)
        s = try survey(["survey", port])
        #expect(slots(s).first?.1 == "1.2.3")
        #expect(slots(s).first?.2 == digest)
        #expect(slots(s).first?.3 == false, "the tested image runs unconfirmed")
        #expect(slots(s).first?.4 == true)

        // Not confirmed: the next reset reverts.
        #expect(try smpmgr(port, "os", "reset").status == 0)
        s = try survey(["survey", port])
        #expect(slots(s).first?.1 == "1.0.0")
        #expect(slots(s).first?.3 == true)

        // The flash survives the process.
        device = nil
        device = try RunningDevice(["--smp-serial", "--link", dir + "/tty", "--flash-dir", flash])
        s = try survey(["survey", port])
        #expect(slots(s).map(\.1) == ["1.0.0", "1.2.3"])
        _ = device
    }

    @Test("smpmgr: upload, state-write, reset, confirm: the image stays; a foreign key's image never boots")
    func confirmAndBadSignature() throws {
        let (key, payload) = try setUp()
        let signed = dir + "/app.signed.bin"
        try imgtoolSign(key, payload, signed, version: "1.5.0")
        let digest = try imgtoolDigest(key, signed)
        let device = try RunningDevice(["--smp-serial", "--link", dir + "/tty"])
        let port = device.address
        #expect(try smpmgr(port, "image", "upload", signed).status == 0)
        #expect(try smpmgr(port, "image", "state-write", digest).status == 0)
        #expect(try smpmgr(port, "os", "reset").status == 0)
        let confirm = try smpmgr(port, "image", "state-write", "--confirm")
        #expect(confirm.status == 0)
        #expect(try smpmgr(port, "os", "reset").status == 0)
        var s = try survey(["survey", port])
        #expect(slots(s).first?.1 == "1.5.0")
        #expect(slots(s).first?.3 == true)

        let other = dir + "/other-key.pem"
        #expect(try runProcess([venv + "/imgtool", "keygen", "-t", "ed25519", "-k", other]).status == 0)
        let foreign = dir + "/foreign.signed.bin"
        try imgtoolSign(other, payload, foreign, version: "2.0.0")
        let foreignDigest = try imgtoolDigest(other, foreign)
        #expect(try smpmgr(port, "image", "upload", foreign).status == 0)
        #expect(try smpmgr(port, "image", "state-write", foreignDigest).status == 0)
        #expect(try smpmgr(port, "os", "reset").status == 0)
        s = try survey(["survey", port])
        #expect(slots(s).first?.1 == "1.5.0", "an image the device's key did not sign must not run")
    }

    @Test("smpclient: an upgrade-only upload of an older image fails with CURRENT_VERSION_IS_NEWER")
    func downgradeRefused() throws {
        let (key, payload) = try setUp()
        let old = dir + "/old.signed.bin"
        try imgtoolSign(key, payload, old, version: "0.9.0")
        let device = try RunningDevice(["--smp-serial", "--link", dir + "/tty"])
        let r = try runProcess([venv + "/python3", peer, "upload", device.address, old, "--upgrade"])
        #expect(r.stdout.contains("\"ok\": false"), "\(r.stdout)")
        #expect(r.stdout.contains("CURRENT_VERSION_IS_NEWER"), "\(r.stdout)")
        let ok = try runProcess([venv + "/python3", peer, "upload", device.address, old])
        #expect(ok.stdout.contains("\"ok\": true"), "\(ok.stdout) \(ok.stderr)")
        // smpclient sized its chunks from the advertised buf_size (2048 less the serial framing's 4).
        #expect(ok.stdout.contains("\"max_unencoded\": 2044"))
    }

    @Test("smpclient's models read every OS and image answer over UDP; the one they reject is smp's own gap")
    func udpSurvey() throws {
        let device = try RunningDevice(["--smp-udp", "127.0.0.1:0"])
        let parts = device.address.split(separator: ":")
        #expect(parts.count == 2)
        let s = try survey(["udp", "127.0.0.1", String(parts.last ?? "")])
        func fields(_ k: String) -> [String: Any]? { (s[k] as? [String: Any])?["fields"] as? [String: Any] }
        #expect(fields("echo")?["r"] as? String == "survey")
        #expect(fields("params")?["buf_size"] as? Int == 2048)
        #expect(fields("datetime-read")?["datetime"] as? String == "2026-12-08T02:25:08")
        #expect(fields("bootloader")?["bootloader"] as? String == "MCUboot")
        #expect(fields("taskstat") != nil && fields("mpstat") != nil && fields("info") != nil)
        #expect(slots(s).map(\.1) == ["1.0.0"])
        // smp 4.2.0 requires `bootloader` in the answer to the "mode" query; Zephyr's os_mgmt sends only `mode`
        // (and `no-downgrade`), as this device does. Recorded here so a fixed smp release shows up.
        #expect((s["bootloader-mode"] as? [String: Any])?["type"] as? String == "exception")
    }

    @Test("--baudrate 115200: an upload takes at least the line time of its bytes (10 bits a byte)")
    func baudPacing() throws {
        let (key, payload) = try setUp()
        let signed = dir + "/app.signed.bin"
        try imgtoolSign(key, payload, signed, version: "1.2.3")
        let size = (try FileManager.default.attributesOfItem(atPath: signed)[.size] as? Int) ?? 0
        let device = try RunningDevice(["--smp-serial", "--link", dir + "/tty", "--baudrate", "115200"])
        let start = Date()
        #expect(try smpmgr(device.address, "image", "upload", signed).status == 0)
        let elapsed = Date().timeIntervalSince(start)
        // The image goes base64-encoded (4/3); even unencoded it cannot beat size / 11 520 bytes a second.
        #expect(elapsed >= Double(size) * 4 / 3 / 11_520, "\(size) bytes in \(elapsed) s")
    }
}

/// b2c's own client against the reference device, judged by imgtool's digest and smpclient's reading of the state.
extension SMPInteropTests {
    @Test("b2c smp: upload, state-write HASH, reset swaps the image in, and state-read shows it running unconfirmed")
    func b2cClientUpgrade() throws {
        let (key, payload) = try setUp()
        let signed = dir + "/b2c.signed.bin"
        try imgtoolSign(key, payload, signed, version: "1.4.0")
        let digest = try imgtoolDigest(key, signed)
        let device = try RunningDevice(["--smp-serial", "--link", dir + "/tty-b2c"])
        let port = device.address
        let up = try b2c("smp", "--port", port, "image", "upload", signed)
        let size = try Data(contentsOf: URL(fileURLWithPath: signed)).count
        #expect(up.status == 0 && up.stdout.hasPrefix("uploaded \(size) bytes"), "\(up)")
        #expect(up.stdout.contains(", match"), "\(up.stdout)")
        #expect(try b2c("smp", "--port", port, "image", "state-write", digest).status == 0)
        #expect(try b2c("smp", "--port", port, "os", "reset").status == 0)
        let read = try b2c("smp", "--port", port, "--json", "image", "state-read")
        #expect(read.status == 0, "\(read)")
        let s = try survey(["survey", port])
        #expect(slots(s).first?.1 == "1.4.0" && slots(s).first?.2 == digest, "\(slots(s))")
        #expect(slots(s).first?.3 == false, "the tested image runs unconfirmed")
        #expect(read.stdout.contains(digest.lowercased()), "\(read.stdout)")
        _ = device
    }

    @Test(
        "b2c smp: the device killed mid-upload and started again on the same port; the upload reopens it and finishes"
    )
    func b2cClientSurvivesDeviceRestart() throws {
        let (key, payload) = try setUp()
        let signed = dir + "/b2c-resume.signed.bin"
        try imgtoolSign(key, payload, signed, version: "1.6.0")
        let digest = try imgtoolDigest(key, signed)
        let flash = dir + "/flash-resume"
        let link = dir + "/tty-resume"
        var device: RunningDevice? = try RunningDevice([
            "--smp-serial", "--link", link, "--flash-dir", flash, "--baudrate", "57600",
        ])
        // The upload runs in the background, paced to 5.7 kB/s: about 4 s for the image.
        let upload = Process()
        upload.executableURL = URL(fileURLWithPath: binDir + "/b2c")
        upload.arguments = ["smp", "--port", link, "--timeout", "2", "image", "upload", signed]
        let out = Pipe()
        upload.standardOutput = out
        upload.standardError = out
        try upload.run()
        usleep(1_500_000)
        device = nil  // SIGKILL mid-upload
        device = try RunningDevice(["--smp-serial", "--link", link, "--flash-dir", flash, "--baudrate", "57600"])
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        upload.waitUntilExit()
        #expect(upload.terminationStatus == 0, "\(text)")
        #expect(text.contains(", match") && text.contains(" resent"), "\(text)")
        let s = try survey(["survey", link])
        #expect(slots(s).map(\.2).contains(digest), "\(slots(s))")
        _ = device
    }
}
