import B2CArea
import B2CBoot
import B2CHex
import B2CSMPServer
import B2CWire
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The reference device: b2c's own implementation of every operation the registered areas serve, over the wire
/// protocol on stdin/stdout.
///
/// `--violate RULE` makes it break one rule of a specification on purpose (the rules are the areas'), so a test can
/// prove the suite catches it. `--misbehave KIND:HEX` makes it break the wire protocol when asked to decode the
/// input HEX, so the harness's handling of crashes, hangs and garbage can be tested against a real process.
package enum ReferenceDevice {
    package static let name = "b2c-device"
    package static let version = "0.1.0"

    /// Runs the device with command-line arguments; returns the exit code.
    package static func main(arguments: [String], registry: AreaRegistry) -> Int32 {
        let known = Set(registry.violationRules.map(\.id))
        var violations: Set<String> = []
        var misbehaviours: [[UInt8]: Misbehaviour] = [:]
        var stdio = false
        var delayMs = 0
        var smp = SMPOptions()
        // `--misbehave` means the line's KIND:N for the SMP device, wherever its mode flag stands.
        let smpMode = arguments.contains("--smp-serial") || arguments.contains("--smp-udp")
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            if let taken = smp.parse(arguments, at: i) {
                switch taken {
                case .success(let n): i += n
                case .failure(let message): return usage(message.description)
                }
                continue
            }
            switch arg {
            case "--stdio":
                stdio = true
            case "--delay-ms":
                guard i + 1 < arguments.count, let ms = Int(arguments[i + 1]), (0...60_000).contains(ms) else {
                    return usage("--delay-ms takes 0…60000")
                }
                delayMs = ms
                i += 1
            case "--violate":
                guard i + 1 < arguments.count else { return usage("--violate needs a value") }
                let value = arguments[i + 1]
                i += 1
                if let rule = SMPViolation(rawValue: value) {
                    smp.violations.insert(rule)
                    break
                }
                guard known.contains(value) else {
                    return usage(
                        "unknown rule '\(value)' for --violate; known: "
                            + registry.violationRules.map(\.id).joined(separator: ", ")
                    )
                }
                violations.insert(value)
            case "--misbehave" where smpMode:
                guard i + 1 < arguments.count else { return usage("--misbehave needs a value") }
                let parts = arguments[i + 1].split(separator: ":", maxSplits: 1).map(String.init)
                i += 1
                guard parts.count == 2, let kind = SMPLineMisbehaviour(rawValue: parts[0]), let n = Int(parts[1]),
                    n > 0
                else {
                    return usage(
                        "with --smp-serial, --misbehave takes KIND:N, KIND one of "
                            + SMPLineMisbehaviour.allCases.map(\.rawValue).joined(separator: ", ")
                    )
                }
                smp.misbehaviours[kind] = n
            case "--misbehave":
                guard i + 1 < arguments.count else { return usage("--misbehave needs a value") }
                let parts = arguments[i + 1].split(separator: ":", maxSplits: 1).map(String.init)
                i += 1
                guard parts.count == 2, let kind = Misbehaviour(rawValue: parts[0]), let data = Hex.decode(parts[1])
                else { return usage("--misbehave takes KIND:HEX, e.g. crash:a0") }
                misbehaviours[data] = kind
            case "--list-violations":
                for rule in registry.violationRules { print("\(rule.id)\t\(rule.summary)") }
                return 0
            case "--list-smp-violations":
                for rule in SMPViolation.allCases { print("\(rule.rawValue)\t\(rule.summary)") }
                return 0
            case "-h", "--help":
                print(
                    "usage: b2c-device --stdio [--violate RULE]... [--misbehave KIND:HEX]... [--delay-ms N]"
                        + "\n       b2c-device --smp-serial [--link PATH] [--baudrate N] [--flash-dir DIR]"
                        + " [--strategy S] [--recovery] [--violate smp.RULE]... [--misbehave KIND:N]..."
                        + "\n       b2c-device --smp-udp HOST:PORT [--flash-dir DIR] [--strategy S] [--recovery]"
                        + "\n       b2c-device --list-violations | --list-smp-violations"
                )
                return 0
            default:
                return usage("unknown argument '\(arg)'")
            }
            i += 1
        }
        guard registry.conflicts.isEmpty else {
            return usage("area registry: " + registry.conflicts.joined(separator: "; "))
        }
        if smp.enabled {
            guard !stdio else { return usage("--stdio and --smp-serial/--smp-udp exclude each other") }
            guard violations.isEmpty else {
                return usage("rules of other areas do not apply to the SMP device: " + violations.sorted().joined())
            }
            return smp.run()
        }
        guard smp.violations.isEmpty else { return usage("smp.* rules need --smp-serial or --smp-udp") }
        guard stdio else { return usage("say --stdio to serve the wire protocol on stdin/stdout") }
        let core = DeviceCore(
            registry: registry,
            violations: ViolationSet(violations),
            misbehaviours: misbehaviours,
            delayMs: delayMs
        )
        var device = StdioDevice(core: core)
        return device.serve()
    }

    private static func usage(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data("b2c-device: \(message)\n".utf8))
        return 2
    }
}

/// The device core on stdin/stdout: unbuffered reads and writes, so nothing is held back.
struct StdioDevice {
    var core: DeviceCore

    mutating func serve() -> Int32 {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            let actions = n > 0 ? core.receive(chunk[0..<n]) : core.endOfInput()
            for action in actions {
                switch action {
                case .write(let bytes): if !FileDescriptorIO.writeAll(1, bytes) { return 0 }
                case .log(let message): FileHandle.standardError.write(Data("b2c-device: \(message)\n".utf8))
                case .sleep(let ms): usleep(UInt32(ms) * 1000)
                case .exit: return 0
                case .crash: abort()
                case .hang: while true { sleep(3600) }
                }
            }
            if n <= 0 { return 0 }
        }
    }
}

/// The SMP device's options, and the run they describe.
struct SMPOptions {
    var serial = false
    var udp: (host: String, port: UInt16)?
    var link: String?
    var baud: Int?
    var flashDir: String?
    var recovery = false
    var strategy = BootConfiguration.Strategy.swapUsingMove
    var downgradePrevention = BootConfiguration.DowngradePrevention.off
    var violations: Set<SMPViolation> = []
    var misbehaviours: [SMPLineMisbehaviour: Int] = [:]

    var enabled: Bool { serial || udp != nil }

    /// Consumes the option at `i` if it is one of these: how many arguments it took, or what is wrong; nil if the
    /// argument is not an SMP option.
    mutating func parse(_ args: [String], at i: Int) -> Result<Int, SMPOptionError>? {
        let value: String? = i + 1 < args.count ? args[i + 1] : nil
        switch args[i] {
        case "--smp-serial":
            serial = true
            return .success(1)
        case "--recovery":
            recovery = true
            return .success(1)
        case "--link":
            guard let value else { return .failure(SMPOptionError("--link needs a path")) }
            link = value
            return .success(2)
        case "--flash-dir":
            guard let value else { return .failure(SMPOptionError("--flash-dir needs a directory")) }
            flashDir = value
            return .success(2)
        case "--baudrate":
            guard let value, let n = Int(value), (50...100_000_000).contains(n) else {
                return .failure(SMPOptionError("--baudrate takes 50…100000000"))
            }
            baud = n
            return .success(2)
        case "--strategy":
            guard let value, let s = BootConfiguration.Strategy(rawValue: value) else {
                return .failure(
                    SMPOptionError(
                        "--strategy takes "
                            + BootConfiguration.Strategy.allCases.map(\.rawValue).joined(separator: ", ")
                    )
                )
            }
            strategy = s
            return .success(2)
        case "--downgrade-prevention":
            guard let value, let d = BootConfiguration.DowngradePrevention(rawValue: value) else {
                return .failure(SMPOptionError("--downgrade-prevention takes off, version or security-counter"))
            }
            downgradePrevention = d
            return .success(2)
        case "--smp-udp":
            guard let value, let colon = value.lastIndex(of: ":"),
                let port = UInt16(value[value.index(after: colon)...])
            else { return .failure(SMPOptionError("--smp-udp takes HOST:PORT, e.g. 127.0.0.1:1337")) }
            udp = (String(value[..<colon]), port)
            return .success(2)
        default:
            return nil
        }
    }

    func run() -> Int32 {
        guard serial != (udp != nil) else {
            FileHandle.standardError.write(Data("b2c-device: say one of --smp-serial and --smp-udp\n".utf8))
            return 2
        }
        let dir = flashDir.map(FlashDirectory.init(path:))
        let boot = SMPDeviceImages.configuration(strategy: strategy, downgradePrevention: downgradePrevention)
        let device: BootDevice
        do {
            device = try SMPDeviceImages.device(boot, restoring: dir?.load())
        } catch {
            FileHandle.standardError.write(Data("b2c-device: flash: \(error)\n".utf8))
            return 1
        }
        var config = SMPServer.Configuration()
        config.violations = violations
        let server = SMPServer(device: device, configuration: config, mode: recovery ? .recovery : .application)
        dir?.save(server.device)
        let announce: (String) -> Void = { line in _ = FileDescriptorIO.writeAll(1, Array((line + "\n").utf8)) }
        if let udp {
            var d = SMPUDPDevice(server: server, host: udp.host, port: udp.port, flashDirectory: dir)
            return d.serve(announce: announce)
        }
        let service = SMPSerialService(server: server, flashDirectory: dir, misbehaviours: misbehaviours)
        var pty = PtyDevice(service: service, baud: baud, link: link)
        return pty.serve(announce: announce)
    }
}

struct SMPOptionError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
