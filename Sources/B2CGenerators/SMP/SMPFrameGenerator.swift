import B2CCBOR
import B2CSMP

/// Random SMP messages and serial streams for property tests, from a seeded RNG: well-formed frames (either line
/// style, any line length the reassembler accepts, console text between lines) and frames with one mutation whose
/// effect on the reassembler is known.
package enum SMPFrameGenerator {
    /// A random message: a modelled request with random fields (most often), or a random header over a random CBOR
    /// map or raw bytes, at most `maxBytes` long.
    package static func message(using rng: inout some RandomNumberGenerator, maxBytes: Int = 600) -> [UInt8] {
        let header = SMPHeader(
            op: SMPOp(rawValue: UInt8.random(in: 0...3, using: &rng)),
            version: SMPVersion(rawValue: UInt8.random(in: 0...1, using: &rng)),
            group: [SMPGroup.os, .image, .stat, SMPGroup(64), SMPGroup(UInt16.random(in: 0...0xffff, using: &rng))][
                Int.random(in: 0..<5, using: &rng)
            ],
            sequence: UInt8.random(in: 0...255, using: &rng),
            command: UInt8.random(in: 0...8, using: &rng)
        )
        let body: [UInt8]
        switch Int.random(in: 0..<4, using: &rng) {
        case 0, 1: return request(using: &rng, maxBytes: maxBytes)
        case 2:
            var pairs: [CBOR.Pair] = []
            for i in 0..<Int.random(in: 0...4, using: &rng) {
                let v = CBORValueGenerator(maxDepth: 2, maxCount: 3).value(using: &rng)
                pairs.append(CBOR.Pair(.text("k\(i)"), v))
            }
            body = CBOREncoder.encode(.map(pairs))
        default:
            body = (0..<Int.random(in: 0...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        let message = (try? SMPMessage(header: header, body: body))?.encoded ?? header.encoded
        return message.count <= maxBytes ? message : header.encoded
    }

    /// A modelled request with random field values.
    package static func request(using rng: inout some RandomNumberGenerator, maxBytes: Int = 600) -> [UInt8] {
        func bytes(_ n: ClosedRange<Int>) -> [UInt8] {
            (0..<Int.random(in: n, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        func text(_ n: ClosedRange<Int>) -> String {
            String(
                decoding: (0..<Int.random(in: n, using: &rng)).map { _ in UInt8.random(in: 0x20...0x7e, using: &rng) },
                as: UTF8.self
            )
        }
        let seq = UInt8.random(in: 0...255, using: &rng)
        let v = Bool.random(using: &rng) ? SMPVersion.v2 : .v1
        let budget = max(0, maxBytes - 64)
        let m: SMPMessage?
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: m = try? SMPMessage.request(SMPEchoRequest(text(0...min(200, budget))), sequence: seq, version: v)
        case 1:
            m = try? SMPMessage.request(
                SMPResetRequest(force: Bool.random(using: &rng) ? Bool.random(using: &rng) : nil),
                sequence: seq,
                version: v
            )
        case 2: m = try? SMPMessage.request(SMPParamsRequest(), sequence: seq, version: v)
        case 3: m = try? SMPMessage.request(SMPOSInfoRequest(format: text(0...10)), sequence: seq, version: v)
        case 4: m = try? SMPMessage.request(SMPDateTimeWriteRequest(text(19...25)), sequence: seq, version: v)
        case 5: m = try? SMPMessage.request(SMPImageStateReadRequest(), sequence: seq, version: v)
        case 6:
            m = try? SMPMessage.request(
                SMPImageStateWriteRequest(hash: bytes(32...32), confirm: Bool.random(using: &rng)),
                sequence: seq,
                version: v
            )
        case 7:
            let first = Bool.random(using: &rng)
            m = try? SMPMessage.request(
                SMPImageUploadRequest(
                    off: first ? 0 : UInt32.random(in: 1...UInt32.max, using: &rng),
                    data: bytes(0...min(400, budget)),
                    len: first ? UInt32.random(in: 0...UInt32.max, using: &rng) : nil,
                    sha: first ? bytes(32...32) : nil,
                    image: first ? UInt32.random(in: 0...1, using: &rng) : nil
                ),
                sequence: seq,
                version: v
            )
        case 8:
            m = try? SMPMessage.request(
                SMPImageEraseRequest(slot: UInt32.random(in: 0...3, using: &rng)),
                sequence: seq
            )
        default: m = try? SMPMessage.request(SMPBootloaderInfoRequest(query: "mode"), sequence: seq, version: v)
        }
        let encoded = m?.encoded ?? []
        return encoded.count <= maxBytes && !encoded.isEmpty
            ? encoded : SMPHeader(op: .read, group: .os, command: 6).encoded
    }

    /// A console line (newline included) that no reassembler takes for SMP: it never starts with a marker.
    package static func consoleLine(using rng: inout some RandomNumberGenerator, maxBytes: Int) -> [UInt8] {
        let n = Int.random(in: 0...max(0, min(60, maxBytes - 1)), using: &rng)
        var line = (0..<n).map { _ in UInt8.random(in: 0x20...0x7e, using: &rng) }
        if Bool.random(using: &rng), !line.isEmpty { line[line.count - 1] = 0x0d }
        if line.starts(with: SMPSerial.startMarker) || line.starts(with: SMPSerial.continuationMarker) {
            line[0] = 0x21
        }
        return line + [0x0a]
    }

    /// A well-formed stream: `messages` framed with a random style and line length within `maxLineBytes`, console
    /// lines between any two lines; and the events a reassembler with that line limit must give.
    package static func stream(
        _ messages: [[UInt8]],
        maxLineBytes: Int,
        using rng: inout some RandomNumberGenerator
    ) -> (bytes: [UInt8], events: [SMPSerialReassembler.Event]) {
        var bytes: [UInt8] = []
        var events: [SMPSerialReassembler.Event] = []
        func console() {
            guard Int.random(in: 0..<4, using: &rng) == 0 else { return }
            let line = consoleLine(using: &rng, maxBytes: maxLineBytes)
            bytes += line
            events.append(.console(Array(line.dropLast())))
        }
        for m in messages {
            let style: SMPSerial.LineStyle = Bool.random(using: &rng) ? .fill : .zephyr
            let lineBytes = Int.random(in: 19...min(127, maxLineBytes), using: &rng)
            for line in SMPSerial.encode(m, maxLineBytes: lineBytes, style: style) {
                console()
                bytes += line
            }
            events.append(.message(m))
        }
        console()
        return (bytes, events)
    }

    /// One mutation of a framed message's lines.
    package enum Mutation: String, CaseIterable, Sendable {
        /// One base64 character replaced by another character of the alphabet.
        case replaceCharacter
        /// One line left out (only for frames of two or more lines).
        case dropLine
        /// A line sent twice.
        case duplicateLine
        /// The start marker of the first line made a continuation marker.
        case startAsContinuation
        /// The frame cut inside a line, the rest of that line lost (the next line then runs on from it).
        case cutLine
    }

    /// Applies `mutation` to the lines of one frame.
    package static func mutate(
        _ lines: [[UInt8]],
        _ mutation: Mutation,
        using rng: inout some RandomNumberGenerator
    ) -> [UInt8] {
        var lines = lines
        let i = Int.random(in: 0..<lines.count, using: &rng)
        switch mutation {
        case .replaceCharacter:
            let j = Int.random(in: 2..<(lines[i].count - 1), using: &rng)
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
            var c = alphabet[Int.random(in: 0..<64, using: &rng)]
            if c == lines[i][j] { c = c == 0x41 ? 0x42 : 0x41 }
            lines[i][j] = c
        case .dropLine:
            if lines.count > 1 { lines.remove(at: i) }
        case .duplicateLine:
            lines.insert(lines[i], at: i)
        case .startAsContinuation:
            lines[0][0] = 0x04
            lines[0][1] = 0x14
        case .cutLine:
            let j = Int.random(in: 0..<(lines[i].count - 1), using: &rng)
            lines[i] = Array(lines[i][0..<j])
        }
        return Array(lines.joined())
    }
}
