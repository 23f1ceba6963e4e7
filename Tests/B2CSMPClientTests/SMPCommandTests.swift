import B2CHarness
import B2CTestSupport
import Foundation
import Testing

private let python = repoRoot + "/.venv/bin/python3"
private let hasSMPPackage =
    FileManager.default.isExecutableFile(atPath: python)
    && (try? runProcess([python, "-c", "import smp"]).status) == 0

/// `scripts/oracles/smp_device.py`, a device built on the `smp` package alone, on a pty of its own; started the way
/// a descriptor's serial command is (it prints its port), held open (not exclusively) while the test runs b2c.
private struct PythonDevice {
    let line: SerialTransport
    var port: String { line.path }

    init() throws {
        let connector = SerialConnector(
            source: .command([python, repoRoot + "/scripts/oracles/smp_device.py"], cwd: repoRoot, environment: [:]),
            options: SerialOptions(exclusive: false),
            logPath: tempDir("smp-device") + "/device.log"
        )
        guard let line = try connector.connect() as? SerialTransport else {
            throw HarnessError(.targetStart, "not a serial line")
        }
        self.line = line
    }
}

@Suite(
    "b2c smp against a device built on the smp package",
    .serialized,
    .enabled(if: hasSMPPackage, "needs .venv with the smp package (scripts/test installs it)")
)
struct SMPCommandTests {
    @Test(
        "Answers print as key: value or JSON; an rc exits 1, silence exits 3, a bad invocation 2; options go before the group or after the command"
    )
    func commands() throws {
        let device = try PythonDevice()
        defer { device.line.close() }
        #expect(device.port.hasPrefix("/dev/pts/"))
        let echo = try b2c("smp", "--port", device.port, "os", "echo", "hello")
        #expect(echo.status == 0 && echo.stdout == "r: hello\n", "\(echo)")
        let v1 = try b2c("smp", "os", "echo", "hi", "--port", device.port, "--v1")
        #expect(v1.status == 0 && v1.stdout == "r: hi\n", "\(v1)")
        let params = try b2c("smp", "--port", device.port, "--json", "os", "params")
        #expect(params.status == 0 && params.stdout == "{\"buf_count\":4,\"buf_size\":512}\n", "\(params)")
        // smpmgr exits 0 on an error answer; b2c does not.
        let erase = try b2c("smp", "--port", device.port, "image", "erase")
        #expect(erase.status == 1 && erase.stdout == "rc: 8\n", "\(erase)")
        #expect(erase.stderr.hasPrefix("b2c smp: the device answered rc 8"), "\(erase.stderr)")
        let reset = try b2c("smp", "--port", device.port, "--timeout", "0.3", "os", "reset")
        #expect(reset.status == 3, "\(reset)")
        #expect(reset.stderr == "b2c smp: no answer to os command 5 (seq 0) within 300 ms\n", "\(reset.stderr)")
        for (args, message) in [
            (["os", "echo", "x"], "b2c: give exactly one of --port and --udp\n"),
            (
                ["--port", "/dev/null", "os", "echo", "x"],
                "b2c: /dev/null: not a terminal: Inappropriate ioctl for device\n"
            ),
            (["--udp", "host", "os", "params"], "b2c: host: no port (want HOST:PORT)\n"),
            (
                ["--port", device.port, "image", "state-write", "12"],
                "b2c: the hash must be 64 hex digits (the image's SHA-256 TLV, as state-read shows it)\n"
            ),
            (
                ["--port", device.port, "--baudrate", "12345", "os", "params"],
                "b2c: --baudrate 12345 is not a standard rate ("
            ),
        ] {
            let r = try runProcess([binDir + "/b2c", "smp"] + args)
            #expect(r.status == 2 && r.stderr.hasPrefix(message), "\(args): \(r.stderr)")
        }
    }
}
