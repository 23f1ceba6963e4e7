/// Reassembles SMP messages from a serial console byte stream, sans-I/O: bytes go in as they arrive, events come out
/// when a line completes. Total over any byte string: nothing here throws, bad input is an event.
///
/// It behaves as Zephyr's receiver (`uart_mcumgr.c` then `serial_util.c`):
/// - lines end at `0A`; a line longer than `maxLineBytes` (newline included) is dropped whole and reported once; it
///   does not disturb a packet in progress;
/// - a line that starts with `06 09` starts a packet (abandoning one in progress), `04 14` continues one; any other
///   line is console text, returned as such, and a packet in progress survives it;
/// - the text after a marker (and before an optional `0D`) is base64-decoded line by line; the first two bytes of a
///   packet are its length L (message + CRC); once L bytes have arrived the CRC is checked (zero residue) and the
///   message comes out without it;
/// - a bad line (base64, length, CRC, a continuation with nothing in progress) drops the packet; the sender sees no
///   reply. Zephyr also drops a continuation that follows a start line carrying only the length field; so does this.
///
/// Memory: at most `maxLineBytes` of the current line plus `maxMessageBytes + 2` of the packet are held besides the
/// bytes appended and not yet drained (drain with ``next()`` after every ``append(_:)``).
public struct SMPSerialReassembler: Sendable {
    /// What the reassembler has for the reader. Offsets in `.dropped` errors are stream offsets of the line at fault
    /// (or of the end of the stream).
    public enum Event: Hashable, Sendable {
        /// A complete SMP message (header and data), CRC checked and stripped.
        case message([UInt8])
        /// A line that is not SMP framing, without its newline.
        case console([UInt8])
        /// A line or a packet was dropped, and why.
        case dropped(SMPError)
    }

    /// Longest accepted line, newline included.
    public let maxLineBytes: Int
    /// Largest message (header and data) accepted; a packet whose length field announces more is dropped at its start
    /// line.
    public let maxMessageBytes: Int

    private var input: [UInt8] = []
    private var inputStart = 0
    private var line: [UInt8] = []
    private var skipping = false
    /// Stream offset of the next input byte, and of the current line's first byte.
    private var streamOffset = 0
    private var lineStart = 0
    /// The packet in progress: bytes after the length field, and the length field (nil when none is in progress).
    private var packet: [UInt8] = []
    private var expected: Int?
    private var queue: [Event] = []

    public init(
        maxLineBytes: Int = SMPSerial.maxReceivedLineBytes,
        maxMessageBytes: Int = 4096
    ) {
        self.maxLineBytes = max(3, maxLineBytes)
        self.maxMessageBytes = max(0, min(Int(UInt16.max) - 2, maxMessageBytes))
    }

    /// Bytes held: appended and not yet scanned, the line in progress, and the packet in progress.
    public var pendingByteCount: Int { input.count - inputStart + line.count + packet.count }

    /// Whether a packet has started and not yet completed.
    public var hasPacketInProgress: Bool { expected != nil }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        input.append(contentsOf: bytes)
    }

    /// The next event, or nil when more bytes are needed.
    public mutating func next() -> Event? {
        while queue.isEmpty {
            guard inputStart < input.count else {
                input.removeAll(keepingCapacity: true)
                inputStart = 0
                return nil
            }
            let byte = input[inputStart]
            inputStart += 1
            streamOffset += 1
            if skipping {
                if byte == 0x0a {
                    skipping = false
                    lineStart = streamOffset
                }
                continue
            }
            if byte == 0x0a {
                let l = line
                line.removeAll(keepingCapacity: true)
                process(l, at: lineStart)
                lineStart = streamOffset
                continue
            }
            if line.count >= maxLineBytes - 1 {
                queue.append(
                    .dropped(
                        SMPError(.overlongLine, at: lineStart, "a line of more than \(maxLineBytes) bytes was dropped")
                    )
                )
                line.removeAll(keepingCapacity: false)
                skipping = true
                continue
            }
            line.append(byte)
        }
        return queue.removeFirst()
    }

    /// At end of stream, after ``next()`` has returned nil: an unterminated last line (console text, or a dropped
    /// SMP line) and a packet left incomplete. The reassembler is empty afterwards and can be reused.
    public mutating func finish() -> [Event] {
        var out: [Event] = []
        while let e = next() { out.append(e) }
        if !skipping && !line.isEmpty {
            if line.starts(with: SMPSerial.startMarker) || line.starts(with: SMPSerial.continuationMarker) {
                out.append(.dropped(SMPError(.abandoned, at: lineStart, "the stream ends inside an SMP line")))
            } else {
                out.append(.console(line))
            }
        }
        if let l = expected {
            out.append(
                .dropped(
                    SMPError(
                        .abandoned,
                        at: streamOffset,
                        "the stream ends with \(packet.count) of \(l) packet bytes"
                    )
                )
            )
        }
        input = []
        inputStart = 0
        line = []
        skipping = false
        streamOffset = 0
        lineStart = 0
        resetPacket()
        return out
    }

    private mutating func resetPacket() {
        packet.removeAll(keepingCapacity: false)
        expected = nil
    }

    private mutating func drop(_ code: SMPError.Code, _ offset: Int, _ reason: String) {
        queue.append(.dropped(SMPError(code, at: offset, reason)))
        resetPacket()
    }

    private mutating func process(_ raw: [UInt8], at offset: Int) {
        var end = raw.count
        if end > 0 && raw[end - 1] == 0x0d { end -= 1 }
        let isStart = end >= 2 && raw[0] == 0x06 && raw[1] == 0x09
        let isContinuation = end >= 2 && raw[0] == 0x04 && raw[1] == 0x14
        guard isStart || isContinuation else {
            queue.append(.console(raw))
            return
        }
        let text = raw[2..<end]
        if isStart {
            if let l = expected {
                queue.append(
                    .dropped(
                        SMPError(
                            .abandoned,
                            at: offset,
                            "a start line abandons a packet with \(packet.count) of \(l) bytes"
                        )
                    )
                )
                resetPacket()
            }
            guard let decoded = Base64.decode(text) else {
                return drop(.badBase64, offset, "the start line's text is not base64")
            }
            guard decoded.count >= 2 else {
                return drop(.badLength, offset, "the start line carries \(decoded.count) bytes, not the 2-byte length")
            }
            let l = Int(decoded[0]) << 8 | Int(decoded[1])
            guard l >= 2 else { return drop(.badLength, offset, "length field \(l) leaves no room for the CRC") }
            guard l - 2 <= maxMessageBytes else {
                return drop(.tooLarge, offset, "length field \(l): a message over \(maxMessageBytes) bytes")
            }
            guard decoded.count - 2 <= l else {
                return drop(.badLength, offset, "\(decoded.count - 2) bytes where the length field says \(l)")
            }
            expected = l
            packet = Array(decoded[2...])
        } else {
            guard let l = expected, !packet.isEmpty else {
                return drop(.orphanContinuation, offset, "a continuation line with no packet in progress")
            }
            guard let decoded = Base64.decode(text) else {
                return drop(.badBase64, offset, "a continuation line's text is not base64")
            }
            guard packet.count + decoded.count <= l else {
                return drop(
                    .badLength,
                    offset,
                    "\(packet.count + decoded.count) bytes where the length field says \(l)"
                )
            }
            packet += decoded
        }
        if let l = expected, packet.count == l {
            if SMPSerial.crc16(packet) == 0 {
                queue.append(.message(Array(packet[0..<(l - 2)])))
                resetPacket()
            } else {
                drop(.badCRC, offset, "the CRC-16 of a \(l)-byte packet does not check")
            }
        }
    }
}
