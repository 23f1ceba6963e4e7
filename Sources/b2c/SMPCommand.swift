import ArgumentParser
import B2CCBOR
import B2CHarness
import B2CHex
import B2CSMP
import B2CSMPClient
import B2CVectors
import B2CWire
import Foundation

/// `b2c smp`: an SMP client shaped like smpmgr, for a device on a serial port or UDP.
struct SMPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smp",
        abstract: "Manage a device over SMP (mcumgr): a serial port or UDP.",
        discussion: """
            The connection options go before the group, as with smpmgr, or after the command:
            b2c smp --port /dev/ttyACM0 image state-read.
            Exit codes: 0 success, 1 the device answered with a non-zero rc (an SMP or group error), 2 usage or a
            port that cannot be opened, 3 no answer (a timeout or the line dropping).
            """,
        subcommands: [SMPOSCommand.self, SMPImageCommand.self]
    )
}

/// Where the device is and how to talk to it; the options every `b2c smp` command takes.
struct SMPConnection: ParsableArguments {
    @Option(name: .long, help: "The device's serial port (or a pty).") var port: String?
    @Option(name: .long, help: "The serial line's baud rate.") var baudrate: Int = 115_200
    @Option(name: .long, help: "The device's UDP endpoint, HOST:PORT or [IPv6]:PORT.") var udp: String?
    @Option(name: .long, help: "Seconds to wait for an answer (the first upload chunk waits 40 s).")
    var timeout: Double = 3
    @Flag(name: .long, help: "Send SMP version 1 requests (MCUboot serial recovery answers only these).") var v1 = false
    @Flag(name: .long, help: "Print the device's answer as JSON.") var json = false

    func validate() throws {
        guard (port == nil) != (udp == nil) else { throw ValidationError("give exactly one of --port and --udp") }
        guard timeout > 0 && timeout <= 3600 else { throw ValidationError("--timeout must be 0 to 3600 seconds") }
    }

    var timeoutMs: Int { Int(timeout * 1000) }

    /// The options with a value, and the flags, a `b2c smp` command line may give before its group.
    static let valued: Set = ["--port", "--baudrate", "--udp", "--timeout"]
    static let flags: Set = ["--v1", "--json"]

    /// smpmgr's order (`b2c smp --port P os echo hi`) as ArgumentParser reads it: the connection options given
    /// between `smp` and the group move after the command.
    static func hoistingConnectionOptions(_ args: [String]) -> [String] {
        guard args.first == "smp" else { return args }
        var moved: [String] = []
        var i = 1
        while i < args.count {
            let a = args[i]
            let name = a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a
            if valued.contains(name) {
                moved.append(a)
                if !a.contains("="), i + 1 < args.count {
                    moved.append(args[i + 1])
                    i += 1
                }
            } else if flags.contains(a) {
                moved.append(a)
            } else {
                break
            }
            i += 1
        }
        return [args[0]] + args[i...] + moved
    }

    func client() throws -> SMPClient {
        let link: SMPClient.Link
        if let port {
            guard SerialLineRates.known.contains(baudrate) else {
                throw CLIError("--baudrate \(baudrate) is not a standard rate (\(SerialLineRates.list))")
            }
            link = .serial(try SerialTransport(path: port, options: SerialOptions(baudrate: baudrate)))
        } else {
            link = .udp(try UDPTransport(try UDPEndpoint(parsing: udp ?? "")))
        }
        return SMPClient(link: link, version: v1 ? .v1 : .v2)
    }

    /// Sends `body` and prints the answer; a non-zero status exits 1, no answer 3.
    func run<B: SMPRequestBody>(_ body: B, op: SMPOp? = nil, print render: (SMPMap) -> String = SMPOutput.render) throws
    {
        let client = try client()
        let request = try SMPMessage.request(body, sequence: client.nextSequence(), version: client.version, op: op)
        let answer: SMPMessage
        do {
            answer = try client.exchange(request, timeoutMs: timeoutMs)
        } catch {
            throw SMPOutput.fail(error)
        }
        let map: SMPMap
        do {
            map = try answer.map()
        } catch {
            Console.err("b2c smp: the answer is not an SMP map: \(error)\n")
            throw ExitCode(1)
        }
        let status = (try? SMPStatus(map: map)) ?? .ok
        Console.out(json ? SMPOutput.json(map) + "\n" : render(map))
        guard status.isSuccess else {
            Console.err("b2c smp: the device answered \(status)\n")
            throw ExitCode(1)
        }
    }
}

enum SMPOutput {
    /// A client error as the exit it means.
    static func fail(_ error: SMPClientError) -> ExitCode {
        Console.err("b2c smp: \(error.reason)\n")
        switch error.kind {
        case .status, .upload, .malformed: return ExitCode(1)
        case .send: return ExitCode(2)
        case .timeout, .linkDown: return ExitCode(3)
        }
    }

    /// `key: value` lines, nested maps indented, byte strings in hex.
    static func render(_ map: SMPMap) -> String {
        var out = ""
        func write(_ item: CBOR, key: String, indent: String) {
            switch item {
            case .map(let pairs):
                out += "\(indent)\(key):\n"
                for p in pairs { write(p.value, key: label(p.key), indent: indent + "  ") }
            case .array(let items):
                out += "\(indent)\(key):\n"
                for (i, v) in items.enumerated() { write(v, key: "[\(i)]", indent: indent + "  ") }
            default:
                out += "\(indent)\(key): \(scalar(item))\n"
            }
        }
        for (k, v) in map.pairs { write(v, key: k, indent: "") }
        return out.isEmpty ? "ok\n" : out
    }

    static func label(_ key: CBOR) -> String {
        if case .text(let t) = key { return t }
        return scalar(key)
    }

    static func scalar(_ item: CBOR) -> String {
        switch item {
        case .text(let t): return t
        case .bytes(let b): return Hex.encode(b)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        default: return item.integerDescription ?? CBORDiagnostic.render(item)
        }
    }

    /// The map as JSON: byte strings as hex strings.
    static func json(_ map: SMPMap) -> String {
        func value(_ item: CBOR) -> JSONValue {
            switch item {
            case .unsigned(let n): return n <= UInt64(Int64.max) ? .int(Int64(n)) : .string(String(n))
            case .negative(let n):
                return n < UInt64(Int64.max) ? .int(-1 - Int64(n)) : .string(item.integerDescription ?? "")
            case .bytes(let b): return .string(Hex.encode(b))
            case .text(let t): return .string(t)
            case .array(let a): return .array(a.map(value))
            case .map(let pairs):
                var o: [String: JSONValue] = [:]
                for p in pairs { o[label(p.key)] = value(p.value) }
                return .object(o)
            case .tagged(_, let v): return value(v)
            case .bool(let b): return .bool(b)
            case .float(let d): return .double(d)
            case .null, .undefined, .simple: return .null
            }
        }
        var o: [String: JSONValue] = [:]
        for (k, v) in map.pairs { o[k] = value(v) }
        return CanonicalJSON.compact(.object(o))
    }
}

struct SMPOSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "os",
        abstract: "The OS group: echo, reset, params, info, bootloader-info.",
        subcommands: [Echo.self, Reset.self, Params.self, Info.self, BootloaderInfo.self]
    )

    struct Echo: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Echo a text.")
        @OptionGroup var connection: SMPConnection
        @Argument(help: "The text.") var text: String
        func run() throws { try connection.run(SMPEchoRequest(text), op: .write) }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reset the device (it answers first).")
        @OptionGroup var connection: SMPConnection
        @Flag(name: .long, help: "Reset even if the device would rather not (force: true).") var force = false
        func run() throws { try connection.run(SMPResetRequest(force: force ? true : nil)) }
    }

    struct Params: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "MCUmgr parameters (buf_size, buf_count).")
        @OptionGroup var connection: SMPConnection
        func run() throws { try connection.run(SMPParamsRequest()) }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "OS/application info (uname-like format letters).")
        @OptionGroup var connection: SMPConnection
        @Argument(help: "Format letters, e.g. a (all), s, n, r, v, b, m, p, i, o.") var format: String?
        func run() throws { try connection.run(SMPOSInfoRequest(format: format)) }
    }

    struct BootloaderInfo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bootloader-info",
            abstract: "Bootloader info (a query such as mode)."
        )
        @OptionGroup var connection: SMPConnection
        @Argument(help: "The query, e.g. mode.") var query: String?
        func run() throws { try connection.run(SMPBootloaderInfoRequest(query: query)) }
    }
}

struct SMPImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "The image group: state-read, state-write, upload, erase, slot-info.",
        subcommands: [StateRead.self, StateWrite.self, Upload.self, Erase.self, SlotInfo.self]
    )

    struct StateRead: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "state-read",
            abstract: "The images and their flags."
        )
        @OptionGroup var connection: SMPConnection
        func run() throws { try connection.run(SMPImageStateReadRequest()) }
    }

    struct StateWrite: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "state-write",
            abstract: "Mark an image for test (its hash), or confirm (--confirm, optionally with a hash)."
        )
        @OptionGroup var connection: SMPConnection
        @Flag(name: .long, help: "Make the image permanent (the running one when no hash is given).") var confirm =
            false
        @Argument(help: "The image's hash (its SHA-256 TLV, 64 hex digits).") var hash: String?
        func run() throws {
            var bytes: [UInt8]? = nil
            if let hash {
                guard let b = Hex.decode(hash), b.count == 32 else {
                    throw CLIError("the hash must be 64 hex digits (the image's SHA-256 TLV, as state-read shows it)")
                }
                bytes = b
            }
            guard bytes != nil || confirm else { throw CLIError("give a hash to test, or --confirm") }
            try connection.run(SMPImageStateWriteRequest(hash: bytes, confirm: confirm ? true : nil))
        }
    }

    struct Upload: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upload an image to the device's inactive slot.",
            discussion: """
                Messages are as large as the device's buf_size allows (MCUmgr params), and every serial line is
                filled. The first chunk waits up to 40 s (the device erases the slot). A lost answer or a dropped
                line resumes from the offset the device reports.
                """
        )
        @OptionGroup var connection: SMPConnection
        @Argument(help: "The signed image.") var file: String
        @Option(name: .long, help: "The request's image field (image number; slot + 1 with direct upload).")
        var slot: UInt32?
        @Flag(name: .long, help: "Refuse unless the image is newer than the running one.") var upgrade = false
        @Option(name: .long, help: "The SMP message size to use instead of the device's buf_size.") var mtu: Int?

        func run() throws {
            let image = try FileAccess.read(file)
            guard !image.isEmpty else { throw CLIError("\(file): the file is empty") }
            var options = SMPUploader.Options()
            options.image = slot
            options.upgrade = upgrade
            options.chunkTimeoutMs = connection.timeoutMs
            options.maxMessageBytes = mtu
            let uploader = SMPUploader(client: try connection.client(), options: options)
            if let port = connection.port {
                let baud = connection.baudrate
                let version = connection.v1 ? SMPVersion.v1 : .v2
                uploader.reconnect = { () throws(SMPClientError) -> SMPClient in
                    // The same port again, after the device reset or the line dropped: a rebooting board (or a
                    // restarted simulator) may take a few seconds to bring it back.
                    var last = ""
                    for _ in 0..<50 {
                        usleep(200_000)
                        do {
                            let line = try SerialTransport(path: port, options: SerialOptions(baudrate: baud))
                            return SMPClient(link: .serial(line), version: version)
                        } catch let e as HarnessError {
                            last = e.reason
                        } catch {
                            last = "\(error)"
                        }
                    }
                    throw SMPClientError(.linkDown, "cannot reopen \(port) within 10 s: \(last)")
                }
            }
            let started = MonotonicClock.now()
            let bar = Console.stdoutIsTerminal ? UploadBar(total: image.count) : nil
            let result: SMPUploader.Result
            do {
                result = try uploader.upload(image) { done, total in bar?.show(done, total) }
            } catch {
                if bar != nil { Console.out("\n") }
                throw SMPOutput.fail(error)
            }
            let seconds = Double(MonotonicClock.now() - started) / 1e9
            if bar != nil { Console.out("\n") }
            let rate = seconds > 0 ? Double(image.count) / seconds : 0
            if connection.json {
                let o: [String: JSONValue] = [
                    "bytes": .int(Int64(result.bytes)), "requests": .int(Int64(result.requests)),
                    "resent": .int(Int64(result.resent)), "reconnects": .int(Int64(result.reconnects)),
                    "messageBytes": .int(Int64(result.messageBytes)), "seconds": .double(seconds),
                    "bytesPerSecond": .double(rate.rounded()), "match": result.match.map { .bool($0) } ?? .null,
                ]
                Console.out(CanonicalJSON.compact(.object(o)) + "\n")
            } else {
                Console.out(
                    "uploaded \(result.bytes) bytes in \(result.requests) requests of up to \(result.messageBytes) bytes, "
                        + String(format: "%.1f s, %.0f bytes/s", seconds, rate)
                        + (result.match == true ? ", match" : "")
                        + (result.resent > 0 ? ", \(result.resent) resent" : "")
                        + "\n"
                )
            }
        }
    }

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Erase a slot (default: the inactive one).")
        @OptionGroup var connection: SMPConnection
        @Argument(help: "The slot.") var slot: UInt32?
        func run() throws { try connection.run(SMPImageEraseRequest(slot: slot)) }
    }

    struct SlotInfo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "slot-info",
            abstract: "The slots and their sizes."
        )
        @OptionGroup var connection: SMPConnection
        func run() throws { try connection.run(SMPSlotInfoRequest()) }
    }
}

/// The upload's progress on a terminal, redrawn at most ten times a second.
final class UploadBar: @unchecked Sendable {
    let total: Int
    let started = MonotonicClock.now()
    private var last: UInt64 = 0
    init(total: Int) { self.total = total }

    func show(_ done: Int, _ total: Int) {
        let now = MonotonicClock.now()
        guard now - last > 100_000_000 || done == total else { return }
        last = now
        let width = 30
        let filled = total > 0 ? done * width / total : width
        let seconds = Double(now - started) / 1e9
        let rate = seconds > 0 ? Double(done) / seconds / 1024 : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        let percent = total > 0 ? done * 100 / total : 100
        Console.out("\r[\(bar)] \(percent)%  " + String(format: "%.1f KiB/s", rate))
    }
}
