import B2CTTY
import B2CWire

/// How a target is reached on a native channel: the protocol a device speaks itself (SMP over a serial line or
/// UDP), beside or instead of b2c's wire protocol. The area that speaks the channel's protocol supplies the session
/// (``ChannelSessionFactory``); the descriptor says only where the device is.
public enum ChannelTransport: Sendable, Equatable {
    /// A serial line: a board's port, or the pty a command prints; the hook runs before each connection.
    case serial(SerialSource, SerialOptions, resetCommand: [String])
    /// A UDP endpoint.
    case udp(UDPEndpoint)

    public static let kinds = [SerialConnector.kind, UDPConnector.kind]

    public var kind: String {
        switch self {
        case .serial: SerialConnector.kind
        case .udp: UDPConnector.kind
        }
    }
}

/// What a channel's session needs to know of the run.
public struct ChannelContext: Sendable {
    public var targetName: String
    public var seed: String
    public var perCaseTimeoutMs: Int
    public var startupTimeoutMs: Int
    /// Where the device's own output (and a reset hook's) goes.
    public var logPath: String

    public init(targetName: String, seed: String, perCaseTimeoutMs: Int, startupTimeoutMs: Int, logPath: String) {
        self.targetName = targetName
        self.seed = seed
        self.perCaseTimeoutMs = perCaseTimeoutMs
        self.startupTimeoutMs = startupTimeoutMs
        self.logPath = logPath
    }
}

/// Makes the session for one channel of a target: the area that speaks the channel's protocol provides it.
public typealias ChannelSessionFactory =
    @Sendable (ChannelTransport, ChannelContext) throws(HarnessError) -> any TargetSession

extension TargetDescriptor {
    /// Parses `"channels": {"smp": {"kind": "serial", "path" | "command", "baudrate", "resetCommand", "resetLines",
    /// "cwd", "env"} | {"kind": "udp", "address": "HOST:PORT"}}`. `argv` resolves relative command arguments.
    static func channels(
        _ value: JSONValue,
        base: String,
        argv: ([JSONValue], String) throws(HarnessError) -> [String],
        fail: (String) -> HarnessError
    ) throws(HarnessError) -> [String: ChannelTransport] {
        guard let o = value.objectValue else { throw fail("\"channels\" must map channel names to objects") }
        var out: [String: ChannelTransport] = [:]
        for (name, v) in o.sorted(by: { $0.key < $1.key }) {
            let field = "channels.\(name)"
            guard let c = v.objectValue else { throw fail("\(field) must be an object") }
            guard let kind = c["kind"]?.stringValue, ChannelTransport.kinds.contains(kind) else {
                throw fail(
                    "\(field).kind must be one of: "
                        + ChannelTransport.kinds.map { "\"\($0)\"" }.joined(separator: ", ")
                )
            }
            let known: Set<String> =
                kind == UDPConnector.kind
                ? ["kind", "address"]
                : ["kind", "path", "command", "cwd", "env", "baudrate", "resetCommand", "resetLines"]
            if let extra = c.keys.sorted().first(where: { !known.contains($0) }) {
                throw fail("unknown field \"\(field).\(extra)\"")
            }
            if kind == UDPConnector.kind {
                guard let address = c["address"]?.stringValue else {
                    throw fail("\(field).address must be \"HOST:PORT\"")
                }
                do {
                    out[name] = .udp(try UDPEndpoint(parsing: address))
                } catch {
                    throw fail("\(field).address: \(error.reason)")
                }
                continue
            }
            let source: SerialSource
            switch (c["path"], c["command"]) {
            case (let p?, nil):
                guard let path = p.stringValue, !path.isEmpty else { throw fail("\(field).path must be a path string") }
                source = .path(path)
            case (nil, let cmd?):
                guard let values = cmd.arrayValue, !values.isEmpty else {
                    throw fail("\(field).command must be a non-empty array of strings")
                }
                var environment: [String: String] = [:]
                if let env = c["env"] {
                    guard let e = env.objectValue else { throw fail("\(field).env must be an object of strings") }
                    for (k, v) in e {
                        guard let s = v.stringValue else { throw fail("\(field).env.\(k) must be a string") }
                        environment[k] = s
                    }
                }
                let cwd = resolve(c["cwd"]?.stringValue ?? ".", against: base)
                source = .command(try argv(values, "\(field).command"), cwd: cwd, environment: environment)
            default:
                throw fail("\(field) needs exactly one of \"path\" (a port) and \"command\" (prints its port's path)")
            }
            var options = SerialOptions()
            if let b = c["baudrate"] {
                guard let baud = b.intValue, SerialLineRates.known.contains(Int(baud)) else {
                    throw fail("\(field).baudrate must be a standard rate (\(SerialLineRates.list))")
                }
                options.baudrate = Int(baud)
            }
            if let lines = c["resetLines"] {
                guard let names = lines.arrayValue?.compactMap(\.stringValue), names.count == lines.arrayValue?.count,
                    names.allSatisfy({ $0 == "dtr" || $0 == "rts" })
                else { throw fail("\(field).resetLines must be an array of \"dtr\" and \"rts\"") }
                if names.contains("dtr") { options.resetLines.insert(.dtr) }
                if names.contains("rts") { options.resetLines.insert(.rts) }
            }
            var reset: [String] = []
            if let r = c["resetCommand"] {
                guard let values = r.arrayValue, !values.isEmpty else {
                    throw fail("\(field).resetCommand must be a non-empty array of strings")
                }
                reset = try argv(values, "\(field).resetCommand")
            }
            out[name] = .serial(source, options, resetCommand: reset)
        }
        return out
    }
}
