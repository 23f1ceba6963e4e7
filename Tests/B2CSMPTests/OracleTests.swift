import B2CCBOR
import B2CSMP
import B2CTestSupport
import Foundation
import Testing

private let python = repoRoot + "/.venv/bin/python3"
private let oracle = repoRoot + "/scripts/oracles/smp_oracle.py"

/// Whether the venv holds the `smp` package (scripts/test installs it from scripts/requirements.txt).
private let hasSMPPackage: Bool = {
    guard hasVenv, let r = try? runProcess([python, "-c", "import smp, smp.packet"]) else { return false }
    return r.status == 0
}()

private func fromHex(_ s: String) -> [UInt8] { hex(s) }
private func toHex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

private let hash32 = (0..<32).map { UInt8($0) }

/// The requests and responses of `smp_oracle.py encode`, built here with B2CSMP.
private func swiftCases() throws -> [String: SMPMessage] {
    func req<B: SMPRequestBody>(_ b: B, _ seq: UInt8) throws -> SMPMessage { try SMPMessage.request(b, sequence: seq) }
    func rsp<B: SMPResponseBody>(_ b: B, _ seq: UInt8, op: SMPOp = B.op) throws -> SMPMessage {
        let h = SMPHeader(op: op, group: B.group, sequence: seq, command: B.command)
        return try #require(try SMPMessage.response(to: h, b))
    }
    let head = fromHex("3db8f396") + [UInt8](repeating: 0, count: 60)
    return [
        "echo": try req(SMPEchoRequest("hi"), 0x42),
        "echo-long": try req(SMPEchoRequest(String(repeating: "x", count: 300)), 7),
        "reset": try req(SMPResetRequest(), 1),
        "reset-force": try req(SMPResetRequest(forceInteger: 1, bootMode: 1), 2),
        "taskstat": try req(SMPTaskStatsRequest(), 3),
        "mpstat": try req(SMPMemoryPoolStatsRequest(), 4),
        "datetime-read": try req(SMPDateTimeReadRequest(), 5),
        "datetime-write": try req(SMPDateTimeWriteRequest("2026-12-08T02:25:08"), 6),
        "params": try req(SMPParamsRequest(), 8),
        "info": try req(SMPOSInfoRequest(format: "snrvbmpioa"), 9),
        "bootloader": try req(SMPBootloaderInfoRequest(), 10),
        "bootloader-mode": try req(SMPBootloaderInfoRequest(query: "mode"), 11),
        "state-read": try req(SMPImageStateReadRequest(), 12),
        "state-write": try req(SMPImageStateWriteRequest(hash: hash32, confirm: false), 13),
        "state-confirm": try req(SMPImageStateWriteRequest(confirm: true), 14),
        "upload-first": try req(
            SMPImageUploadRequest(off: 0, data: head, len: 100072, sha: hash32, image: 0, upgrade: false),
            15
        ),
        "upload-next": try req(SMPImageUploadRequest(off: 64, data: (0..<200).map { UInt8($0) }), 16),
        "erase": try req(SMPImageEraseRequest(slot: 1), 17),
        "echo-rsp": try rsp(SMPEchoResponse("hi"), 0x42),
        "params-rsp": try rsp(SMPParamsResponse(bufSize: 2048, bufCount: 4), 8),
        "info-rsp": try rsp(SMPOSInfoResponse("Zephyr"), 9),
        "datetime-rsp": try rsp(SMPDateTimeReadResponse("2026-12-08T02:25:08.123"), 5),
        "upload-rsp": try rsp(SMPImageUploadResponse(off: 264), 16),
        "upload-last-rsp": try rsp(SMPImageUploadResponse(off: 100072, match: true), 18),
        "state-rsp": try rsp(
            SMPImageStateResponse(
                images: [
                    SMPImageSlotState(
                        slot: 0,
                        version: "1.2.3",
                        hash: hash32,
                        bootable: true,
                        pending: false,
                        confirmed: true,
                        active: true,
                        permanent: false
                    )
                ],
                splitStatus: 0
            ),
            12
        ),
    ]
}

private func runOracle(_ mode: String, stdin: String? = nil) throws -> Any {
    let r = try runProcess([python, oracle, mode], stdin: stdin)
    try #require(r.status == 0, "smp_oracle.py \(mode) failed: \(r.stderr)")
    return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
}

@Suite(
    "SMP against the smp package (PyPI)",
    .enabled(if: hasSMPPackage, "needs .venv with smp (scripts/test installs it)")
)
struct OracleTests {
    @Test("Messages and serial lines smp encodes are byte-equal to ours, and we read its messages and lines back")
    func encodeMatches() throws {
        let theirs = try #require(try runOracle("encode") as? [String: [String: Any]])
        let ours = try swiftCases()
        #expect(Set(theirs.keys) == Set(ours.keys))
        for (name, m) in ours {
            let t = try #require(theirs[name], "\(name) missing from the oracle")
            #expect(t["message"] as? String == toHex(m.encoded), "\(name): message")
            // smp's line_length counts one byte it never sends: line_length 128 gives 127-byte lines.
            let lines = try #require(t["serial"] as? [String]).map(fromHex)
            #expect(lines == SMPSerial.encode(m.encoded, maxLineBytes: 127), "\(name): serial lines")
            let lines64 = try #require(t["serial64"] as? [String]).map(fromHex)
            #expect(lines64 == SMPSerial.encode(m.encoded, maxLineBytes: 63), "\(name): 63-byte lines")
            var r = SMPSerialReassembler()
            r.append(lines64.joined())
            #expect(r.next() == .message(m.encoded), "\(name): their lines reassembled")
            let decoded = try SMPMessage.decode(fromHex(try #require(t["message"] as? String)))
            if decoded.header.op.isRequest {
                #expect(try SMPRequest.decode(decoded) == SMPRequest.decode(m), "\(name): typed request")
            } else {
                #expect(try decoded.map() == m.map(), "\(name): response map")
            }
        }
    }

    @Test("smp reads what we encode: requests, responses, v1 and v2 errors, and lines in both styles")
    func decodeMatches() throws {
        let ours = try swiftCases()
        let classes: [(String, String)] = [
            ("echo", "os_management.EchoWriteRequest"), ("echo-rsp", "os_management.EchoWriteResponse"),
            ("reset", "os_management.ResetWriteRequest"), ("params-rsp", "os_management.MCUMgrParametersReadResponse"),
            ("upload-first", "image_management.ImageUploadWriteRequest"),
            ("upload-last-rsp", "image_management.ImageUploadWriteResponse"),
            ("state-write", "image_management.ImageStatesWriteRequest"),
            ("state-rsp", "image_management.ImageStatesReadResponse"),
        ]
        let request = SMPHeader(op: .write, group: .image, sequence: 20, command: SMPCommandID.Image.state)
        var v1Request = request
        v1Request.version = .v1
        let notFound = SMPStatus.group(SMPGroupError(group: .image, rc: SMPImageErrorCode.hashNotFound))
        let v2Error = try #require(try SMPMessage.response(to: request, status: notFound))
        let v1Error = try #require(try SMPMessage.response(to: v1Request, status: notFound))
        var items: [[String: Any]] = classes.map { name, cls in
            ["class": cls, "message": toHex(ours[name]?.encoded ?? [])]
        }
        items.append(["class": "image_management.ImageManagementErrorV2", "message": toHex(v2Error.encoded)])
        items.append(["class": "image_management.ImageManagementErrorV1", "message": toHex(v1Error.encoded)])
        let long = try #require(ours["upload-next"]).encoded
        for style in [SMPSerial.LineStyle.fill, .zephyr] {
            items.append(["serial": SMPSerial.encode(long, style: style).map(toHex)])
        }
        let input = String(decoding: try JSONSerialization.data(withJSONObject: items), as: UTF8.self)
        let results = try #require(try runOracle("decode", stdin: input) as? [[String: Any]])
        try #require(results.count == items.count)
        for (i, (name, _)) in classes.enumerated() {
            #expect(results[i]["error"] == nil, "\(name): \(results[i]["error"] ?? "")")
            let h = try #require(results[i]["header"] as? [String: Int], "\(name)")
            let m = try #require(ours[name])
            #expect(h["op"] == Int(m.header.op.rawValue) && h["group"] == Int(m.header.group.rawValue))
            #expect(h["sequence"] == Int(m.header.sequence) && h["length"] == m.body.count)
            #expect(h["version"] == 1 && h["command"] == Int(m.header.command), "\(name)")
        }
        let fields = { (i: Int) in results[i]["fields"] as? [String: Any] ?? [:] }
        #expect(fields(0)["d"] as? String == "hi")
        #expect(fields(1)["r"] as? String == "hi")
        #expect(fields(3)["buf_size"] as? Int == 2048 && fields(3)["buf_count"] as? Int == 4)
        let upload = fields(4)
        #expect(upload["off"] as? Int == 0 && upload["len"] as? Int == 100072 && upload["image"] as? Int == 0)
        #expect((upload["sha"] as? [String: String])?["hex"] == toHex(hash32))
        #expect(fields(5)["off"] as? Int == 100072 && fields(5)["match"] as? Bool == true)
        #expect((fields(6)["hash"] as? [String: String])?["hex"] == toHex(hash32))
        #expect(fields(6)["confirm"] as? Bool == false)
        let images = fields(7)["images"] as? [[String: Any]] ?? []
        #expect(images.count == 1 && images.first?["version"] as? String == "1.2.3")
        #expect(images.first?["active"] as? Bool == true && images.first?["permanent"] as? Bool == false)
        let err = fields(8)["err"] as? [String: Int]
        #expect(err?["group"] == 1 && err?["rc"] == 8, "v2 error: \(fields(8))")
        #expect(results[8]["header"].flatMap { ($0 as? [String: Int])?["version"] } == 1)
        #expect(fields(9)["rc"] as? Int == 1, "v1 error (HASH_NOT_FOUND translates to EUNKNOWN): \(fields(9))")
        #expect(results[9]["header"].flatMap { ($0 as? [String: Int])?["version"] } == 0)
        for i in (items.count - 2)..<items.count {
            #expect(results[i]["message"] as? String == toHex(long), "lines \(i): \(results[i])")
        }
    }
}
