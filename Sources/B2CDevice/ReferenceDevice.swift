import B2CCBOR
import B2CWire
import Foundation

/// The reference device: b2c's own implementation of every operation the suites know, served over the wire
/// protocol on stdin/stdout.
///
/// `--violate RULE` makes it break one rule of a specification on purpose, so a test can prove the suite catches
/// it. `--misbehave KIND:HEX` makes it break the wire protocol when asked to decode the input HEX, so the harness's
/// handling of crashes, hangs and garbage can be tested against a real process.
public enum ReferenceDevice {
    public static let name = "b2c-device"
    public static let version = "0.1.0"

    /// Spec violations the device can be told to commit.
    public enum Violation: String, CaseIterable, Sendable {
        /// Accept bytes after the top-level item.
        case acceptTrailingBytes = "cbor.accept-trailing-bytes"
        /// Do not check for duplicate map keys.
        case acceptDuplicateKeys = "cbor.accept-duplicate-keys"
        /// Accept a two-byte simple value below 32.
        case acceptTwoByteSimple = "cbor.accept-two-byte-simple"
        /// Sort map keys length-first (RFC 7049 canonical) instead of bytewise (RFC 8949 §4.2.1).
        case lengthFirstKeys = "cbor.length-first-keys"
        /// Report every rejection as `cbor.malformed`.
        case vagueErrors = "cbor.vague-errors"
        /// Verify images as if built without the unprotected-TLV allow list (CVE-2024-32883 class).
        case imageNoAllowList = "image.no-allow-list"
        /// Accept an `ih_protect_tlv_size` that differs from the protected area (as imgtool's verify does).
        case imageIgnoreProtectSize = "image.ignore-protect-size"
    }

    /// Wire-protocol misbehaviours, triggered by one input.
    public enum Misbehaviour: String, CaseIterable, Sendable {
        case crash, hang, garbage, twice, wrongId = "wrong-id", silentExit = "silent-exit", slow
    }

    /// Runs the device with command-line arguments; returns the exit code.
    public static func main(arguments: [String]) -> Int32 {
        var violations: Set<Violation> = []
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
            case "--violate", "--misbehave":
                guard i + 1 < arguments.count else { return usage("\(arg) needs a value") }
                let value = arguments[i + 1]
                i += 1
                if arg == "--violate" {
                    guard let v = Violation(rawValue: value) else {
                        return usage("unknown rule '\(value)' for --violate; known: "
                            + Violation.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    violations.insert(v)
                } else {
                    let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
                    guard parts.count == 2, let kind = Misbehaviour(rawValue: parts[0]),
                        let data = Hex.decode(parts[1])
                    else { return usage("--misbehave takes KIND:HEX, e.g. crash:a0") }
                    misbehaviours[data] = kind
                }
            case "-h", "--help":
                print("usage: b2c-device --stdio [--violate RULE]... [--misbehave KIND:HEX]... [--delay-ms N]")
                return 0
            default:
                return usage("unknown argument '\(arg)'")
            }
            i += 1
        }
        guard stdio else { return usage("say --stdio to serve the wire protocol on stdin/stdout") }
        var server = DeviceServer(violations: violations, misbehaviours: misbehaviours, delayMs: delayMs)
        return server.serve()
    }

    private static func usage(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data("b2c-device: \(message)\n".utf8))
        return 2
    }
}
