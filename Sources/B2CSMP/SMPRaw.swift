/// Reassembles SMP messages from a raw UART stream (Zephyr `CONFIG_MCUMGR_TRANSPORT_RAW_UART`, MCUboot's raw
/// recovery): bare `header || data` back to back, framed by the header's Data Length, with no markers, base64 or CRC.
///
/// Sans-I/O and without clocks: the caller tells it when the line has been idle past its receive timeout
/// (``idleTimeout()``), which abandons a stalled partial message. A header whose op is 4–7 or that announces more than
/// `maxMessageBytes` cannot be resynchronised on: Zephyr and MCUboot discard what they have buffered and rely on that
/// timeout. Here every byte from the bad header on is discarded until ``idleTimeout()``, so the outcome does not
/// depend on how the bytes were split into reads. Bytes after a complete message are kept for the next one (MCUboot;
/// Zephyr drops a fragment that carries more than one message).
public struct SMPRawReassembler: Sendable {
    public enum Event: Hashable, Sendable {
        case message([UInt8])
        case dropped(SMPError)
    }

    /// Largest message (header and data) accepted.
    public let maxMessageBytes: Int
    private var buffer: [UInt8] = []
    private var streamOffset = 0
    /// After a bad header: drop every byte until the next idle timeout.
    private var discarding = false

    public init(maxMessageBytes: Int = 4096) {
        self.maxMessageBytes = max(SMPHeader.size, maxMessageBytes)
    }

    public var pendingByteCount: Int { buffer.count }

    /// Whether bytes are being discarded after a bad header (until ``idleTimeout()``).
    public var isDiscarding: Bool { discarding }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if discarding {
            streamOffset += bytes.reduce(0) { n, _ in n + 1 }
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// The next event, or nil when more bytes are needed.
    public mutating func next() -> Event? {
        guard buffer.count >= SMPHeader.size else { return nil }
        let op = buffer[0] & 0x07
        let total = SMPHeader.size + (Int(buffer[2]) << 8 | Int(buffer[3]))
        if op > 3 {
            return discard(.badOp, "op \(op) is no SMP op; bytes are discarded until the line is idle")
        }
        if total > maxMessageBytes {
            return discard(.tooLarge, "a message of \(total) bytes, over \(maxMessageBytes); discarding until idle")
        }
        guard buffer.count >= total else { return nil }
        let message = Array(buffer[0..<total])
        buffer.removeFirst(total)
        streamOffset += total
        return .message(message)
    }

    /// The line has been idle past the receiver's timeout: a partial message is abandoned (the event; nil if none
    /// was buffered) and discarding after a bad header ends.
    public mutating func idleTimeout() -> Event? {
        discarding = false
        guard !buffer.isEmpty else { return nil }
        let e = SMPError(.abandoned, at: streamOffset, "\(buffer.count) bytes of a partial message abandoned")
        streamOffset += buffer.count
        buffer.removeAll(keepingCapacity: false)
        return .dropped(e)
    }

    /// At end of stream: drains complete messages, then abandons the rest. The reassembler is new afterwards.
    public mutating func finish() -> [Event] {
        var out: [Event] = []
        while let e = next() { out.append(e) }
        if let e = idleTimeout() { out.append(e) }
        streamOffset = 0
        return out
    }

    private mutating func discard(_ code: SMPError.Code, _ reason: String) -> Event {
        let e = SMPError(code, at: streamOffset, reason)
        streamOffset += buffer.count
        buffer.removeAll(keepingCapacity: false)
        discarding = true
        return .dropped(e)
    }
}

/// SMP over UDP: one message per datagram, no framing (default port 1337).
public enum SMPUDP {
    public static let defaultPort: UInt16 = 1337

    /// The datagram that carries `message`.
    public static func encode(_ message: SMPMessage) -> [UInt8] { message.encoded }

    /// Reads a datagram as exactly one message (`smp.truncated`, `smp.trailing_bytes` otherwise).
    public static func decode(_ datagram: [UInt8]) throws(SMPError) -> SMPMessage { try SMPMessage.decode(datagram) }
}
