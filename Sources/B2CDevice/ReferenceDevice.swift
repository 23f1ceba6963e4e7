import B2CArea
import B2CHex
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
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
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
                guard known.contains(value) else {
                    return usage(
                        "unknown rule '\(value)' for --violate; known: "
                            + registry.violationRules.map(\.id).joined(separator: ", ")
                    )
                }
                violations.insert(value)
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
            case "-h", "--help":
                print(
                    "usage: b2c-device --stdio [--violate RULE]... [--misbehave KIND:HEX]... [--delay-ms N]"
                        + "\n       b2c-device --list-violations"
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
