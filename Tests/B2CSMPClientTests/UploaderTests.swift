import B2CCBOR
import B2CDevice
import B2CHarness
import B2CSMP
import B2CSMPClient
import B2CWire
import Foundation
import Testing

/// A small upload server for the client's tests, written from smp.md §5.2's server algorithm: MCUmgr params, and
/// upload with `off`/`len`/`sha`, an optional write block that `off` is rounded down to (MCUboot), and chunks it
/// ignores once (a lost frame). It keeps what it received, which the tests compare with the image itself.
final class UploadServer: LineService, @unchecked Sendable {
    let bufSize: UInt32
    let writeBlock: Int
    var ignore: Set<Int>
    private(set) var received: [UInt8] = []
    private(set) var longestLine = 0
    /// The line lengths of each frame, newline included.
    private(set) var frames: [[Int]] = []
    private var currentLine: [UInt8] = []
    private(set) var largestMessage = 0
    private(set) var requests = 0
    private var reassembler = SMPSerialReassembler(maxMessageBytes: 65_000)
    private var expected = 0
    private var length = 0
    private let lock = NSLock()

    init(bufSize: UInt32, writeBlock: Int = 1, ignore: Set<Int> = []) {
        self.bufSize = bufSize
        self.writeBlock = writeBlock
        self.ignore = ignore
    }

    var snapshot: (received: [UInt8], longestLine: Int, largestMessage: Int, frames: [[Int]]) {
        lock.withLock { (received, longestLine, largestMessage, frames) }
    }

    func receive(_ bytes: [UInt8]) -> [DeviceCore.Action] {
        lock.withLock {
            for b in bytes {
                currentLine.append(b)
                guard b == 0x0a else { continue }
                longestLine = max(longestLine, currentLine.count)
                if currentLine.starts(with: [0x06, 0x09]) { frames.append([]) }
                if !frames.isEmpty { frames[frames.count - 1].append(currentLine.count) }
                currentLine = []
            }
            reassembler.append(bytes)
            var out: [DeviceCore.Action] = []
            while let event = reassembler.next() {
                guard case .message(let raw) = event, let m = try? SMPMessage.decode(raw) else { continue }
                largestMessage = max(largestMessage, raw.count)
                requests += 1
                if ignore.remove(requests) != nil { continue }
                if let answer = answer(m), let reply = try? SMPMessage.response(to: m.header, body: answer) {
                    out.append(.write(SMPSerial.encodeFrame(reply.encoded)))
                }
            }
            return out
        }
    }

    private func answer(_ m: SMPMessage) -> CBOR? {
        switch try? SMPRequest.decode(m) {
        case .params?:
            return SMPParamsResponse(bufSize: bufSize, bufCount: 4).cbor
        case .imageUpload(let u)?:
            guard let off = u.off, let data = u.data else {
                return SMPStatus.rc(SMPReturnCode(3), reason: nil).body(answering: .v2)
            }
            if off == 0 {
                guard let len = u.len else { return SMPStatus.rc(SMPReturnCode(3), reason: nil).body(answering: .v2) }
                if expected > 0 && length == Int(len) {
                    // The same upload again: resume.
                    return SMPImageUploadResponse(off: UInt32(expected)).cbor
                }
                length = Int(len)
                received = []
                expected = 0
            }
            guard Int(off) == expected else { return SMPImageUploadResponse(off: UInt32(expected)).cbor }
            // Write whole blocks only, as MCUboot does; the rest is asked for again.
            let end = Int(off) + data.count
            let writable = end == length ? data.count : (end / writeBlock * writeBlock) - Int(off)
            received += data.prefix(max(0, writable))
            expected += max(0, writable)
            return SMPImageUploadResponse(off: UInt32(expected), match: expected == length ? true : nil).cbor
        default:
            return SMPStatus.rc(SMPReturnCode(8), reason: nil).body(answering: .v2)
        }
    }
}

/// Serves `server` on a pty in a thread; returns the line to it.
func serve(_ server: UploadServer, baud: Int? = nil) throws -> SerialTransport {
    let announced = DispatchSemaphore(value: 0)
    let path = LockedPath()
    let thread = Thread {
        var device = PtyDevice(service: server, baud: baud, link: nil)
        _ = device.serve { p in
            path.value = p
            announced.signal()
        }
    }
    thread.start()
    _ = announced.wait(timeout: .now() + 5)
    return try SerialTransport(path: path.value, options: SerialOptions())
}

final class LockedPath: @unchecked Sendable {
    private var v = ""
    private let lock = NSLock()
    var value: String {
        get { lock.withLock { v } }
        set { lock.withLock { v = newValue } }
    }
}

extension UploadServer {
    static func image(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var x: UInt32 = 0x1234_5678
        for i in 0..<count {
            x = x &* 1_664_525 &+ 1_013_904_223
            out[i] = UInt8(truncatingIfNeeded: x >> 24)
        }
        out.replaceSubrange(0..<4, with: [0x3d, 0xb8, 0xf3, 0x96])
        return out
    }
}

@Suite("SMP client: matching and uploading", .serialized)
struct UploaderTests {
    @Test(
        "An upload over the console framing: every byte arrives, messages fit buf_size less the frame, lines stay within 127 bytes and are full"
    )
    func upload() throws {
        let server = UploadServer(bufSize: 1024)
        let line = try serve(server)
        defer { line.close() }
        let image = UploadServer.image(20_000)
        let uploader = SMPUploader(client: SMPClient(link: .serial(line)))
        var seen: [Int] = []
        let r = try uploader.upload(image) { done, _ in seen.append(done) }
        let s = server.snapshot
        #expect(s.received == image)
        #expect(r.match == true && r.messageBytes == 1020)
        #expect(s.largestMessage <= 1020)
        #expect(s.longestLine <= 127)
        #expect(seen.last == image.count && seen == seen.sorted())
        #expect(r.requests < 25, "\(r.requests) requests for 20,000 bytes at 1,020 a message")
        // Full lines: every upload chunk but the last fills each of its lines (127 bytes with markers and newline).
        let chunks = s.frames.dropFirst()  // the params request
        #expect(chunks.count == r.requests)
        #expect(chunks.dropLast().allSatisfy { $0.allSatisfy { $0 == 127 } }, "\(chunks.map { $0.last ?? 0 })")
    }

    @Test("A device that writes whole 8-byte blocks only: the client follows the returned off, never its own count")
    func roundedOffsets() throws {
        let server = UploadServer(bufSize: 512, writeBlock: 8)
        let line = try serve(server)
        defer { line.close() }
        let image = UploadServer.image(5_003)
        let r = try SMPUploader(client: SMPClient(link: .serial(line))).upload(image)
        #expect(server.snapshot.received == image)
        #expect(r.match == true)
    }

    @Test("A lost answer is a timeout; the chunk is sent again and the upload finishes")
    func lostFrame() throws {
        let server = UploadServer(bufSize: 512, ignore: [3, 7])
        let line = try serve(server)
        defer { line.close() }
        var options = SMPUploader.Options()
        options.chunkTimeoutMs = 300
        let image = UploadServer.image(4_000)
        let r = try SMPUploader(client: SMPClient(link: .serial(line)), options: options).upload(image)
        #expect(server.snapshot.received == image)
        #expect(r.resent >= 2)
    }

    @Test(
        "Answers are matched on sequence, group, command and op: another command's answer with the same sequence is noise"
    )
    func matching() throws {
        let pty = try PseudoTerminalPair()
        defer { pty.close() }
        let client = SMPClient(link: .serial(pty.line))
        let request = try SMPMessage.request(SMPParamsRequest(), sequence: 7)
        try client.send(request)
        // A stray echo answer with the same sequence, console text, then the real answer.
        var echo = SMPHeader(op: .writeResponse, group: .os, sequence: 7, command: SMPCommandID.OS.echo)
        echo.length = 1
        let stray = try SMPMessage(header: echo, body: [0xa0])
        let real = try #require(
            try SMPMessage.response(to: request.header, SMPParamsResponse(bufSize: 2048, bufCount: 1))
        )
        pty.deviceWrites(
            SMPSerial.encodeFrame(stray.encoded) + Array("booting...\n".utf8) + SMPSerial.encodeFrame(real.encoded)
        )
        let got = try client.awaitAnswer(to: request.header, timeoutMs: 2000)
        #expect(got == real)
        #expect(client.noise.count == 2)
        #expect(client.noise.first?.hasPrefix("unmatched message") == true)
        #expect(client.noise.last == "console: booting...")
    }
}
