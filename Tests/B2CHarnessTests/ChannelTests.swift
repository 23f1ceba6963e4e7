import B2CArea
import B2CHarness
import B2CReport
import B2CTTY
import B2CTestSupport
import B2CWire
import Foundation
import Testing

/// A native-protocol session for tests: `echo.op` answers its `v` argument; it can refuse to start.
private final class EchoSession: TargetSession {
    let failStart: Bool
    private(set) var hello: HelloInfo?
    private(set) var lastRequestId: Int64 = 0
    var duplicateAnswers: [Int64] = []
    private(set) var finished = false
    init(failStart: Bool) { self.failStart = failStart }
    func start() throws(HarnessError) -> HelloInfo {
        if failStart { throw HarnessError(.targetStart, "no device on the port") }
        let h = HelloInfo(implementation: "echo-board", version: "9", capabilities: ["echo.op": .object([:])])
        hello = h
        return h
    }
    func call(op: String, args: [String: JSONValue]) -> Exchange {
        lastRequestId += 1
        return .answered(.ok(["v": args["v"] ?? .null]), violations: [])
    }
    func finish() { finished = true }
    func stop() {}
}

private func echoCase(_ name: String, channel: String, v: String, want: String) -> ConformanceCase {
    var c = ConformanceCase(
        info: CaseInfo(id: "echo/unit/\(name)", area: "echo", suite: "unit"),
        op: "echo.op",
        args: ["v": .string(v)],
        expected: Expectation(result: .valid, output: ["v": want])
    )
    c.channel = channel
    return c
}

@Suite("Native channels beside the wire protocol")
struct ChannelTests {
    static func run(
        _ cases: [ConformanceCase],
        descriptor: TargetDescriptor,
        connector: (any TargetConnector)? = nil
    ) throws -> RunResults {
        var config = Runner.Configuration(
            descriptor: descriptor,
            outDir: tempDir("channels"),
            selection: Selection(target: nil, suites: [], filters: [], seed: "5eed", vectors: "/unused"),
            resume: false,
            tool: "b2c test",
            vectorsManifestSha256: nil,
            options: [:],
            catalogueIds: cases.map(\.id)
        )
        config.channelSessions = [
            "echo": { _, _ in EchoSession(failStart: false) },
            "broken": { _, _ in EchoSession(failStart: true) },
        ]
        return try Runner(config: config, cases: cases, connector: connector).run()
    }

    @Test(
        "Each case goes through its channel's session; a channel the target lacks is unsupported, one that cannot start is an error, and the rest runs"
    )
    func routing() throws {
        var d = inMemoryDescriptor()
        let somewhere = ChannelTransport.udp(UDPEndpoint(host: "127.0.0.1", port: 9))
        d.channels = ["echo": somewhere, "broken": somewhere]
        let cases = [
            decodeCase("wire", "01", one),
            echoCase("good", channel: "echo", v: "a", want: "a"),
            echoCase("bad", channel: "echo", v: "a", want: "b"),
            echoCase("absent", channel: "nowhere", v: "a", want: "a"),
            echoCase("broken1", channel: "broken", v: "a", want: "a"),
            echoCase("broken2", channel: "broken", v: "a", want: "a"),
        ]
        let r = try Self.run(cases, descriptor: d, connector: inMemoryDevice())
        func outcome(_ id: String) -> Outcome? { r.cases.first { $0.id.hasSuffix("/" + id) }?.outcome }
        #expect(outcome("wire") == .pass)
        #expect(outcome("good") == .pass)
        #expect(outcome("bad") == .fail)
        #expect(outcome("absent") == .unsupported)
        #expect(r.cases.first { $0.id.hasSuffix("/absent") }?.reason == "the target has no nowhere channel")
        #expect(outcome("broken1") == .error && outcome("broken2") == .error)
        #expect(
            r.cases.first { $0.id.hasSuffix("/broken2") }?.reason
                == "the broken channel cannot be reached: no device on the port"
        )
        #expect(r.target.transport == "memory broken:udp echo:udp")
        #expect(r.target.capabilities.contains("echo.op") && r.target.capabilities.contains("cbor.decode"))
    }

    @Test("A target with only native channels: wire cases are unsupported and no wire target is started")
    func channelsOnly() throws {
        var d = inMemoryDescriptor()
        d.transport = .channelsOnly
        d.channels = ["echo": .udp(UDPEndpoint(host: "127.0.0.1", port: 9))]
        let r = try Self.run(
            [decodeCase("wire", "01", one), echoCase("good", channel: "echo", v: "x", want: "x")],
            descriptor: d
        )
        #expect(r.cases.map(\.outcome) == [.unsupported, .pass])
        #expect(r.target.implementation == "echo-board" && r.target.implementationVersion == "9")
    }

    @Test(
        "Descriptors name channels: a serial port or a command printing its path, or a UDP address; mistakes are one line"
    )
    func descriptors() throws {
        let dir = tempDir("channel-descriptors")
        func load(_ json: String) throws -> TargetDescriptor {
            let path = dir + "/t.json"
            try json.write(toFile: path, atomically: true, encoding: .utf8)
            return try TargetDescriptor.load(path: path)
        }
        let board = try load(
            #"{"schema": "b2c-target_v1", "name": "board", "channels": {"smp": {"kind": "serial", "path": "/dev/ttyUSB0", "baudrate": 921600, "resetLines": ["dtr"], "resetCommand": ["./power-cycle", "3"]}}}"#
        )
        #expect(board.transport == .channelsOnly)
        #expect(
            board.channels["smp"]
                == .serial(
                    .path("/dev/ttyUSB0"),
                    SerialOptions(baudrate: 921_600, resetLines: [.dtr]),
                    resetCommand: [dir + "/power-cycle", "3"]
                )
        )
        let udp = try load(
            #"{"schema": "b2c-target_v1", "name": "u", "channels": {"smp": {"kind": "udp", "address": "[::1]:1337"}}}"#
        )
        #expect(udp.channels["smp"] == .udp(UDPEndpoint(host: "::1", port: 1337)))
        for (json, message) in [
            (
                #"{"schema": "b2c-target_v1", "name": "x", "channels": {"smp": {"kind": "serial"}}}"#,
                "channels.smp needs exactly one of \"path\" (a port) and \"command\" (prints its port's path)"
            ),
            (
                #"{"schema": "b2c-target_v1", "name": "x", "channels": {"smp": {"kind": "serial", "path": "/dev/x", "baudrate": 12345}}}"#,
                "channels.smp.baudrate must be a standard rate (1200, 2400"
            ),
            (
                #"{"schema": "b2c-target_v1", "name": "x", "channels": {"smp": {"kind": "tcp"}}}"#,
                "channels.smp.kind must be one of: \"serial\", \"udp\""
            ),
            (
                #"{"schema": "b2c-target_v1", "name": "x", "channels": {"smp": {"kind": "udp", "address": "host"}}}"#,
                "channels.smp.address: host: no port (want HOST:PORT)"
            ),
            (
                #"{"schema": "b2c-target_v1", "name": "x", "channels": {"smp": {"kind": "udp", "address": "h:1", "baud": 1}}}"#,
                "unknown field \"channels.smp.baud\""
            ),
            (#"{"schema": "b2c-target_v1", "name": "x"}"#, "missing \"transport\" object (or \"channels\""),
        ] {
            do {
                _ = try load(json)
                Issue.record("accepted: \(json)")
            } catch {
                let reason = (error as? HarnessError)?.reason ?? "\(error)"
                #expect(reason.hasPrefix(dir + "/t.json: " + message), "\(reason)")
            }
        }
    }
}
