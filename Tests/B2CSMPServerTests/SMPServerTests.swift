import B2CBoot
import B2CCBOR
import B2CDevice
import B2CImage
import B2CSMP
import B2CSMPServer
import B2CTestSupport
import Crypto
import Testing

/// A client of the server core: requests built with B2CSMP, answers read back with it. Expected codes, ops and keys
/// are the notes' facts (`spec-notes/smp.md` §1–§5); image hashes are computed here from the image bytes.
final class Client {
    var server: SMPServer
    var sequence: UInt8 = 0

    init(
        mode: SMPServer.Mode = .application,
        strategy: BootConfiguration.Strategy = .swapUsingMove,
        violations: Set<SMPViolation> = []
    ) {
        var c = SMPServer.Configuration()
        c.violations = violations
        let device = fixture { try SMPDeviceImages.device(SMPDeviceImages.configuration(strategy: strategy)) }
        server = SMPServer(device: device, configuration: c, mode: mode)
    }

    /// Sends raw bytes as one packet; the answers and whether a reset was asked for.
    func packet(_ bytes: [UInt8]) -> SMPServer.Output { server.receive(packet: bytes) }

    func send(_ header: SMPHeader, _ body: CBOR) -> [SMPMessage] {
        let m = fixture { try SMPMessage(header: header, body: CBOREncoder.encodeDeterministic(body)) }
        let out = server.receive(packet: m.encoded)
        if out.reset { server.reset() }
        return out.responses.compactMap { try? SMPMessage.decode($0) }
    }

    func call<B: SMPRequestBody>(_ b: B, version: SMPVersion = .v2, op: SMPOp? = nil) -> SMPMessage? {
        sequence &+= 1
        let m = fixture { try SMPMessage.request(b, sequence: sequence, version: version, op: op) }
        let out = server.receive(packet: m.encoded)
        if out.reset { server.reset() }
        return out.responses.first.flatMap { try? SMPMessage.decode($0) }
    }

    func state() -> SMPImageStateResponse? {
        guard let r = call(SMPImageStateReadRequest()), case .success(let s)? = try? r.reply(SMPImageStateResponse.self)
        else { return nil }
        return s
    }

    /// Uploads `image` in chunks of `chunk` data bytes, continuing from the returned `off`; the last answer.
    func upload(_ image: [UInt8], chunk: Int = 300, sha: [UInt8]? = nil, upgrade: Bool? = nil)
        -> SMPMessage?
    {
        var off = 0
        var last: SMPMessage?
        var rounds = 0
        while off < image.count || off == 0, rounds < 10_000 {
            rounds += 1
            let end = min(image.count, off + chunk)
            let req =
                off == 0
                ? SMPImageUploadRequest(
                    off: 0,
                    data: Array(image[0..<end]),
                    len: UInt32(image.count),
                    sha: sha ?? Array(SHA256.hash(data: image)),
                    upgrade: upgrade
                )
                : SMPImageUploadRequest(off: UInt32(off), data: Array(image[off..<end]))
            last = call(req)
            guard let last, case .success(let r)? = try? last.reply(SMPImageUploadResponse.self) else { return last }
            off = Int(r.off)
            if r.match != nil { return last }
        }
        return last
    }
}

/// The hash TLV of an image without protected TLVs: SHA-256 over header and body (the notes §5.1, IMG-03).
func tlvHash(_ image: [UInt8]) -> [UInt8] {
    let hdrSize = Int(image[8]) | Int(image[9]) << 8
    let imgSize = Int(image[12]) | Int(image[13]) << 8 | Int(image[14]) << 16 | Int(image[15]) << 24
    return Array(SHA256.hash(data: image[0..<(hdrSize + imgSize)]))
}

/// Whether `m` is the v2 group error `group`, `rc`.
func errIs(_ m: SMPMessage?, _ group: UInt64, _ rc: UInt64) -> Bool {
    guard let e = errOf(m) else { return false }
    return e.group == group && e.rc == rc
}

func rcOf(_ m: SMPMessage?) -> Int64? {
    guard let m, let map = try? m.map(), let rc = try? map.int("rc") else { return nil }
    return rc
}

func errOf(_ m: SMPMessage?) -> (group: UInt64, rc: UInt64)? {
    guard let m, let map = try? m.map(), let err = try? map.map("err"),
        let g = try? err.uint("group", max: .max), let rc = try? err.uint("rc", max: .max)
    else { return nil }
    return (g, rc)
}

let newImage = SMPDeviceImages.image(version: ImageVersion(major: 1, minor: 1), payloadSize: 9000, seed: 3)

@Suite("SMP server core: headers, errors, OS group")
struct SMPServerOSTests {
    @Test("Echo: op + 1, group, command and sequence echoed, flags 0, version echoed (HDR-01/02)")
    func echo() throws {
        let c = Client()
        for (version, op) in [(SMPVersion.v2, SMPOp.write), (.v1, .read), (.v1, .write), (.v2, .read)] {
            let r = try #require(c.call(SMPEchoRequest("hello"), version: version, op: op))
            #expect(r.header.op.rawValue == op.rawValue + 1)
            #expect(r.header.version == version)
            #expect(r.header.sequence == c.sequence && r.header.group == .os && r.header.command == 0)
            #expect(r.header.flags == 0)
            #expect(r.header.length == UInt16(r.body.count))
            #expect(try r.reply(SMPEchoResponse.self) == .success(SMPEchoResponse("hello")))
        }
    }

    @Test("SMP-level errors are {rc} in both versions: unknown group/command 8, bad CBOR 3, version 2/3 13, short 9")
    func smpErrors() {
        let c = Client()
        for version in [SMPVersion.v1, .v2] {
            #expect(
                rcOf(c.send(SMPHeader(op: .read, version: version, group: SMPGroup(42), command: 0), .map([])).first)
                    == 8
            )
            #expect(rcOf(c.send(SMPHeader(op: .read, version: version, group: .os, command: 99), .map([])).first) == 8)
            // Echo's `d` must be text; a non-map, a duplicate key, a non-text key: 3.
            #expect(
                rcOf(
                    c.send(
                        SMPHeader(op: .write, version: version, group: .os, command: 0),
                        .map([.init(.text("d"), .unsigned(1))])
                    ).first
                ) == 3
            )
            #expect(
                rcOf(c.send(SMPHeader(op: .write, version: version, group: .os, command: 0), .array([])).first) == 3
            )
            #expect(
                rcOf(
                    c.send(
                        SMPHeader(op: .write, version: version, group: .os, command: 0),
                        .map([.init(.unsigned(1), .text("x"))])
                    ).first
                ) == 3
            )
        }
        let dup: [UInt8] = [0x0a, 0, 0, 9, 0, 0, 1, 0, 0xa2, 0x61, 0x64, 0x61, 0x61, 0x61, 0x64, 0x61, 0x62]
        #expect(rcOf(c.packet(dup).responses.first.flatMap { try? SMPMessage.decode($0) }) == 3)
        let badCBOR: [UInt8] = [0x0a, 0, 0, 2, 0, 0, 1, 0, 0xa1, 0xff]
        #expect(rcOf(c.packet(badCBOR).responses.first.flatMap { try? SMPMessage.decode($0) }) == 3)
        // Echo's zero-length data: the decoding handler needs the map (CBOR-03).
        #expect(
            rcOf(c.packet([0x0a, 0, 0, 0, 0, 0, 1, 0]).responses.first.flatMap { try? SMPMessage.decode($0) }) == 3
        )
        // Version bits 2 and 3.
        for b0: UInt8 in [0x12, 0x1a] {
            let r = c.packet([b0, 0, 0, 1, 0, 0, 1, 0, 0xa0]).responses.first.flatMap { try? SMPMessage.decode($0) }
            #expect(rcOf(r) == 13)
        }
        // Data Length beyond what arrived.
        let short = c.packet([0x0a, 0, 0, 9, 0, 0, 1, 0, 0xa0]).responses.first.flatMap { try? SMPMessage.decode($0) }
        #expect(rcOf(short) == 9)
        // Response ops and 4–7 get no answer; fewer than 8 bytes neither.
        for op: UInt8 in [1, 3, 4, 5, 6, 7] {
            #expect(c.packet([0x08 | op, 0, 0, 1, 0, 0, 1, 0, 0xa0]).responses.isEmpty)
        }
        #expect(c.packet([0x0a, 0, 0]).responses.isEmpty)
    }

    @Test("Two messages in one packet are both answered (Zephyr: not aligned)")
    func twoMessages() throws {
        let c = Client()
        let a = try SMPMessage.request(SMPEchoRequest("a"), sequence: 1)
        let b = try SMPMessage.request(SMPParamsRequest(), sequence: 2)
        let out = c.packet(a.encoded + b.encoded)
        #expect(out.responses.count == 2)
        #expect(out.responses.compactMap { try? SMPMessage.decode($0).header.sequence } == [1, 2])
    }

    @Test("Params, task and memory stats, date-time, reset")
    func osCommands() throws {
        let c = Client()
        let p = try #require(c.call(SMPParamsRequest()))
        #expect(try p.reply(SMPParamsResponse.self) == .success(SMPParamsResponse(bufSize: 2048, bufCount: 4)))
        // Zero-length data for a handler that does not decode.
        let empty = c.packet([0x08, 0, 0, 0, 0, 0, 9, 6]).responses.first.flatMap { try? SMPMessage.decode($0) }
        #expect((try? empty?.reply(SMPParamsResponse.self)) == .success(SMPParamsResponse(bufSize: 2048, bufCount: 4)))
        let t = try #require(c.call(SMPTaskStatsRequest()))
        guard case .success(let tasks) = try t.reply(SMPTaskStatsResponse.self) else {
            Issue.record("taskstat"); return
        }
        #expect(!tasks.tasks.isEmpty)
        let m = try #require(c.call(SMPMemoryPoolStatsRequest()))
        #expect((try? m.map())?.pairs.first.map { try? SMPMap($0.value).value("blksiz") } != nil)
        // Before any write the RTC is not set: OS group error 4; v1 translates it to 5 ENOENT.
        #expect(errIs(c.call(SMPDateTimeReadRequest()), 0, 4))
        #expect(rcOf(c.call(SMPDateTimeReadRequest(), version: .v1)) == 5)
        #expect(errIs(c.call(SMPDateTimeWriteRequest("yesterday")), 0, 2))
        #expect(
            try c.call(SMPDateTimeWriteRequest("2026-12-08T02:25:08"))?.reply(SMPDateTimeWriteResponse.self)
                == .success(SMPDateTimeWriteResponse())
        )
        #expect(
            try c.call(SMPDateTimeReadRequest())?.reply(SMPDateTimeReadResponse.self)
                == .success(SMPDateTimeReadResponse("2026-12-08T02:25:08"))
        )
        // Reset answers {} and asks for the reboot; `force` as an integer (the smp package's form) is not an error.
        var r = c.server.receive(packet: try SMPMessage.request(SMPResetRequest(forceInteger: 1), sequence: 9).encoded)
        #expect(r.reset)
        #expect(r.responses.count == 1)
        #expect((try? SMPMessage.decode(r.responses[0]).body) == [0xa0])
        r = c.server.receive(packet: try SMPMessage.request(SMPResetRequest(force: true), sequence: 10).encoded)
        #expect(r.reset)
    }

    @Test("OS info: fields in fixed order whatever the letter order; an unknown letter is group 0 rc 2")
    func osInfo() throws {
        let c = Client()
        let s = try #require(c.call(SMPOSInfoRequest()))
        let sn = try #require(c.call(SMPOSInfoRequest(format: "ns")))
        let all = try #require(c.call(SMPOSInfoRequest(format: "a")))
        guard case .success(let a) = try s.reply(SMPOSInfoResponse.self),
            case .success(let b) = try sn.reply(SMPOSInfoResponse.self),
            case .success(let x) = try all.reply(SMPOSInfoResponse.self)
        else { Issue.record("os info"); return }
        #expect(b.output.hasPrefix(a.output + " "))
        #expect(x.output.split(separator: " ").count == 8)
        #expect(errIs(c.call(SMPOSInfoRequest(format: "sz")), 0, 2))
        #expect(rcOf(c.call(SMPOSInfoRequest(format: "sz"), version: .v1)) == 3)
    }

    @Test("Bootloader info: MCUboot; mode by strategy (1 scratch, 2 overwrite-only, 3 move); other query rc 3")
    func bootloaderInfo() throws {
        for (strategy, mode) in [
            (BootConfiguration.Strategy.swapUsingScratch, 1), (.overwriteOnly, 2), (.swapUsingMove, 3),
        ] {
            let c = Client(strategy: strategy)
            #expect(
                try c.call(SMPBootloaderInfoRequest())?.reply(SMPBootloaderInfoResponse.self)
                    == .success(SMPBootloaderInfoResponse(bootloader: "MCUboot"))
            )
            #expect(
                try c.call(SMPBootloaderInfoRequest(query: "mode"))?.reply(SMPBootloaderInfoResponse.self)
                    == .success(SMPBootloaderInfoResponse(mode: Int64(mode)))
            )
            #expect(rcOf(c.call(SMPBootloaderInfoRequest(query: "what"))) == 3)
        }
    }

    @Test("Total: random packets are answered or ignored, never a trap")
    func total() {
        let c = Client()
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var bytes = (0..<Int.random(in: 0..<40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if bytes.count >= 8 {
                bytes[0] = bytes[0] & 0x1b
                bytes[2] = 0
                bytes[3] = UInt8(bytes.count - 8)
                bytes[4] = 0
                bytes[5] = UInt8.random(in: 0...1, using: &rng)
                bytes[7] = bytes[7] & 7
            }
            let out = c.packet(bytes)
            for r in out.responses { #expect((try? SMPMessage.decode(r)) != nil) }
            if out.reset { c.server.reset() }
        }
    }
}

@Suite("SMP server core: image group and the boot flows")
struct SMPServerImageTests {
    @Test("State read: the factory image in slot 0, active and confirmed, its hash TLV as a 32-byte bstr")
    func stateRead() throws {
        let c = Client()
        let s = try #require(c.state())
        #expect(s.images.count == 1)
        let f = try #require(s.images.first)
        #expect(f.slot == 0 && f.version == "1.0.0")
        #expect(f.hash == tlvHash(SMPDeviceImages.image(version: SMPDeviceImages.factoryVersion)))
        #expect(f.active == true && f.confirmed == true && f.bootable == true && f.pending == false)
        #expect(s.splitStatus == 0)
    }

    @Test("Upload, test, reset: the new image runs unconfirmed; reset again: reverted")
    func testThenRevert() throws {
        let c = Client()
        let last = try #require(c.upload(newImage))
        #expect(
            try last.reply(SMPImageUploadResponse.self)
                == .success(SMPImageUploadResponse(off: UInt32(newImage.count), match: true))
        )
        let hash = tlvHash(newImage)
        #expect(
            c.state()?.images.map(\.hash) == [
                tlvHash(SMPDeviceImages.image(version: SMPDeviceImages.factoryVersion)), hash,
            ]
        )
        let w = try #require(c.call(SMPImageStateWriteRequest(hash: hash)))
        guard case .success(let after) = try w.reply(SMPImageStateResponse.self) else { Issue.record("write"); return }
        #expect(after.images.first { $0.slot == 1 }?.pending == true)
        #expect(after.images.first { $0.slot == 1 }?.permanent == false)
        // The same test request again is a no-op success; confirm=true now is 28 (another choice pending).
        #expect(errOf(c.call(SMPImageStateWriteRequest(hash: hash))) == nil)
        #expect(errIs(c.call(SMPImageStateWriteRequest(hash: hash, confirm: true)), 1, 28))
        // A new upload while a swap is pending: no free slot.
        let busy = c.call(SMPImageUploadRequest(off: 0, data: Array(newImage[0..<64]), len: UInt32(newImage.count)))
        #expect(errIs(busy, 1, 9))
        _ = c.call(SMPResetRequest())
        var s = try #require(c.state())
        #expect(s.images.first { $0.slot == 0 }?.hash == hash)
        #expect(s.images.first { $0.slot == 0 }?.active == true)
        #expect(s.images.first { $0.slot == 0 }?.confirmed == false)
        // The revert target is in use: erase refuses it.
        #expect(errIs(c.call(SMPImageEraseRequest()), 1, 9))
        _ = c.call(SMPResetRequest())
        s = try #require(c.state())
        #expect(s.images.first { $0.slot == 0 }?.version == "1.0.0")
        #expect(s.images.first { $0.slot == 0 }?.confirmed == true)
    }

    @Test("Upload, test, reset, confirm (no hash): the new image stays", arguments: BootConfiguration.Strategy.allCases)
    func confirmKeeps(_ strategy: BootConfiguration.Strategy) throws {
        let c = Client(strategy: strategy)
        _ = c.upload(newImage)
        let hash = tlvHash(newImage)
        _ = c.call(SMPImageStateWriteRequest(hash: hash))
        _ = c.call(SMPResetRequest())
        #expect(c.state()?.images.first { $0.slot == 0 }?.hash == hash)
        // Testing the active image is denied (33); confirming it with an empty hash works (IMG-02).
        #expect(errIs(c.call(SMPImageStateWriteRequest(hash: hash)), 1, 33))
        #expect(errOf(c.call(SMPImageStateWriteRequest(hash: [], confirm: true))) == nil)
        _ = c.call(SMPResetRequest())
        _ = c.call(SMPResetRequest())
        let s = try #require(c.state())
        #expect(s.images.first { $0.slot == 0 }?.hash == hash)
        #expect(s.images.first { $0.slot == 0 }?.confirmed == true)
    }

    @Test("Confirm at state write (permanent): one reset and the image stays")
    func permanent() throws {
        let c = Client()
        _ = c.upload(newImage)
        let w = try #require(c.call(SMPImageStateWriteRequest(hash: tlvHash(newImage), confirm: true)))
        guard case .success(let s) = try w.reply(SMPImageStateResponse.self) else { Issue.record("write"); return }
        #expect(s.images.first { $0.slot == 1 }?.permanent == true)
        _ = c.call(SMPResetRequest())
        _ = c.call(SMPResetRequest())
        #expect(c.state()?.images.first { $0.slot == 0 }?.version == "1.1.0")
    }

    @Test("An image signed with another key never boots")
    func badSignature() throws {
        let c = Client()
        var o = ImageSignOptions(headerSize: 0x200, version: ImageVersion(major: 2), slotSize: 4096 * 32)
        o.padHeader = true
        o.key = try .ed25519(.init(rawRepresentation: [UInt8](repeating: 9, count: 32)))
        let foreign = try ImageBuilder.sign([UInt8](repeating: 0x5a, count: 5000), options: o)
        #expect(
            try c.upload(foreign)?.reply(SMPImageUploadResponse.self)
                == .success(SMPImageUploadResponse(off: UInt32(foreign.count), match: true))
        )
        _ = c.call(SMPImageStateWriteRequest(hash: tlvHash(foreign)))
        _ = c.call(SMPResetRequest())
        #expect(c.state()?.images.first { $0.slot == 0 }?.version == "1.0.0")
        guard case .success(let b)? = c.server.lastBoot else { Issue.record("no boot"); return }
        #expect(b.version == ImageVersion(major: 1))
    }

    @Test("A downgrade: upgrade-only upload refused (27); the bootloader with downgrade prevention keeps 1.0.0")
    func downgrade() throws {
        let c = Client()
        let old = SMPDeviceImages.image(version: ImageVersion(major: 0, minor: 9), payloadSize: 3000)
        #expect(errIs(c.upload(old, upgrade: true), 1, 27))
        // v1: 27 translates to 6 EBADSTATE.
        let v1 = c.call(
            SMPImageUploadRequest(off: 0, data: Array(old[0..<64]), len: UInt32(old.count), upgrade: true),
            version: .v1
        )
        #expect(rcOf(v1) == 6)
        var config = SMPDeviceImages.configuration(strategy: .swapUsingMove, downgradePrevention: .version)
        config.downgradePrevention = .version
        let d = Client()
        d.server = SMPServer(device: try SMPDeviceImages.device(config))
        #expect(
            try d.call(SMPBootloaderInfoRequest(query: "mode"))?.reply(SMPBootloaderInfoResponse.self)
                == .success(SMPBootloaderInfoResponse(mode: 3, noDowngrade: true))
        )
        _ = d.upload(old)
        _ = d.call(SMPImageStateWriteRequest(hash: tlvHash(old)))
        _ = d.call(SMPResetRequest())
        #expect(d.state()?.images.first { $0.slot == 0 }?.version == "1.0.0")
    }

    @Test("Upload errors and resynchronisation (§5.2, IMG-04/05/07)")
    func uploadRules() throws {
        let c = Client()
        let img = newImage
        let len = UInt32(img.count)
        #expect(errIs(c.call(SMPImageUploadRequest(off: nil, data: Array(img[0..<64]), len: len)), 1, 20))
        #expect(errIs(c.call(SMPImageUploadRequest(off: 0, data: Array(img[0..<31]), len: len)), 1, 22))
        #expect(errIs(c.call(SMPImageUploadRequest(off: 0, data: Array(img[0..<64]))), 1, 21))
        #expect(errIs(c.call(SMPImageUploadRequest(off: 0, data: [UInt8](repeating: 0, count: 64), len: len)), 1, 23))
        #expect(
            errIs(
                c.call(
                    SMPImageUploadRequest(
                        off: 0,
                        data: Array(img[0..<64]),
                        len: len,
                        sha: [UInt8](repeating: 1, count: 33)
                    )
                ),
                1,
                24
            )
        )
        #expect(errIs(c.call(SMPImageUploadRequest(off: 0, data: Array(img[0..<64]), len: 1 << 30)), 1, 30))
        // v1: the legacy translations (22 → 3 EINVAL, 23 → 1 EUNKNOWN).
        #expect(rcOf(c.call(SMPImageUploadRequest(off: 0, data: Array(img[0..<31]), len: len), version: .v1)) == 3)
        #expect(
            rcOf(c.call(SMPImageUploadRequest(off: 0, data: [UInt8](repeating: 0, count: 64), len: len), version: .v1))
                == 1
        )
        // off beyond 32 bits: rc 3 (CBOR-04).
        let big = c.send(
            SMPHeader(op: .write, group: .image, command: 1),
            .map([.init(.text("off"), .unsigned(1 << 33)), .init(.text("data"), .bytes([1]))])
        )
        #expect(rcOf(big.first) == 3)
        // A first chunk, then a chunk at the wrong offset: the expected offset comes back, nothing written.
        let sha = Array(SHA256.hash(data: img))
        let first = try #require(c.call(SMPImageUploadRequest(off: 0, data: Array(img[0..<100]), len: len, sha: sha)))
        #expect(try first.reply(SMPImageUploadResponse.self) == .success(SMPImageUploadResponse(off: 100)))
        let wrong = try #require(c.call(SMPImageUploadRequest(off: 200, data: Array(img[200..<300]))))
        #expect(try wrong.reply(SMPImageUploadResponse.self) == .success(SMPImageUploadResponse(off: 100)))
        // Resume: off 0 with the same sha answers the progress.
        let resumed = try #require(c.call(SMPImageUploadRequest(off: 0, data: Array(img[0..<100]), len: len, sha: sha)))
        #expect(try resumed.reply(SMPImageUploadResponse.self) == .success(SMPImageUploadResponse(off: 100)))
        // Past len: 31.
        #expect(errIs(c.call(SMPImageUploadRequest(off: 100, data: [UInt8](repeating: 0, count: img.count))), 1, 31))
        // A short sha does not break the upload; the final answer carries match (false: only a full sha can match).
        let done = try #require(c.upload(img, chunk: 500, sha: Array(sha[0..<8])))
        #expect(try done.reply(SMPImageUploadResponse.self) == .success(SMPImageUploadResponse(off: len, match: false)))
        // Unknown keys and `image` on later chunks are ignored (IMG-06).
        let extra = c.send(
            SMPHeader(op: .write, group: .image, command: 1),
            .map([
                .init(.text("off"), .unsigned(5)), .init(.text("data"), .bytes([1])),
                .init(.text("image"), .unsigned(0)), .init(.text("zzz"), .null),
            ])
        )
        #expect(try extra.first?.reply(SMPImageUploadResponse.self) == .success(SMPImageUploadResponse(off: 0)))
    }

    @Test("State write errors (§5.1)")
    func stateWriteRules() throws {
        let c = Client()
        #expect(errIs(c.call(SMPImageStateWriteRequest()), 1, 24))
        #expect(errIs(c.call(SMPImageStateWriteRequest(hash: [1, 2, 3])), 1, 24))
        #expect(errIs(c.call(SMPImageStateWriteRequest(hash: [UInt8](repeating: 7, count: 32))), 1, 8))
        #expect(rcOf(c.call(SMPImageStateWriteRequest(hash: [1, 2, 3]), version: .v1)) == 3)
        let factory = tlvHash(SMPDeviceImages.image(version: SMPDeviceImages.factoryVersion))
        #expect(errIs(c.call(SMPImageStateWriteRequest(hash: factory)), 1, 33))
        // The hash as text is a type error (IMG-01): rc 3.
        let text = c.send(SMPHeader(op: .write, group: .image, command: 0), .map([.init(.text("hash"), .text("00"))]))
        #expect(rcOf(text.first) == 3)
    }

    @Test("Erase: slot 1 by default, already erased is success, the active slot refused, a bad slot 14")
    func erase() throws {
        let c = Client()
        #expect(
            try c.call(SMPImageEraseRequest())?.reply(SMPImageEraseResponse.self) == .success(SMPImageEraseResponse())
        )
        _ = c.upload(newImage)
        #expect(c.state()?.images.count == 2)
        #expect(
            try c.call(SMPImageEraseRequest(slot: 1))?.reply(SMPImageEraseResponse.self)
                == .success(SMPImageEraseResponse())
        )
        #expect(c.state()?.images.count == 1)
        #expect(errIs(c.call(SMPImageEraseRequest(slot: 0)), 1, 9))
        #expect(errIs(c.call(SMPImageEraseRequest(slot: 5)), 1, 14))
    }

    @Test("Slot info: one image, two slots of the device's size")
    func slotInfo() throws {
        let c = Client()
        guard case .success(let s)? = try c.call(SMPSlotInfoRequest())?.reply(SMPSlotInfoResponse.self) else {
            Issue.record("slot info"); return
        }
        #expect(s.images.count == 1)
        #expect(s.images[0].slots.map(\.slot) == [0, 1])
        #expect(s.images[0].slots.map(\.size) == [131072, 131072])
        #expect((s.images[0].maxImageSize ?? 0) < 131072)
    }

    @Test("Serial recovery: v1 answers with rc 0, upload to the primary with write-aligned offsets, reset boots it")
    func recovery() throws {
        let c = Client(mode: .recovery)
        #expect(c.server.mode == .recovery)
        let e = try #require(c.call(SMPEchoRequest("x")))
        #expect(rcOf(e) == 0)
        #expect(rcOf(c.call(SMPTaskStatsRequest())) == 8)
        #expect(rcOf(c.call(SMPImageStateWriteRequest(hash: tlvHash(newImage)))) == 8)
        // 301 bytes a chunk: MCUboot takes 296 (a multiple of the write size) and says so.
        let r = try #require(
            c.call(SMPImageUploadRequest(off: 0, data: Array(newImage[0..<301]), len: UInt32(newImage.count)))
        )
        #expect(rcOf(r) == 0)
        #expect(try r.reply(SMPImageUploadResponse.self) == .success(SMPImageUploadResponse(off: 296)))
        var off = 296
        while off < newImage.count {
            let end = min(newImage.count, off + 301)
            let a = try #require(c.call(SMPImageUploadRequest(off: UInt32(off), data: Array(newImage[off..<end]))))
            guard case .success(let u) = try a.reply(SMPImageUploadResponse.self) else { Issue.record("chunk"); return }
            #expect(u.match == nil)
            off = Int(u.off)
        }
        #expect(c.state()?.images.first?.hash == tlvHash(newImage))
        _ = c.call(SMPResetRequest())
        #expect(c.server.mode == .application)
        #expect(c.state()?.images.first { $0.slot == 0 }?.version == "1.1.0")
        #expect(c.state()?.images.first { $0.slot == 0 }?.confirmed == true)
    }
}

@Suite("SMP server: violations and the serial line")
struct SMPServerLineTests {
    @Test("Violations change what the checks look at")
    func violations() throws {
        let c = Client(violations: [.sameResponseOp, .wrongSequence])
        let r = try #require(c.call(SMPEchoRequest("a")))
        #expect(r.header.op == .write && r.header.sequence == c.sequence &+ 1)
        let v = Client(violations: [.v2AnswerToV1])
        #expect(v.call(SMPEchoRequest("a"), version: .v1)?.header.version == .v2)
        #expect(errOf(v.call(SMPImageStateWriteRequest(), version: .v1)) != nil)
        let t = Client(violations: [.hashAsText])
        #expect((try? t.call(SMPImageStateReadRequest())?.reply(SMPImageStateResponse.self)) == nil)
    }

    /// Feeds `bytes` to a serial service and reads its lines back with the reassembler.
    static func exchange(_ s: inout SMPSerialService, _ bytes: [UInt8]) -> (messages: [SMPMessage], lines: [[UInt8]]) {
        var written: [UInt8] = []
        for a in s.receive(bytes) { if case .write(let b) = a { written += b } }
        var r = SMPSerialReassembler()
        r.append(written)
        var out: [SMPMessage] = []
        while let e = r.next() { if case .message(let m) = e, let msg = try? SMPMessage.decode(m) { out.append(msg) } }
        return (out, written.split(separator: 0x0a, omittingEmptySubsequences: true).map { Array($0) + [0x0a] })
    }

    @Test("Through the console framing: lines of at most 127 bytes, console text and bad frames ignored")
    func serial() throws {
        var s = SMPSerialService(server: Client().server)
        let echo = try SMPMessage.request(SMPEchoRequest(String(repeating: "z", count: 400)), sequence: 5)
        var (messages, lines) = Self.exchange(
            &s,
            Array("some console text\n".utf8) + SMPSerial.encodeFrame(echo.encoded, style: .zephyr)
        )
        #expect(messages.count == 1)
        #expect(
            try messages.first?.reply(SMPEchoResponse.self)
                == .success(SMPEchoResponse(String(repeating: "z", count: 400)))
        )
        #expect(lines.count > 3 && lines.allSatisfy { $0.count <= 127 })
        // A frame with a bad CRC gets no reply (SER-04).
        var frame = SMPSerial.encodeFrame(echo.encoded)
        frame[3] ^= 0x01
        (messages, _) = Self.exchange(&s, frame)
        #expect(messages.isEmpty)
        // An upload through the framing, at the chunk size smpclient derives from buf_size (2048 - 4).
        var off = 0
        while off < newImage.count {
            let end = min(newImage.count, off + 1900)
            let req =
                off == 0
                ? SMPImageUploadRequest(
                    off: 0,
                    data: Array(newImage[0..<end]),
                    len: UInt32(newImage.count),
                    sha: Array(SHA256.hash(data: newImage))
                ) : SMPImageUploadRequest(off: UInt32(off), data: Array(newImage[off..<end]))
            let m = try SMPMessage.request(req, sequence: UInt8(truncatingIfNeeded: off))
            #expect(m.encoded.count <= 2044)
            (messages, _) = Self.exchange(&s, SMPSerial.encodeFrame(m.encoded))
            guard case .success(let u)? = try messages.first?.reply(SMPImageUploadResponse.self) else {
                Issue.record("upload"); return
            }
            off = Int(u.off)
        }
        #expect(s.server.upload == nil)
    }

    @Test("Line misbehaviours: a dropped response, a bad CRC, a stray frame, a reset mid-upload")
    func misbehaviours() throws {
        let echo = try SMPMessage.request(SMPEchoRequest("m"), sequence: 1)
        var drop = SMPSerialService(server: Client().server, misbehaviours: [.dropFrame: 2])
        #expect(Self.exchange(&drop, SMPSerial.encodeFrame(echo.encoded)).messages.count == 1)
        #expect(Self.exchange(&drop, SMPSerial.encodeFrame(echo.encoded)).messages.isEmpty)
        var crc = SMPSerialService(server: Client().server, misbehaviours: [.badCRC: 1])
        #expect(Self.exchange(&crc, SMPSerial.encodeFrame(echo.encoded)).messages.isEmpty)
        var stray = SMPSerialService(server: Client().server, misbehaviours: [.strayFrame: 1])
        let got = Self.exchange(&stray, SMPSerial.encodeFrame(echo.encoded)).messages
        #expect(got.count == 2 && got[0].header.sequence == 0xA5 && got[1].header.sequence == 1)
        var cut = SMPSerialService(server: Client().server, misbehaviours: [.resetMidUpload: 2])
        let first = try SMPMessage.request(
            SMPImageUploadRequest(off: 0, data: Array(newImage[0..<512]), len: UInt32(newImage.count)),
            sequence: 1
        )
        #expect(Self.exchange(&cut, SMPSerial.encodeFrame(first.encoded)).messages.count == 1)
        let second = try SMPMessage.request(
            SMPImageUploadRequest(off: 512, data: Array(newImage[512..<1024])),
            sequence: 2
        )
        #expect(Self.exchange(&cut, SMPSerial.encodeFrame(second.encoded)).messages.isEmpty)
        #expect(cut.server.upload == nil)
    }

    @Test("Serial violations: long lines, unaligned base64, CR LF")
    func serialViolations() throws {
        let echo = try SMPMessage.request(SMPEchoRequest(String(repeating: "q", count: 300)), sequence: 1)
        var long = SMPSerialService(server: Client(violations: [.longLines]).server)
        #expect(Self.exchange(&long, SMPSerial.encodeFrame(echo.encoded)).lines.contains { $0.count > 128 })
        var odd = SMPSerialService(server: Client(violations: [.unalignedBase64]).server)
        #expect(Self.exchange(&odd, SMPSerial.encodeFrame(echo.encoded)).messages.isEmpty)
        var crlf = SMPSerialService(server: Client(violations: [.crlf]).server)
        #expect(
            Self.exchange(&crlf, SMPSerial.encodeFrame(echo.encoded)).lines.allSatisfy { $0.suffix(2) == [0x0d, 0x0a] }
        )
    }
}

@Suite("SMP violations: each one changes what the device sends")
struct SMPViolationTeethTests {
    /// A session touching every check of the notes' §8 the rules break, as serial frames.
    static let script: [[UInt8]] = {
        func frame(_ bytes: [UInt8]) -> [UInt8] { SMPSerial.encodeFrame(bytes) }
        func msg(_ op: UInt8, _ group: UInt16, _ cmd: UInt8, _ body: CBOR, version: UInt8 = 1, seq: UInt8 = 1)
            -> [UInt8]
        {
            let data = CBOREncoder.encodeDeterministic(body)
            return [version << 3 | op, 0, UInt8(data.count >> 8), UInt8(data.count & 0xff), 0, UInt8(group), seq, cmd]
                + data
        }
        let image = newImage
        var out: [[UInt8]] = [
            frame(msg(2, 0, 0, .map([.init(.text("d"), .text("v1"))]), version: 0)),
            frame(msg(2, 0, 0, .map([.init(.text("d"), .text("v3"))]), version: 3)),
            frame([0x0a, 0, 0, 9, 0, 0, 1, 0, 0xa0]),
            frame([0x0a, 0, 0, 9, 0, 0, 1, 0, 0xa2, 0x61, 0x64, 0x61, 0x61, 0x61, 0x64, 0x61, 0x62]),
            frame(msg(2, 0, 0, .map([.init(.text("d"), .text("x")), .init(.text("extra"), .unsigned(1))]))),
            frame([0x0a, 0, 0, 0, 0, 0, 1, 0]),
            frame(msg(2, 1, 1, .map([.init(.text("off"), .unsigned(1 << 32)), .init(.text("data"), .bytes([1]))]))),
            frame(msg(2, 1, 0, .map([]))),
            frame(msg(2, 1, 0, .map([.init(.text("hash"), .bytes([])), .init(.text("confirm"), .bool(true))]))),
            frame(msg(0, 1, 0, .map([]))),
            frame(
                msg(
                    2,
                    1,
                    1,
                    .map([
                        .init(.text("off"), .unsigned(0)), .init(.text("len"), .unsigned(40)),
                        .init(.text("data"), .bytes(Array(image[0..<64]))),
                    ])
                )
            ),
        ]
        var off = 0
        while off < image.count {
            let end = min(image.count, off + 1000)
            var pairs: [CBOR.Pair] = [
                .init(.text("off"), .unsigned(UInt64(off))), .init(.text("data"), .bytes(Array(image[off..<end]))),
            ]
            if off == 0 {
                pairs += [
                    .init(.text("len"), .unsigned(UInt64(image.count))),
                    .init(.text("sha"), .bytes(Array(SHA256.hash(data: image)))),
                ]
            }
            if off == 1000 {
                // The same chunk at a wrong offset first: the server must answer the one it expects.
                out.append(
                    frame(
                        msg(
                            2,
                            1,
                            1,
                            .map([.init(.text("off"), .unsigned(3000)), .init(.text("data"), .bytes([1, 2, 3]))])
                        )
                    )
                )
            }
            out.append(frame(msg(2, 1, 1, .map(pairs))))
            off = end
        }
        let crcMessage = msg(2, 0, 0, .map([.init(.text("d"), .text("crc"))]))
        let crc = SMPSerial.crc16(crcMessage) ^ 0x0001
        let unit = [0, UInt8(crcMessage.count + 2)] + crcMessage + [UInt8(crc >> 8), UInt8(crc & 0xff)]
        let bad = SMPSerial.startMarker + Base64.encode(unit) + [0x0a]
        out += [bad, frame(msg(2, 0, 0, .map([.init(.text("d"), .text(String(repeating: "l", count: 200)))])))]
        out.append(frame(msg(2, 0, 5, .map([]))))
        return out
    }()

    static func transcript(_ violations: Set<SMPViolation>) -> [UInt8] {
        var s = SMPSerialService(server: Client(violations: violations).server)
        var written: [UInt8] = []
        for f in script {
            for a in s.receive(f) { if case .write(let b) = a { written += b } }
        }
        return written
    }

    @Test(
        "Without a rule broken, the session is the same every time; with one, it differs",
        arguments: SMPViolation.allCases
    )
    func teeth(_ v: SMPViolation) {
        let clean = Self.transcript([])
        let same = Self.transcript([]) == clean
        let differs = Self.transcript([v]) != clean
        #expect(same)
        #expect(differs, "\(v.rawValue) changes nothing the device sends")
    }
}
