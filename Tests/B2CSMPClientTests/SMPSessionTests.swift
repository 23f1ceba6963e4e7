import B2CArea
import B2CHarness
import B2CReport
import B2CSMPClient
import B2CTestSupport
import B2CWire
import Foundation
import Testing

private let python = repoRoot + "/.venv/bin/python3"
private let hasSMPPackage =
    FileManager.default.isExecutableFile(atPath: python)
    && (try? runProcess([python, "-c", "import smp"]).status) == 0

private func smpCase(
    _ name: String,
    op: String = SMPSession.requestOp,
    _ args: [String: JSONValue],
    _ expected: B2CReport.Expectation
) -> ConformanceCase {
    var c = ConformanceCase(
        info: CaseInfo(id: "smp/unit/\(name)", area: "smp", suite: "unit"),
        op: op,
        args: args,
        expected: expected
    )
    c.channel = "smp"
    return c
}

@Suite(
    "The runner's SMP session, against a device built on the smp package",
    .serialized,
    .enabled(if: hasSMPPackage, "needs .venv with the smp package (scripts/test installs it)")
)
struct SMPSessionTests {
    @Test(
        "Requests become SMP messages and answers become fields; a dropped frame's silence is an answer; a target that does not answer times out"
    )
    func session() throws {
        let device = ChannelTransport.serial(
            .command([python, repoRoot + "/scripts/oracles/smp_device.py"], cwd: repoRoot, environment: [:]),
            SerialOptions(),
            resetCommand: []
        )
        let descriptor = TargetDescriptor(
            name: "smp-package-device",
            transport: .channelsOnly,
            workingDirectory: repoRoot,
            perCaseTimeoutMs: 1000,
            startupTimeoutMs: 5000,
            channels: ["smp": device]
        )
        // {"d": "hi"}; an SMP frame for an echo whose CRC is wrong (the last base64 quantum changed).
        let echo: [String: JSONValue] = [
            "op": .int(2), "group": .int(0), "id": .int(0), "version": .int(1),
            "data": .string("a161646268 69".replacingOccurrences(of: " ", with: "")),
        ]
        // An echo frame as the smp package writes it, and the same frame with one CRC bit flipped (so its length and
        // base64 stay well-formed: only the CRC fails).
        let framed = try runProcess([
            python, "-c",
            "from smp import os_management as o, packet; import sys, base64\n"
                + "f = b''.join(packet.encode(o.EchoWriteRequest(sequence=9, d='raw').BYTES, line_length=128))\n"
                + "body = base64.b64decode(f[2:-1]); bad = body[:-1] + bytes([body[-1] ^ 1])\n"
                + "print(f.hex()); print((f[:2] + base64.b64encode(bad) + b'\\n').hex())",
        ]).stdout.split(separator: "\n").map(String.init)
        try #require(framed.count >= 2)
        let (goodFrame, badCRC) = (framed[0], framed[1])
        let cases = [
            smpCase(
                "echo",
                echo,
                Expectation(
                    result: .valid,
                    output: [
                        "op": "3", "group": "0", "id": "0", "version": "1", "status": "ok", "map.r": "hi",
                        "lengthMatches": "yes",
                    ]
                )
            ),
            smpCase(
                "params",
                ["op": .int(0), "group": .int(0), "id": .int(6), "data": .string("a0")],
                Expectation(result: .valid, output: ["map.buf_size": "512", "status": "ok"])
            ),
            smpCase(
                "unknown-group",
                ["op": .int(0), "group": .int(64), "id": .int(1), "data": .string("a0")],
                Expectation(result: .valid, output: ["status": "rc 8", "group": "64", "op": "1"])
            ),
            smpCase(
                "bad-crc",
                op: SMPSession.rawOp,
                ["bytes": .string(badCRC), "silenceMs": .int(500)],
                Expectation(result: .valid, output: ["answered": "no"])
            ),
            smpCase(
                "raw-good",
                op: SMPSession.rawOp,
                ["bytes": .string(goodFrame), "silenceMs": .int(2000)],
                Expectation(result: .valid, output: ["answered": "yes", "map.r": "raw", "seq": "9"])
            ),
            smpCase(
                "reset-unanswered",
                ["op": .int(2), "group": .int(0), "id": .int(5), "data": .string("a0")],
                Expectation(result: .valid, output: ["status": "ok"])
            ),
            smpCase("echo-again", echo, Expectation(result: .valid, output: ["map.r": "hi"])),
        ]
        var config = Runner.Configuration(
            descriptor: descriptor,
            outDir: tempDir("smp-session"),
            selection: Selection(target: nil, suites: [], filters: [], seed: "5eed", vectors: "/unused"),
            resume: false,
            tool: "b2c test",
            vectorsManifestSha256: nil,
            options: [:],
            catalogueIds: cases.map(\.id)
        )
        config.channelSessions = ["smp": SMPSession.factory]
        let r = try Runner(config: config, cases: cases).run()
        func result(_ name: String) -> CaseResult? { r.cases.first { $0.id == "smp/unit/\(name)" } }
        #expect(result("echo")?.outcome == .pass, "\(result("echo")?.reason ?? "")")
        #expect(result("params")?.outcome == .pass, "\(result("params")?.reason ?? "")")
        #expect(result("unknown-group")?.outcome == .pass, "\(result("unknown-group")?.reason ?? "")")
        #expect(result("bad-crc")?.outcome == .pass, "\(result("bad-crc")?.reason ?? "")")
        #expect(result("raw-good")?.outcome == .pass, "\(result("raw-good")?.reason ?? "")")
        #expect(result("reset-unanswered")?.outcome == .timeout)
        // After the timeout the device is reached again, and answers.
        #expect(result("echo-again")?.outcome == .pass, "\(result("echo-again")?.reason ?? "")")
        #expect(r.target.implementation == "smp-package-device (SMP)")
        #expect(r.target.transport == "smp:serial")
    }
}
