import B2CCBOR
import B2CSMP
import Testing

/// Bytes from hex, for facts typed in from the SMP notes.
func hex(_ s: String) -> [UInt8] {
    let digits = Array(s.filter { !$0.isWhitespace }.utf8)
    return stride(from: 0, to: digits.count - 1, by: 2).map { i in
        UInt8(String(decoding: digits[i...(i + 1)], as: UTF8.self), radix: 16) ?? 0
    }
}

/// The worked example of the SMP notes (§1.5): echo, v2, write, sequence 0x42, `{"d": "hi"}`.
let echoExample = hex("0A 00 00 06 00 00 42 00 A1 61 64 62 68 69")

@Suite("SMP header and message")
struct HeaderTests {
    @Test("The worked example decodes field by field")
    func workedExample() throws {
        let m = try SMPMessage.decode(echoExample)
        #expect(m.header.op == .write)
        #expect(m.header.version == .v2)
        #expect(m.header.flags == 0)
        #expect(m.header.length == 6)
        #expect(m.header.group == .os)
        #expect(m.header.sequence == 0x42)
        #expect(m.header.command == SMPCommandID.OS.echo)
        #expect(m.body == hex("A1 61 64 62 68 69"))
        #expect(try SMPRequest.decode(m) == .echo(SMPEchoRequest("hi")))
        #expect(try SMPMessage.request(SMPEchoRequest("hi"), sequence: 0x42).encoded == echoExample)
    }

    @Test(
        "Byte 0 is res(3)|ver(2)|op(3): the typical values of the notes",
        arguments: [
            (0x08, SMPVersion.v2, SMPOp.read), (0x0A, .v2, .write), (0x09, .v2, .readResponse),
            (0x0B, .v2, .writeResponse), (0x00, .v1, .read), (0x02, .v1, .write), (0x01, .v1, .readResponse),
            (0x03, .v1, .writeResponse),
        ] as [(UInt8, SMPVersion, SMPOp)]
    )
    func byteZero(_ b: UInt8, _ version: SMPVersion, _ op: SMPOp) throws {
        let h = try SMPHeader(decoding: [b, 0, 0, 0, 0, 0, 0, 0])
        #expect(h.version == version)
        #expect(h.op == op)
        #expect(h.reserved == 0)
        #expect(SMPHeader(op: op, version: version, group: .os, command: 0).encoded[0] == b)
    }

    @Test("Every first byte and flags value decodes and encodes back (reserved bits, op 4-7, versions 2-3)")
    func everyHeaderByte() throws {
        for b0 in 0...255 {
            let bytes: [UInt8] = [UInt8(b0), UInt8(255 - b0), 0x12, 0x34, 0xAB, 0xCD, UInt8(b0 / 3), 0x99]
            let h = try SMPHeader(decoding: bytes)
            #expect(h.encoded == bytes)
            #expect(h.length == 0x1234 && h.group.rawValue == 0xABCD && h.command == 0x99)
        }
    }

    @Test("Short headers and data are smp.truncated; bytes after one message are smp.trailing_bytes")
    func truncation() {
        for n in 0..<8 {
            #expect(throws: SMPError(.truncated, at: n, "an SMP header is 8 bytes, only \(n) arrived")) {
                try SMPHeader(decoding: echoExample.prefix(n))
            }
        }
        for n in 8..<echoExample.count {
            let e = #expect(throws: SMPError.self) { try SMPMessage.decode(Array(echoExample.prefix(n))) }
            #expect(e?.code == .truncated && e?.offset == n)
            #expect(e?.returnCode == .corrupt)
        }
        let e = #expect(throws: SMPError.self) { try SMPMessage.decode(echoExample + [0]) }
        #expect(e?.code == .trailingBytes && e?.offset == echoExample.count)
    }

    @Test("A packet carrying two messages back to back decodes as both")
    func decodeAll() throws {
        let reset = hex("0A 00 00 01 00 00 07 05 A0")
        let all = try SMPMessage.decodeAll(echoExample + reset)
        #expect(all.count == 2)
        #expect(all.last?.header.command == SMPCommandID.OS.reset)
        #expect(all.map(\.encoded) == [echoExample, reset])
    }

    @Test("The response header: op + 1, group/sequence/id copied, flags 0, version echoed and clamped")
    func responseHeader() throws {
        var request = try SMPHeader(decoding: echoExample)
        request.flags = 0x55
        let r = try #require(request.responseHeader)
        #expect(r.op == .writeResponse && r.flags == 0 && r.version == .v2)
        #expect(r.group == request.group && r.sequence == 0x42 && r.command == request.command)
        #expect(r.answers(request))
        var other = r
        other.sequence = 0x43
        #expect(!other.answers(request))
        other = r
        other.command = 1
        #expect(!other.answers(request))
        request.version = SMPVersion(rawValue: 3)
        #expect(request.responseHeader?.version == .v2)
        request.version = .v1
        #expect(request.responseHeader?.version == .v1)
        request.op = .writeResponse
        #expect(request.responseHeader == nil)
        request.op = SMPOp(rawValue: 6)
        #expect(request.responseHeader == nil)
    }

    @Test("A body over 65535 bytes is smp.too_large, not a wrapped length")
    func tooLarge() {
        let e = #expect(throws: SMPError.self) {
            try SMPMessage(
                header: SMPHeader(op: .write, group: .image, command: 1),
                body: [UInt8](repeating: 0, count: 65536)
            )
        }
        #expect(e?.code == .tooLarge)
    }
}
