import B2CSMP
import Testing

typealias Event = SMPSerialReassembler.Event

/// Feeds `input` in the chunks `sizes` gives (the rest in one), draining after each, then finishes.
private func events(_ input: [UInt8], chunks sizes: [Int], maxLine: Int = 128, maxMessage: Int = 4096) -> [Event] {
    var r = SMPSerialReassembler(maxLineBytes: maxLine, maxMessageBytes: maxMessage)
    var out: [Event] = []
    var offset = 0
    for size in sizes + [input.count] where offset < input.count {
        let end = min(input.count, offset + size)
        r.append(input[offset..<end])
        offset = end
        while let e = r.next() { out.append(e) }
    }
    return out + r.finish()
}

/// Every way of feeding `input`: all at once, one byte at a time, and split in two at every boundary.
private func everySplit(_ input: [UInt8], maxLine: Int = 128, maxMessage: Int = 4096) -> [(String, [Event])] {
    var out = [("all at once", events(input, chunks: [], maxLine: maxLine, maxMessage: maxMessage))]
    out.append(
        (
            "one byte at a time",
            events(input, chunks: Array(repeating: 1, count: input.count), maxLine: maxLine, maxMessage: maxMessage)
        )
    )
    for i in 0...input.count {
        out.append(("split at \(i)", events(input, chunks: [i], maxLine: maxLine, maxMessage: maxMessage)))
    }
    return out
}

private func expectSplits(_ input: [UInt8], _ expected: [Event], maxLine: Int = 128, maxMessage: Int = 4096) {
    for (how, got) in everySplit(input, maxLine: maxLine, maxMessage: maxMessage) {
        #expect(got == expected, "\(how)")
    }
}

private func codes(_ events: [Event]) -> [String] {
    events.map {
        switch $0 {
        case .message(let m): return "message \(m.count)"
        case .console(let c): return "console \(String(decoding: c, as: UTF8.self))"
        case .dropped(let e): return e.code.rawValue
        }
    }
}

/// A message of `n` bytes: a header announcing n - 8 data bytes, then a counting pattern.
func sampleMessage(_ n: Int) -> [UInt8] {
    let data = (0..<(n - 8)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
    return [0x0a, 0, UInt8((n - 8) >> 8), UInt8((n - 8) & 0xff), 0, 1, 0x42, 1] + data
}

@Suite("SMP serial framing")
struct SerialTests {
    @Test("CRC-16/XMODEM: the catalogue check value and the worked example's CRC")
    func crc() {
        #expect(SMPSerial.crc16(Array("123456789".utf8)) == 0x31C3)
        #expect(SMPSerial.crc16(echoExample) == 0x9B0A)
        #expect(SMPSerial.crc16(echoExample + [0x9B, 0x0A]) == 0)
        #expect(SMPSerial.crc16([]) == 0)
    }

    @Test("The worked example's serial line, in both styles")
    func workedExampleLine() {
        let line = [0x06, 0x09] + Array("ABAKAAAGAABCAKFhZGJoaZsK".utf8) + [0x0a]
        #expect(SMPSerial.encode(echoExample) == [line])
        #expect(SMPSerial.encode(echoExample, style: .zephyr) == [line])
        expectSplits(line, [.message(echoExample)])
    }

    @Test("Base64 of RFC 4648's test vectors, and what the line decoder rejects")
    func base64() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE="]
        for (plain, coded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == Array(coded.utf8))
            #expect(Base64.decode(Array(coded.utf8)) == Array(plain.utf8))
        }
        for bad in ["Zg=", "Zg", "Z===", "Zg==Zg==", "Zm9v!A==", "=Zm9", "Zm=v", "Zm9 "] {
            #expect(Base64.decode(Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    @Test(
        "Fill-style lines: at most 127 bytes, base64 cut on 4-character boundaries, markers right",
        arguments: [8, 9, 10, 11, 88, 89, 90, 91, 92, 93, 94, 95, 181, 182, 183, 184, 185, 1000, 2044]
    )
    func fillLines(_ n: Int) throws {
        let m = sampleMessage(n)
        for style in [SMPSerial.LineStyle.fill, .zephyr] {
            let lines = SMPSerial.encode(m, style: style)
            for (i, l) in lines.enumerated() {
                #expect(l.count <= 127, "\(style) line \(i) of \(l.count) bytes")
                #expect(Array(l.prefix(2)) == (i == 0 ? [0x06, 0x09] : [0x04, 0x14]))
                #expect(l.last == 0x0a)
                #expect((l.count - 3) % 4 == 0)
            }
            if style == .fill { #expect(lines.dropLast().allSatisfy { $0.count == 127 }) }
            // Zephyr: 93 raw bytes (124 characters) on the first line, 90 (120) on the later ones.
            if style == .zephyr, lines.count > 3 {
                #expect(lines[0].count == 127 && lines[1].count == 123)
            }
            // Zephyr never splits the CRC: the last line carries both of its bytes.
            if style == .zephyr, let last = lines.last, let tail = Base64.decode(last[2..<(last.count - 1)]) {
                let crc = SMPSerial.crc16(m)
                #expect(tail.count >= 2 && Array(tail.suffix(2)) == [UInt8(crc >> 8), UInt8(crc & 0xff)], "\(n)")
            }
            var r = SMPSerialReassembler()
            r.append(lines.joined())
            var got: [Event] = []
            while let e = r.next() { got.append(e) }
            #expect(got == [.message(m)], "\(style), \(n) bytes")
        }
    }

    @Test("A three-line message fed every way, with console text before, between and after its lines")
    func interleavedConsole() {
        let m = sampleMessage(200)
        let lines = SMPSerial.encode(m)
        #expect(lines.count == 3)
        let log1 = Array("[00:00:01] <inf> boot\n".utf8)
        let log2 = Array("uart:~$ \r\n".utf8)
        let input = log1 + lines[0] + log2 + lines[1] + log1 + lines[2] + Array("tail".utf8)
        expectSplits(
            input,
            [
                .console(Array("[00:00:01] <inf> boot".utf8)), .console(Array("uart:~$ \r".utf8)),
                .console(Array("[00:00:01] <inf> boot".utf8)), .message(m), .console(Array("tail".utf8)),
            ]
        )
    }

    @Test("Bad frames are dropped with their reason, and the next good frame still arrives")
    func badFrames() {
        let m = echoExample
        let good = SMPSerial.encodeFrame(m)
        var badCRC = good
        badCRC[badCRC.count - 3] = UInt8(ascii: "L")  // the last base64 character: the CRC's low bits
        let orphan = [0x04, 0x14] + Array("AAAA".utf8) + [0x0a]
        let notBase64 = [0x06, 0x09] + Array("AB*A".utf8) + [0x0a]
        let oneByte = [0x06, 0x09] + Array("AA==".utf8) + [0x0a]
        let lengthOnly = [0x06, 0x09] + Array("ABA=".utf8) + [0x0a]
        let input = badCRC + good + orphan + good + notBase64 + good + oneByte + good + lengthOnly + orphan + good
        let got = events(input, chunks: [])
        #expect(
            codes(got) == [
                "smp.bad_crc", "message 14", "smp.orphan_continuation", "message 14", "smp.bad_base64",
                "message 14", "smp.bad_length", "message 14", "smp.orphan_continuation", "message 14",
            ]
        )
        if case .dropped(let e) = got[0] { #expect(e.offset == 0) }
        if case .dropped(let e) = got[2] { #expect(e.offset == 2 * good.count) }
        expectSplits(input, got)
    }

    @Test("A new start line abandons a packet in progress; the stream ending inside one abandons it too")
    func abandoned() {
        let long = SMPSerial.encode(sampleMessage(200))
        let input = long[0] + long[1] + SMPSerial.encodeFrame(echoExample) + long[0]
        let got = events(input, chunks: [])
        #expect(codes(got) == ["smp.abandoned", "message 14", "smp.abandoned"])
        expectSplits(input, got)
    }

    @Test("A continuation line after a start line that carried only the length field is dropped (Zephyr)")
    func continuationAfterLengthOnly() {
        // L = 16 on its own (2 bytes, padded), then the message and CRC on a continuation line.
        let unit = [0x00, 0x10] + echoExample + [0x9B, 0x0A]
        let input =
            [0x06, 0x09] + Base64.encode(unit[0..<2]) + [0x0a, 0x04, 0x14] + Base64.encode(unit[2...]) + [0x0a]
        #expect(codes(events(input, chunks: [])) == ["smp.orphan_continuation"])
    }

    @Test("The CRC split across two lines is accepted; CR before the newline is tolerated")
    func crcSplitAndCR() {
        // 14-byte message: the unit is 18 bytes = 24 characters; lines of 4 + 20 characters put the CRC in line 2.
        let text = Base64.encode([0x00, 0x10] + echoExample + [0x9B, 0x0A])
        let split = [0x06, 0x09] + text[0..<20] + [0x0a] + [0x04, 0x14] + text[20...] + [0x0d, 0x0a]
        expectSplits(split, [.message(echoExample)])
        #expect(SMPSerial.encode(echoExample, maxLineBytes: 7).count == 6)
        expectSplits(SMPSerial.encodeFrame(echoExample, maxLineBytes: 7), [.message(echoExample)])
    }

    @Test("Line limit: 128 bytes with the newline pass, 129 are dropped once and the packet in progress survives")
    func lineLimit() {
        let ok = [UInt8](repeating: 0x41, count: 127) + [0x0a]
        let long = [UInt8](repeating: 0x42, count: 128) + [0x0a]
        let m = sampleMessage(150)
        let lines = SMPSerial.encode(m)
        let input = ok + lines[0] + long + lines[1]
        let got = events(input, chunks: [])
        #expect(codes(got) == ["console " + String(repeating: "A", count: 127), "smp.overlong_line", "message 150"])
        expectSplits(input, got)
        let tight = events(SMPSerial.encodeFrame(m), chunks: [], maxLine: 126)
        #expect(codes(tight).allSatisfy { $0 == "smp.overlong_line" || $0 == "smp.orphan_continuation" })
    }

    @Test("A packet announcing more than maxMessageBytes is dropped at its start line, holding nothing")
    func tooLarge() {
        let m = sampleMessage(400)
        let frame = SMPSerial.encodeFrame(m)
        #expect(codes(events(frame, chunks: [], maxMessage: 400)) == ["message 400"])
        let got = events(frame, chunks: [], maxMessage: 399)
        #expect(codes(got).first == "smp.too_large")
        #expect(codes(got).dropFirst().allSatisfy { $0 == "smp.orphan_continuation" })
        var r = SMPSerialReassembler(maxMessageBytes: 399)
        for b in frame {
            r.append(CollectionOfOne(b))
            while r.next() != nil {}
            #expect(r.pendingByteCount <= 128 + 401)
        }
    }

    @Test("Megabytes without a newline cost at most one line, are reported once, and the stream recovers")
    func hostileNoNewline() {
        var r = SMPSerialReassembler()
        var overlong = 0
        let chunk = [UInt8](repeating: 0x41, count: 64 << 10)
        for _ in 0..<16 {
            r.append(chunk)
            while let e = r.next() {
                if case .dropped(let err) = e, err.code == .overlongLine { overlong += 1 } else { Issue.record("\(e)") }
            }
            #expect(r.pendingByteCount <= 128)
        }
        #expect(overlong == 1)
        r.append([0x0a] + SMPSerial.encodeFrame(echoExample))
        #expect(r.next() == .message(echoExample))
        #expect(r.next() == nil)
        #expect(r.finish().isEmpty)
    }
}

@Suite("SMP raw UART and UDP")
struct RawTests {
    @Test("Raw messages back to back, fed every way; bytes after a message wait for the next one")
    func backToBack() {
        let reset = hex("0A 00 00 01 00 00 07 05 A0")
        let input = echoExample + reset + echoExample
        func feed(_ sizes: [Int]) -> [SMPRawReassembler.Event] {
            var r = SMPRawReassembler()
            var out: [SMPRawReassembler.Event] = []
            var offset = 0
            for s in sizes + [input.count] where offset < input.count {
                let end = min(input.count, offset + s)
                r.append(input[offset..<end])
                offset = end
                while let e = r.next() { out.append(e) }
            }
            return out + r.finish()
        }
        let expected: [SMPRawReassembler.Event] = [.message(echoExample), .message(reset), .message(echoExample)]
        #expect(feed([]) == expected)
        #expect(feed(Array(repeating: 1, count: input.count)) == expected)
        for i in 0...input.count { #expect(feed([i]) == expected, "split at \(i)") }
    }

    @Test("Raw: op 4-7 or an oversized header discards bytes until the line is idle; idle abandons a partial")
    func rawErrors() {
        var r = SMPRawReassembler(maxMessageBytes: 64)
        r.append(hex("0E 00 00 00 00 00 00 00") + echoExample)
        if case .dropped(let e)? = r.next() { #expect(e.code == .badOp) } else { Issue.record("op 6 accepted") }
        #expect(r.pendingByteCount == 0 && r.isDiscarding)
        r.append(echoExample)
        #expect(r.next() == nil)
        #expect(r.idleTimeout() == nil && !r.isDiscarding)
        r.append(hex("0A 00 00 39 00 00 00 00"))
        if case .dropped(let e)? = r.next() { #expect(e.code == .tooLarge) } else { Issue.record("65 bytes accepted") }
        #expect(r.idleTimeout() == nil)
        r.append(echoExample.prefix(10))
        #expect(r.next() == nil)
        if case .dropped(let e)? = r.idleTimeout() { #expect(e.code == .abandoned) } else { Issue.record("kept") }
        r.append(echoExample)
        #expect(r.next() == .message(echoExample))
    }

    @Test("UDP: one message per datagram")
    func udp() throws {
        let m = try SMPUDP.decode(echoExample)
        #expect(SMPUDP.encode(m) == echoExample)
        #expect(throws: SMPError.self) { try SMPUDP.decode(echoExample + echoExample) }
        #expect(SMPUDP.defaultPort == 1337)
    }
}
