import B2CWire

#if canImport(Glibc)
    import Glibc
#endif

/// Where a serial target's line comes from: a fixed path (a board on `/dev/ttyUSB0`, a pty someone else runs), or a
/// command that starts a simulated device and prints the path of its line as the first line of its stdout.
public enum SerialSource: Sendable, Equatable {
    case path(String)
    case command([String], cwd: String, environment: [String: String])
}

/// Connects (and reconnects, after a reset or a dropped line) to a serial target. Before each connection it runs the
/// reset hook, if any: the command a board farm uses to power-cycle the board (`--reset-command`), which must exit 0.
public struct SerialConnector: TargetConnector {
    public var source: SerialSource
    public var options: SerialOptions
    /// argv of the reset hook; empty: none.
    public var resetCommand: [String]
    /// How long a started device may take to print its line's path.
    public var startupMs: Int
    /// The log the device's stderr and the hook's output go to.
    public var logPath: String

    public init(
        source: SerialSource,
        options: SerialOptions = SerialOptions(),
        resetCommand: [String] = [],
        startupMs: Int = 10_000,
        logPath: String
    ) {
        self.source = source
        self.options = options
        self.resetCommand = resetCommand
        self.startupMs = startupMs
        self.logPath = logPath
    }

    public static let kind = "serial"
    public var kind: String { Self.kind }

    public func connect() throws(HarnessError) -> any ByteStreamTransport {
        try reset()
        switch source {
        case .path(let path):
            return try SerialTransport(path: path, options: options)
        case .command(let argv, let cwd, let environment):
            let device = try ProcessTransport(command: argv, cwd: cwd, environment: environment, stderrPath: logPath)
            device.closeStdin()
            let path: String
            do {
                path = try Self.firstLine(of: device, within: startupMs)
            } catch {
                device.close()
                throw error
            }
            do {
                return try SerialTransport(path: path, options: options, owner: device)
            } catch {
                device.close()
                throw error
            }
        }
    }

    /// Runs the reset hook to completion; a non-zero exit stops the connection.
    func reset() throws(HarnessError) {
        guard let program = resetCommand.first else { return }
        let status = try ProcessTransport.runToCompletion(resetCommand, cwd: ".", environment: [:], logPath: logPath)
        guard status == 0 else {
            throw HarnessError(.targetStart, "reset command \(program) exited \(status); see \(logPath)")
        }
    }

    /// The first line the device prints: its line's path.
    static func firstLine(of device: ProcessTransport, within ms: Int) throws(HarnessError) -> String {
        var framer = LineFramer(maxLineBytes: 4096)
        let deadline = MonotonicClock.deadline(milliseconds: ms)
        while true {
            switch device.read(deadline: deadline) {
            case .bytes(let bytes):
                framer.append(bytes)
                if case .line(let line)? = framer.next() {
                    var text = Substring(String(decoding: line, as: UTF8.self))
                    while text.last == " " || text.last == "\r" { text.removeLast() }
                    let path = String(text.drop { $0 == " " })
                    guard path.hasPrefix("/") else {
                        throw HarnessError(
                            .targetStart,
                            "the device printed \"\(path.prefix(80))\", not the path of its line"
                        )
                    }
                    return path
                }
            case .timeout:
                throw HarnessError(.targetStart, "the device printed no line path within \(ms) ms")
            case .closed(let how):
                throw HarnessError(.targetStart, "the device ended (\(how)) before printing its line's path")
            }
        }
    }
}

/// Starts (and restarts) the datagram connection to one target.
public protocol DatagramConnector {
    var kind: String { get }
    func connect() throws(HarnessError) -> any DatagramTransport
}

/// A UDP target at a fixed endpoint.
public struct UDPConnector: DatagramConnector {
    public var endpoint: UDPEndpoint
    public var maxDatagram: Int
    public init(endpoint: UDPEndpoint, maxDatagram: Int = 65_507) {
        self.endpoint = endpoint
        self.maxDatagram = maxDatagram
    }
    public static let kind = "udp"
    public var kind: String { Self.kind }
    public func connect() throws(HarnessError) -> any DatagramTransport {
        try UDPTransport(endpoint, maxDatagram: maxDatagram)
    }
}
