import B2CCBOR
import B2CWire
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The device's request loop: one line in, one line out.
struct DeviceServer {
    let violations: Set<ReferenceDevice.Violation>
    let misbehaviours: [[UInt8]: ReferenceDevice.Misbehaviour]
    /// Delay before every answer (for tests that need a run to take a while).
    let delayMs: Int

    mutating func serve() -> Int32 {
        var reader = LineReader(fd: 0)
        while let line = reader.next() {
            if line.isEmpty { continue }
            let request: WireRequest
            do {
                request = try WireCodec.decodeRequest(line)
            } catch {
                log("bad request line: \(error)")
                continue
            }
            if request.op == "bye" {
                send(WireResponse(id: request.id, body: .ok([:])))
                return 0
            }
            if let data = request.args["data"]?.stringValue.flatMap(Hex.decode), let kind = misbehaviours[data] {
                if misbehave(kind, request) { continue } else { return 0 }
            }
            if delayMs > 0 { usleep(UInt32(delayMs) * 1000) }
            send(WireResponse(id: request.id, body: handle(request)))
        }
        return 0
    }

    func handle(_ request: WireRequest) -> WireResponse.Body {
        switch request.op {
        case "hello":
            return .ok([
                "protocol": .int(1),
                "implementation": .object([
                    "name": .string(ReferenceDevice.name), "version": .string(ReferenceDevice.version),
                ]),
                "capabilities": .object([
                    "cbor.decode": .object(["profiles": .array([.string("valid"), .string("deterministic")])]),
                    "image.verify": .object(["features": .array(ImageOperations.features.map(JSONValue.string))]),
                    "image.parse": .object([:]),
                    "image.decrypt": .object(["features": .array(ImageOperations.features.map(JSONValue.string))]),
                ]),
                "limits": .object(["maxLineBytes": .int(16 << 20), "maxInFlight": .int(1)]),
                "violations": .array(violations.map { .string($0.rawValue) }.sorted { "\($0)" < "\($1)" }),
            ])
        case "cbor.decode":
            return CBOROperations.decode(request.args, violations: violations)
        case "image.verify":
            return ImageOperations.verify(request.args, violations: violations)
        case "image.parse":
            return ImageOperations.parse(request.args, violations: violations)
        case "image.decrypt":
            return ImageOperations.decrypt(request.args)
        default:
            return .unsupported(reason: "operation \(request.op) is not implemented")
        }
    }

    /// Acts out a misbehaviour; returns false when the device should stop.
    func misbehave(_ kind: ReferenceDevice.Misbehaviour, _ request: WireRequest) -> Bool {
        switch kind {
        case .crash:
            log("misbehaving: crash")
            abort()
        case .silentExit:
            return false
        case .hang:
            while true { sleep(3600) }
        case .garbage:
            writeLine(Array("this is not json".utf8))
        case .twice:
            send(WireResponse(id: request.id, body: handle(request)))
            send(WireResponse(id: request.id, body: handle(request)))
        case .wrongId:
            send(WireResponse(id: request.id + 1000, body: handle(request)))
        case .slow:
            usleep(300_000)
            send(WireResponse(id: request.id, body: handle(request)))
        }
        return true
    }

    func send(_ response: WireResponse) { writeLine(WireCodec.encode(response)) }

    func writeLine(_ bytes: [UInt8]) {
        var line = bytes
        line.append(0x0a)
        line.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = write(1, base + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }

    func log(_ message: String) {
        FileHandle.standardError.write(Data("b2c-device: \(message)\n".utf8))
    }
}

/// Reads `\n`-terminated lines from a file descriptor, unbuffered by stdio so nothing is held back.
struct LineReader {
    let fd: Int32
    var buffer: [UInt8] = []
    var start = 0
    var eof = false
    static let maxLine = 16 << 20

    init(fd: Int32) { self.fd = fd }

    mutating func next() -> [UInt8]? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0a) {
                let line = Array(buffer[start..<nl])
                start = nl + 1
                if start > 65536 {
                    buffer.removeFirst(start)
                    start = 0
                }
                return line
            }
            if eof {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            if buffer.count - start > Self.maxLine {
                // An over-long line: drop it, it cannot be a request.
                buffer.removeAll()
                start = 0
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 {
                eof = true
            } else {
                buffer.append(contentsOf: chunk[0..<n])
            }
        }
    }
}
