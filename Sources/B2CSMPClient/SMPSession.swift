import B2CCBOR
import B2CHarness
import B2CHex
import B2CSMP
import B2CWire

/// The runner's session with a device on its SMP channel: the suite's requests become SMP messages on the console
/// framing or UDP, and the answers become the wire protocol's answer fields, so SMP cases are scored like any
/// other. What the device supports is found by probing (MCUmgr params, echo in v2 and in v1), not declared.
///
/// Requests (`op` of a scenario step):
/// - `smp.request`: `version` (0 = v1, 1 = v2), `op`, `group`, `id`, optional `flags`, `seq` and `length` (a header
///   length that lies), `data` (hex; the message body). Answered with the answer's header fields (`op`, `version`,
///   `group`, `id`, `seq`, `flags`, `length`, `lengthMatches`), its `status` (`ok`, `rc N`, `err G.N`), its `data`
///   in hex and each top-level scalar key as `map.KEY`. With `silenceMs`, no answer within that time is the answer
///   `{"answered": "no"}` (a frame the device must drop), not a timeout.
/// - `smp.raw`: `bytes` (hex) written to the line as they are (broken framing), with `silenceMs` as above; answered
///   like `smp.request`.
public final class SMPSession: TargetSession {
    public static let requestOp = "smp.request"
    public static let rawOp = "smp.raw"

    let transport: ChannelTransport
    let context: ChannelContext
    private var client: SMPClient?
    private var closeLink: (() -> Void)?
    public private(set) var hello: HelloInfo?
    public private(set) var lastRequestId: Int64 = 0
    public var duplicateAnswers: [Int64] = []
    /// What probing found: the device's buf_size, and which versions answer.
    public private(set) var bufSize: UInt32?

    public init(transport: ChannelTransport, context: ChannelContext) {
        self.transport = transport
        self.context = context
    }

    /// The factory the runner takes for the `smp` channel.
    public static let factory: ChannelSessionFactory = { transport, context in
        SMPSession(transport: transport, context: context)
    }

    @discardableResult
    public func start() throws(HarnessError) -> HelloInfo {
        stop()
        let c: SMPClient
        switch transport {
        case .serial(let source, let options, let reset):
            let connector = SerialConnector(
                source: source,
                options: options,
                resetCommand: reset,
                startupMs: context.startupTimeoutMs,
                logPath: context.logPath
            )
            let line = try connector.connect()
            closeLink = { line.close() }
            c = SMPClient(link: .serial(line))
        case .udp(let endpoint):
            let socket = try UDPConnector(endpoint: endpoint).connect()
            closeLink = { socket.close() }
            c = SMPClient(link: .udp(socket))
        }
        client = c
        // Probe: what answers tells what the device is.
        var capabilities: [String: JSONValue] = [:]
        var versions: [JSONValue] = []
        for (version, name) in [(SMPVersion.v2, "2"), (.v1, "1")] {
            c.version = version
            if (try? c.call(SMPEchoRequest("b2c"), expecting: SMPEchoResponse.self, timeoutMs: probeMs(1500))) != nil {
                versions.append(.string(name))
            }
        }
        c.version = versions.contains(.string("2")) ? .v2 : .v1
        if let p = try? c.call(SMPParamsRequest(), expecting: SMPParamsResponse.self, timeoutMs: probeMs(1500)) {
            bufSize = p.bufSize
            capabilities["smp.params"] = .object(["bufSize": .string(String(p.bufSize))])
        }
        guard !versions.isEmpty || bufSize != nil else {
            stop()
            throw HarnessError(.targetStart, "\(context.targetName): no answer to SMP echo or MCUmgr params")
        }
        capabilities[Self.requestOp] = .object(["versions": .array(versions)])
        capabilities[Self.rawOp] = .object([:])
        let info = HelloInfo(implementation: "\(context.targetName) (SMP)", version: "", capabilities: capabilities)
        hello = info
        return info
    }

    private func probeMs(_ ms: Int) -> Int { min(ms, max(200, context.perCaseTimeoutMs)) }

    public func call(op: String, args: [String: JSONValue]) -> Exchange {
        lastRequestId += 1
        guard let client else { return .crashed("not connected", violations: []) }
        let silenceMs = args["silenceMs"]?.intValue.map { Int($0) }
        let request: SMPHeader
        switch op {
        case Self.requestOp:
            guard let (message, header) = Self.message(args, sequence: client.nextSequence()) else {
                return .answered(
                    .err(code: "wire.bad_request", detail: "smp.request needs op, group and id", offset: nil),
                    violations: []
                )
            }
            request = header
            do {
                switch client.link {
                case .serial(let line):
                    guard line.write(SMPSerial.encodeFrame(message)) else {
                        return .crashed(line.endDescription() ?? "the line took no bytes", violations: [])
                    }
                case .udp(let socket):
                    guard socket.send(message) else {
                        return .crashed("the datagram could not be sent", violations: [])
                    }
                }
            }
        case Self.rawOp:
            guard let bytes = args["bytes"]?.stringValue.flatMap(Hex.decode), case .serial(let line) = client.link
            else {
                return .answered(
                    .err(code: "wire.bad_request", detail: "smp.raw needs bytes (hex) on a serial line", offset: nil),
                    violations: []
                )
            }
            guard line.write(bytes) else {
                return .crashed(line.endDescription() ?? "the line took no bytes", violations: [])
            }
            // The answer, if any, is to whatever request the bytes carried: take the next message.
            request = SMPHeader(op: .read, group: SMPGroup(0), sequence: 0, command: 0)
        default:
            return .answered(.unsupported(reason: "\(op) is not an SMP request"), violations: [])
        }
        do {
            let answer =
                op == Self.rawOp
                ? try client.nextAnswer(timeoutMs: silenceMs ?? context.perCaseTimeoutMs)
                : try client.awaitAnswer(to: request, timeoutMs: silenceMs ?? context.perCaseTimeoutMs)
            return .answered(.ok(Self.fields(answer)), violations: [])
        } catch {
            switch error.kind {
            case .timeout where silenceMs != nil:
                return .answered(.ok(["answered": .string("no")]), violations: [])
            case .timeout:
                return .timeout(violations: [])
            default:
                return .crashed(error.reason, violations: [])
            }
        }
    }

    /// The message `args` describe, and its header.
    static func message(_ args: [String: JSONValue], sequence: UInt8) -> ([UInt8], SMPHeader)? {
        func small(_ key: String, _ max: Int64) -> Int64? {
            guard let v = args[key]?.intValue, v >= 0, v <= max else { return nil }
            return v
        }
        guard let op = small("op", 7), let group = small("group", 0xffff), let id = small("id", 0xff) else {
            return nil
        }
        let data = args["data"]?.stringValue.flatMap(Hex.decode) ?? []
        let header = SMPHeader(
            op: SMPOp(rawValue: UInt8(op)),
            version: SMPVersion(rawValue: UInt8(small("version", 3) ?? 1)),
            flags: UInt8(small("flags", 0xff) ?? 0),
            length: UInt16(small("length", 0xffff) ?? Int64(min(data.count, 0xffff))),
            group: SMPGroup(UInt16(group)),
            sequence: UInt8(small("seq", 0xff) ?? Int64(sequence)),
            command: UInt8(id)
        )
        return (header.encoded + data, header)
    }

    /// An answer as wire answer fields.
    static func fields(_ m: SMPMessage) -> [String: JSONValue] {
        var out: [String: JSONValue] = [
            "answered": .string("yes"),
            "op": .string(String(m.header.op.rawValue)),
            "version": .string(String(m.header.version.rawValue)),
            "group": .string(String(m.header.group.rawValue)),
            "id": .string(String(m.header.command)),
            "seq": .string(String(m.header.sequence)),
            "flags": .string(String(m.header.flags)),
            "length": .string(String(m.header.length)),
            "lengthMatches": .string(Int(m.header.length) == m.body.count ? "yes" : "no"),
            "data": .string(Hex.encode(m.body)),
        ]
        guard let map = try? m.map() else {
            out["status"] = .string("not a map")
            return out
        }
        switch (try? SMPStatus(map: map)) ?? .ok {
        case .ok: out["status"] = .string("ok")
        case .rc(let rc, _): out["status"] = .string("rc \(rc.rawValue)")
        case .group(let e): out["status"] = .string("err \(e.group.rawValue).\(e.rc)")
        }
        for (k, v) in map.pairs {
            switch v {
            case .text(let t): out["map." + k] = .string(t)
            case .bool(let b): out["map." + k] = .string(b ? "true" : "false")
            case .bytes(let b): out["map." + k] = .string(Hex.encode(b))
            default: if let i = v.integerDescription { out["map." + k] = .string(i) }
            }
        }
        return out
    }

    public func finish() { stop() }

    public func stop() {
        closeLink?()
        closeLink = nil
        client = nil
    }
}

extension SMPClient {
    /// The next message from the device, whatever it answers.
    public func nextAnswer(timeoutMs: Int) throws(SMPClientError) -> SMPMessage {
        guard let m = try nextMessage(deadline: MonotonicClock.deadline(milliseconds: timeoutMs)) else {
            throw SMPClientError(.timeout, "no message within \(timeoutMs) ms")
        }
        return m
    }
}
