import B2CCBOR
import B2CSMP
import Testing

private func message(_ group: SMPGroup, _ command: UInt8, _ op: SMPOp, _ body: [UInt8], version: SMPVersion = .v2)
    throws -> SMPMessage
{
    try SMPMessage(header: SMPHeader(op: op, version: version, group: group, sequence: 1, command: command), body: body)
}

private func decodeError(_ m: SMPMessage) -> SMPError? {
    #expect(throws: SMPError.self) { try SMPRequest.decode(m) }
}

@Suite("SMP return codes")
struct ReturnCodeTests {
    @Test("MGMT_ERR names 0-13 and the per-user range")
    func names() {
        let expected = [
            "EOK", "EUNKNOWN", "ENOMEM", "EINVAL", "ETIMEOUT", "ENOENT", "EBADSTATE", "EMSGSIZE", "ENOTSUP", "ECORRUPT",
            "EBUSY", "EACCESSDENIED", "UNSUPPORTED_TOO_OLD", "UNSUPPORTED_TOO_NEW",
        ]
        for (rc, name) in expected.enumerated() { #expect(SMPReturnCode(Int64(rc)).name == name) }
        #expect(SMPReturnCode(14).name == nil)
        #expect(SMPReturnCode(256).name == "EPERUSER+0")
        #expect(SMPGroupError(group: .image, rc: 34).name == "ACTIVE_SLOT_NOT_KNOWN")
        #expect(SMPGroupError(group: .image, rc: 35).name == nil)
        #expect(SMPGroupError(group: .os, rc: 7).name == "HEAP_STATS_FETCH_FAILED")
    }

    @Test("The image group's v2-to-v1 translation (img_mgmt.c), code by code")
    func imageTranslation() {
        var expected = [UInt64: Int64]()
        for rc in 1...34 { expected[UInt64(rc)] = 1 }
        for rc in [3, 4] { expected[UInt64(rc)] = 5 }
        for rc in [9, 27, 28] { expected[UInt64(rc)] = 6 }
        expected[15] = 2
        for rc in [14, 19, 20, 21, 22, 24, 25] { expected[UInt64(rc)] = 3 }
        for (rc, legacy) in expected {
            #expect(SMPGroupError(group: .image, rc: rc).legacyReturnCode.rawValue == legacy, "image rc \(rc)")
        }
        #expect(SMPGroupError(group: .image, rc: 99).legacyReturnCode == .unknown)
    }

    @Test("The OS group's translation, and EUNKNOWN for groups without one")
    func osTranslation() {
        let expected: [UInt64: Int64] = [1: 1, 2: 3, 3: 5, 4: 5, 5: 1, 6: 1, 7: 1]
        for (rc, legacy) in expected {
            #expect(SMPGroupError(group: .os, rc: rc).legacyReturnCode.rawValue == legacy, "os rc \(rc)")
        }
        #expect(SMPGroupError(group: .fs, rc: 3).legacyReturnCode == .unknown)
        #expect(SMPGroupError(group: SMPGroup(100), rc: 3).legacyReturnCode == .unknown)
    }

    @Test("Error bodies: v2 group errors as err maps, v1 requests get the translated rc; rc with rsn")
    func errorBodies() throws {
        let notFound = SMPStatus.group(SMPGroupError(group: .image, rc: SMPImageErrorCode.hashNotFound))
        #expect(CBOREncoder.encode(notFound.body(answering: .v2)) == hex("A1 63 657272 A2 65 67726F7570 01 62 7263 08"))
        #expect(CBOREncoder.encode(notFound.body(answering: .v1)) == hex("A1 62 7263 01"))
        let busy = SMPStatus.rc(.busy, reason: "hook")
        #expect(CBOREncoder.encode(busy.body(answering: .v2)) == hex("A2 62 7263 0A 63 72736E 64 686F6F6B"))
        let request = try SMPHeader(decoding: echoExample)
        let response = try #require(try SMPMessage.response(to: request, status: notFound))
        #expect(try response.status() == notFound)
        #expect(response.header.op == .writeResponse)
    }

    @Test(
        "Status of a response: absent rc, rc 0, rc n with rsn, err maps (definite and indefinite)",
        arguments: [
            ("A0", SMPStatus.ok), ("A1 62 7263 00", .ok), ("A1 61 72 62 6869", .ok),
            ("A2 62 7263 08 63 72736E 62 6E6F", .rc(.notSupported, reason: "no")),
            ("BF 63 657272 BF 65 67726F7570 01 62 7263 18 18 FF FF", .group(SMPGroupError(group: .image, rc: 24))),
            ("A1 63 657272 A2 65 67726F7570 00 62 7263 00", .ok),
        ] as [(String, SMPStatus)]
    )
    func status(_ body: String, _ expected: SMPStatus) throws {
        #expect(try SMPStatus(map: SMPMap(decoding: hex(body))) == expected)
    }
}

@Suite("SMP typed commands")
struct CommandTests {
    @Test("Zephyr-style map rules: duplicate known key, wrong type, non-text key, non-map, bad CBOR")
    func mapRules() throws {
        let dup = try message(.os, 0, .write, hex("A2 61 64 61 61 61 64 61 62"))
        #expect(decodeError(dup)?.code == .duplicateKey)
        #expect(decodeError(dup)?.returnCode == .invalid)
        #expect(decodeError(try message(.os, 0, .write, hex("A1 61 64 01")))?.code == .wrongType)
        #expect(decodeError(try message(.os, 0, .write, hex("A1 01 61 61")))?.code == .notAMap)
        #expect(decodeError(try message(.os, 0, .write, hex("81 01")))?.code == .notAMap)
        let bad = decodeError(try message(.os, 0, .write, hex("A1 61 64 62 68")))
        #expect(bad?.code == .badCBOR && bad?.offset == 12)
        #expect(decodeError(try message(.os, 0, .write, hex("A0")))?.code == .missingKey)
        // Unknown keys are skipped, even twice.
        let unknown = try message(.os, 0, .write, hex("A3 61 78 01 61 64 62 6869 61 78 02"))
        #expect(try SMPRequest.decode(unknown) == .echo(SMPEchoRequest("hi")))
    }

    @Test("A zero-length body: accepted by commands that never decode, rejected by echo")
    func emptyData() throws {
        #expect(try SMPRequest.decode(message(.image, 0, .read, [])) == .imageStateRead(SMPImageStateReadRequest()))
        #expect(try SMPRequest.decode(message(.os, 6, .read, [])) == .params(SMPParamsRequest()))
        #expect(decodeError(try message(.os, 0, .write, []))?.code == .badCBOR)
    }

    @Test("Unknown group, command or op is smp.unknown_command (rc 8)")
    func unknownCommand() throws {
        for (g, c, op) in [
            (SMPGroup.os, UInt8(5), SMPOp.read), (.os, 2, .write), (.image, 1, .read), (.image, 2, .write),
            (.stat, 0, .read), (SMPGroup(64), 0, .write), (.os, 0, .readResponse), (.os, 0, SMPOp(rawValue: 5)),
        ] {
            let e = decodeError(try message(g, c, op, hex("A0")))
            #expect(e?.code == .unknownCommand && e?.returnCode == .notSupported, "\(g) \(c) \(op)")
        }
    }

    @Test("Upload: indefinite-length map, 32-bit bounds on off/len, negative off")
    func upload() throws {
        // {_ "off": 0, "len": 4294967295, "data": h'3DB8F396', "sha": h'01', "image": 0, "upgrade": false}
        let body = hex(
            "BF 63 6F6666 00 63 6C656E 1A FFFFFFFF 64 64617461 44 3DB8F396 63 736861 41 01 65 696D616765 00"
                + " 67 75706772616465 F4 FF"
        )
        let r = try SMPRequest.decode(message(.image, 1, .write, body))
        #expect(
            r
                == .imageUpload(
                    SMPImageUploadRequest(
                        off: 0,
                        data: hex("3DB8F396"),
                        len: .max,
                        sha: [1],
                        image: 0,
                        upgrade: false
                    )
                )
        )
        let over = decodeError(try message(.image, 1, .write, hex("A1 63 6F6666 1B 0000000100000000")))
        #expect(over?.code == .outOfRange && over?.returnCode == .invalid)
        #expect(decodeError(try message(.image, 1, .write, hex("A1 63 6F6666 20")))?.code == .wrongType)
        // No off at all is a valid decode: the server answers group error 20.
        #expect(
            try SMPRequest.decode(message(.image, 1, .write, hex("A0"))) == .imageUpload(.init(off: nil, data: nil))
        )
    }

    @Test("Reset: force as a boolean (Zephyr) or an integer (smp 4.2.0); only true forces")
    func reset() throws {
        let b = try SMPRequest.decode(message(.os, 5, .write, hex("A1 65 666F726365 F5")))
        #expect(b == .reset(SMPResetRequest(force: true)))
        #expect((b.body as? SMPResetRequest)?.isForced == true)
        let i = try SMPRequest.decode(message(.os, 5, .write, hex("A2 65 666F726365 01 69 626F6F745F6D6F6465 01")))
        #expect(i == .reset(SMPResetRequest(forceInteger: 1, bootMode: 1)))
        #expect((i.body as? SMPResetRequest)?.isForced == false)
        #expect(decodeError(try message(.os, 5, .write, hex("A1 69 626F6F745F6D6F6465 19 0100")))?.code == .outOfRange)
    }

    @Test("Image state response from an indefinite-length Zephyr-style body with every flag")
    func imageState() throws {
        let hash = [UInt8](repeating: 0xAB, count: 32)
        let slot = SMPImageSlotState(
            slot: 0,
            version: "1.2.3",
            hash: hash,
            bootable: true,
            pending: false,
            confirmed: true,
            active: true,
            permanent: false
        )
        let body = SMPImageStateResponse(images: [slot], splitStatus: 0)
        let request = SMPHeader(op: .read, group: .image, sequence: 9, command: 0)
        let response = try #require(try SMPMessage.response(to: request, body))
        #expect(try response.reply(SMPImageStateResponse.self) == .success(body))
        // The same fields, indefinite-length, keys in Zephyr's order, plus a legacy rc 0.
        var text = "BF 66 696D61676573 9F BF 64 736C6F74 00 67 76657273696F6E 65 312E322E33 64 68617368 58 20"
        text += String(repeating: "AB", count: 32)
        text += " 68 626F6F7461626C65 F5 67 70656E64696E67 F4 69 636F6E6669726D6564 F5 66 616374697665 F5"
        text += " 69 7065726D616E656E74 F4 FF FF 6B 73706C6974537461747573 00 62 7263 00 FF"
        let zephyr = try SMPMessage(header: response.header, body: hex(text))
        #expect(try zephyr.reply(SMPImageStateResponse.self) == .success(body))
        let failed = try #require(
            try SMPMessage.response(to: request, status: .group(SMPGroupError(group: .image, rc: 8)))
        )
        #expect(try failed.reply(SMPImageStateResponse.self) == .failure(.group(SMPGroupError(group: .image, rc: 8))))
    }

    @Test("MCUboot serial recovery's upload reply: v1, indefinite-length, rc 0 beside off")
    func mcubootUploadReply() throws {
        let request = SMPHeader(op: .write, version: .v1, group: .image, sequence: 3, command: 1)
        let header = try #require(request.responseHeader)
        let reply = try SMPMessage(header: header, body: hex("BF 62 7263 00 63 6F6666 19 0200 FF"))
        #expect(try reply.reply(SMPImageUploadResponse.self) == .success(SMPImageUploadResponse(off: 512)))
        let failed = try SMPMessage(header: header, body: hex("BF 62 7263 03 FF"))
        #expect(try failed.reply(SMPImageUploadResponse.self) == .failure(.rc(.invalid, reason: nil)))
        #expect(reply.header.answers(request) && reply.header.version == .v1)
    }

    @Test("Every modelled request encodes and decodes back")
    func requestRoundTrips() throws {
        let requests: [(any SMPRequestBody, SMPOp?)] = [
            (SMPEchoRequest("x"), .read), (SMPEchoRequest(""), nil), (SMPResetRequest(), nil),
            (SMPResetRequest(force: false, bootMode: 7), nil), (SMPTaskStatsRequest(), nil),
            (SMPMemoryPoolStatsRequest(), nil), (SMPDateTimeReadRequest(), nil),
            (SMPDateTimeWriteRequest("2026-12-08T02:25:08"), nil), (SMPParamsRequest(), nil),
            (SMPOSInfoRequest(format: "snrvbmpioa"), nil), (SMPOSInfoRequest(), nil),
            (SMPBootloaderInfoRequest(query: "mode"), nil), (SMPImageStateReadRequest(), nil),
            (SMPImageStateWriteRequest(hash: [UInt8](repeating: 1, count: 32), confirm: false), nil),
            (SMPImageStateWriteRequest(confirm: true), nil),
            (SMPImageUploadRequest(off: 64, data: [1, 2, 3]), nil), (SMPImageEraseRequest(slot: 1), nil),
            (SMPSlotInfoRequest(), nil),
        ]
        for (body, op) in requests {
            let m = try encode(body, op)
            let back = try SMPRequest.decode(SMPMessage.decode(m.encoded))
            #expect(back.body.cbor == body.cbor, "\(type(of: body))")
            #expect(type(of: back.body) == type(of: body))
        }
    }

    private func encode<B: SMPRequestBody>(_ body: B, _ op: SMPOp?) throws -> SMPMessage {
        try SMPMessage.request(body, sequence: 3, op: op)
    }

    @Test("Every modelled response encodes and reads back")
    func responseRoundTrips() throws {
        let stat = SMPTaskStat(prio: -2, tid: 1, state: 2, stkuse: 3, stksiz: 4, cswcnt: 5, runtime: 6)
        try roundTrip(SMPEchoResponse("hi"))
        try roundTrip(SMPResetResponse())
        try roundTrip(SMPTaskStatsResponse(tasks: [SMPNamed("idle", stat), SMPNamed("main", SMPTaskStat(prio: 7))]))
        try roundTrip(SMPMemoryPoolStatsResponse(pools: [SMPNamed("heap", SMPMemoryPool(blksiz: 8, nblks: 4))]))
        try roundTrip(SMPDateTimeReadResponse("2026-12-08T02:25:08.123"))
        try roundTrip(SMPDateTimeWriteResponse())
        try roundTrip(SMPParamsResponse(bufSize: 2048, bufCount: 4))
        try roundTrip(SMPOSInfoResponse("Zephyr"))
        try roundTrip(SMPBootloaderInfoResponse(bootloader: "MCUboot"))
        try roundTrip(SMPBootloaderInfoResponse(mode: -1, noDowngrade: true))
        try roundTrip(SMPImageUploadResponse(off: 100, match: true))
        try roundTrip(SMPImageEraseResponse())
        try roundTrip(
            SMPSlotInfoResponse(images: [
                SMPSlotInfoImage(
                    image: 0,
                    slots: [
                        SMPSlotInfoSlot(slot: 0, size: 65536), SMPSlotInfoSlot(slot: 1, size: 65536, uploadImageID: 2),
                    ],
                    maxImageSize: 60000
                )
            ])
        )
    }

    private func roundTrip<B: SMPResponseBody>(_ body: B) throws {
        let request = SMPHeader(op: B.op, group: B.group, sequence: 5, command: B.command)
        let m = try #require(try SMPMessage.response(to: request, body))
        #expect(m.header.answers(request))
        #expect(try SMPMessage.decode(m.encoded).reply(B.self) == .success(body), "\(B.self)")
        #expect(SMPResponseTypes.type(for: request) == B.self)
    }
}
