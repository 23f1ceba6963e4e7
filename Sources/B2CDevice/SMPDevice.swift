import B2CBoot
import B2CImage
import B2CSMP
import B2CSMPServer
import Crypto
import Foundation

/// The reference device's MCUboot build as an SMP server sees it: the flash geometry, the strategy and the image
/// checks, the signing key, and the factory image a fresh device starts with.
///
/// The image checks are `MCUBOOT_SIGN_ED25519` with SHA-256 and one embedded key, `bootutil_keys[0]`: the Ed25519 key
/// whose 32-byte seed is SHA-256 of ``keySeedText``, so a test can sign images for the device with imgtool from a PEM
/// it derives the same way (`Ed25519PrivateKey.from_private_bytes(sha256(text))`). It is a test key, public by
/// construction.
package enum SMPDeviceImages {
    package static let keySeedText = "b2c reference device SMP image key"
    package static let sectorSize = 4096
    package static let slotSectors = 32
    package static let writeSize = 8
    package static let headerSize = 0x200

    package static var privateKey: ImagePrivateKey? {
        let seed = Array(SHA256.hash(data: Array(keySeedText.utf8)))
        return try? .ed25519(Curve25519.Signing.PrivateKey(rawRepresentation: seed))
    }

    package static func configuration(
        strategy: BootConfiguration.Strategy,
        downgradePrevention: BootConfiguration.DowngradePrevention = .off
    ) -> BootConfiguration {
        var verifier = ImageVerifier.Configuration(signature: .ed25519)
        if let key = privateKey { verifier.keys = [key.publicKey] }
        var c = BootConfiguration(
            strategy: strategy,
            verifier: verifier,
            layout: TrailerLayout(maxAlign: 8, maxImageSectors: slotSectors)
        )
        c.downgradePrevention = downgradePrevention
        return c
    }

    /// A signed image of `payloadSize` deterministic bytes at `version`, as imgtool would sign it for this build.
    package static func image(version: ImageVersion, payloadSize: Int = 4000, seed: UInt8 = 0) -> [UInt8] {
        var o = ImageSignOptions(headerSize: headerSize, version: version, slotSize: sectorSize * slotSectors)
        o.padHeader = true
        o.key = privateKey
        let payload = (0..<payloadSize).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
        return (try? ImageBuilder.sign(payload, options: o)) ?? []
    }

    /// The image in the primary slot of a fresh device (as a programmer would flash it: no trailer).
    package static let factoryVersion = ImageVersion(major: 1)

    /// A device with the factory image, or with the areas of `files` (a ``BootDevice/snapshot()``).
    package static func device(
        _ configuration: BootConfiguration,
        restoring files: [String: [UInt8]]? = nil
    ) throws(BootError) -> BootDevice {
        if let files, !files.isEmpty {
            return try BootDevice(
                configuration: configuration,
                sectorSize: sectorSize,
                slotSectors: slotSectors,
                writeSize: writeSize,
                restoring: files
            )
        }
        var d = try BootDevice(
            configuration: configuration,
            sectorSize: sectorSize,
            slotSectors: slotSectors,
            writeSize: writeSize
        )
        try d.write(slot: .primary, offset: 0, bytes: image(version: factoryVersion))
        return d
    }
}

/// `--flash-dir DIR`: the flash areas as files named by area, read at start and written after every change.
package struct FlashDirectory: Sendable {
    package let path: String

    package init(path: String) { self.path = path }

    package func load() -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for id in FlashAreaID.allCases {
            let name = BootDevice.fileName(id)
            if let d = FileManager.default.contents(atPath: path + "/" + name) { out[name] = Array(d) }
        }
        return out
    }

    package func save(_ device: BootDevice) {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, bytes) in device.snapshot() {
            let tmp = path + "/." + name + ".tmp"
            if FileManager.default.createFile(atPath: tmp, contents: Data(bytes)) {
                _ = rename(tmp, path + "/" + name)
            }
        }
    }
}

/// Line misbehaviours of the SMP device (`--misbehave KIND:N`), each on the N-th response (or upload chunk) and
/// every N-th after it.
package enum SMPLineMisbehaviour: String, CaseIterable, Sendable {
    /// Do not send the N-th response.
    case dropFrame = "drop-frame"
    /// Flip a bit of the N-th response's CRC.
    case badCRC = "bad-crc"
    /// Lose power while handling the N-th upload chunk: no answer, the upload is gone, the bootloader runs.
    case resetMidUpload = "reset-mid-upload"
    /// Send an unsolicited frame (an echo response with a sequence nobody used) before the N-th response.
    case strayFrame = "stray-frame"
}

/// The SMP server behind the console framing: ``SMPSerialReassembler`` in, ``SMPSerial`` lines (at most 127 bytes,
/// Zephyr's per-line cut; MCUboot's fill cut in recovery) out. Console text from the host is ignored; dropped frames
/// are logged and not answered (Zephyr's `uart_mcumgr.c`).
package struct SMPSerialService: LineService {
    package var server: SMPServer
    package var reassembler: SMPSerialReassembler
    package var flashDirectory: FlashDirectory?
    package var misbehaviours: [SMPLineMisbehaviour: Int]
    private var responsesSent = 0
    private var uploadRequests = 0
    private var operations: Int

    package init(
        server: SMPServer,
        flashDirectory: FlashDirectory? = nil,
        misbehaviours: [SMPLineMisbehaviour: Int] = [:]
    ) {
        self.server = server
        self.flashDirectory = flashDirectory
        self.misbehaviours = misbehaviours
        reassembler = SMPSerialReassembler(
            maxLineBytes: SMPSerial.maxReceivedLineBytes,
            maxMessageBytes: Int(max(server.configuration.bufSize, server.configuration.recoveryBufSize)) - 4
        )
        operations = server.device.flash.operationCount
    }

    private var violations: Set<SMPViolation> { server.configuration.violations }

    private func triggers(_ kind: SMPLineMisbehaviour, _ count: Int) -> Bool {
        guard let n = misbehaviours[kind], n > 0 else { return false }
        return count >= n && (count - n) % n == 0
    }

    /// The lines of one response as the device's framing (and its violations) cut them.
    package func frame(_ message: [UInt8]) -> [UInt8] {
        let style: SMPSerial.LineStyle = server.mode == .recovery ? .fill : .zephyr
        var lines: [[UInt8]]
        if violations.contains(.unalignedBase64) {
            lines = Self.unalignedLines(message)
        } else {
            let max = violations.contains(.longLines) ? 200 : SMPSerial.maxSentLineBytes
            lines = SMPSerial.encode(message, maxLineBytes: max, style: violations.contains(.longLines) ? .fill : style)
        }
        if violations.contains(.crlf) {
            lines = lines.map { l in l.last == 0x0a ? Array(l.dropLast()) + [0x0d, 0x0a] : l }
        }
        return Array(lines.joined())
    }

    /// The base64 text cut every 63 characters (not a multiple of 4).
    static func unalignedLines(_ message: [UInt8]) -> [[UInt8]] {
        SMPSerial.lines(base64: Base64.encode(SMPSerial.unit(message)), charactersPerLine: 63)
    }

    package mutating func receive(_ bytes: [UInt8]) -> [DeviceCore.Action] {
        reassembler.append(bytes)
        var actions: [DeviceCore.Action] = []
        while let event = reassembler.next() {
            switch event {
            case .console: continue
            case .dropped(let e):
                actions.append(.log("dropped a frame: \(e)"))
                if violations.contains(.answerBadCRC), e.code == .badCRC {
                    actions.append(.write(frame(server.answerCorrupt([0x02, 0, 0, 0, 0, 0, 0, 0]) ?? [])))
                }
            case .message(let m):
                actions += handle(m)
            }
        }
        return actions
    }

    private mutating func handle(_ packet: [UInt8]) -> [DeviceCore.Action] {
        var actions: [DeviceCore.Action] = []
        if let h = try? SMPHeader(decoding: packet), h.group == .image, h.command == SMPCommandID.Image.upload,
            h.op == .write
        {
            uploadRequests += 1
            if triggers(.resetMidUpload, uploadRequests) {
                // The chunk arrives, the power goes: nothing answered, nothing of the upload kept.
                server.powerCycle()
                persist()
                return [.log("misbehaving: reset mid-upload at chunk \(uploadRequests)"), .write(banner())]
            }
        }
        let output = server.receive(packet: packet)
        for r in output.responses {
            responsesSent += 1
            if triggers(.strayFrame, responsesSent) {
                let stray = SMPHeader(op: .writeResponse, group: .os, sequence: 0xA5, command: SMPCommandID.OS.echo)
                if let m = try? SMPMessage(header: stray, body: [0xa1, 0x61, 0x72, 0x65, 0x73, 0x74, 0x72, 0x61, 0x79])
                {
                    actions.append(.write(frame(m.encoded)))
                }
            }
            if triggers(.dropFrame, responsesSent) {
                actions.append(.log("misbehaving: dropped response \(responsesSent)"))
                continue
            }
            var lines = frame(r)
            if triggers(.badCRC, responsesSent) {
                if let corrupted = Self.corruptCRC(r) { lines = corrupted }
                actions.append(.log("misbehaving: bad CRC on response \(responsesSent)"))
            }
            actions.append(.write(lines))
        }
        if output.reset {
            let result = server.reset()
            switch result {
            case .success(let b): actions.append(.log("reset: booted \(b.version) (\(b.swapType))"))
            case .failure(let e): actions.append(.log("reset: no image started (\(e)); serial recovery"))
            }
            actions.append(.write(banner()))
        }
        persist()
        return actions
    }

    /// One line of console text after a boot, as an application prints its banner (clients skip non-SMP lines).
    private func banner() -> [UInt8] {
        switch server.lastBoot {
        case .success(let b)?: return Array("*** Booting b2c-device \(SMPServer.versionText(b.version)) ***\n".utf8)
        default: return Array("*** MCUboot serial recovery ***\n".utf8)
        }
    }

    /// The lines of `message` with its CRC's last bit flipped.
    static func corruptCRC(_ message: [UInt8]) -> [UInt8]? {
        Array(
            SMPSerial.lines(base64: Base64.encode(SMPSerial.unit(message, crcMask: 1)), charactersPerLine: 124).joined()
        )
    }

    private mutating func persist() {
        let now = server.device.flash.operationCount
        guard now != operations else { return }
        operations = now
        flashDirectory?.save(server.device)
    }
}

/// `--smp-udp HOST:PORT`: one SMP message per datagram, the answers to the sender (Zephyr's `smp_udp.c`).
package struct SMPUDPDevice {
    package var server: SMPServer
    package var flashDirectory: FlashDirectory?
    package let host: String
    package let port: UInt16

    package init(server: SMPServer, host: String, port: UInt16, flashDirectory: FlashDirectory?) {
        self.server = server
        self.host = host
        self.port = port
        self.flashDirectory = flashDirectory
    }

    /// Binds, announces `HOST:PORT` (the port the system chose for 0), and serves until killed.
    package mutating func serve(announce: (String) -> Void) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return 1 }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &addr.sin_addr) == 1 else { return 2 }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { return 1 }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        announce("\(host):\(UInt16(bigEndian: addr.sin_port))")
        var buffer = [UInt8](repeating: 0, count: 65536)
        var operations = server.device.flash.operationCount
        while true {
            var from = sockaddr_storage()
            var fromLen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let n = buffer.withUnsafeMutableBytes { b in
                withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        recvfrom(fd, b.baseAddress, b.count, 0, $0, &fromLen)
                    }
                }
            }
            guard n > 0 else { continue }
            let out = server.receive(packet: Array(buffer[0..<n]))
            for r in out.responses {
                _ = r.withUnsafeBytes { b in
                    withUnsafePointer(to: &from) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            sendto(fd, b.baseAddress, b.count, 0, $0, fromLen)
                        }
                    }
                }
            }
            if out.reset { server.reset() }
            if server.device.flash.operationCount != operations {
                operations = server.device.flash.operationCount
                flashDirectory?.save(server.device)
            }
        }
    }
}
