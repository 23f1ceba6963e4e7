import B2CCBOR
import B2CHarness
import B2CSMP
import B2CWire

/// Why an SMP exchange did not give an answer, in one line.
public struct SMPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// No matching response before the deadline.
        case timeout
        /// The line dropped or the socket closed.
        case linkDown = "link-down"
        /// The request could not be sent (too large for the link, the line took no bytes).
        case send
        /// The device answered with a non-zero status.
        case status
        /// The answer is not what the command returns.
        case malformed
        /// An upload that the device's `match` says did not arrive intact, or that stopped advancing.
        case upload
    }

    public var kind: Kind
    public var reason: String
    /// For `.status`: the device's status.
    public var status: SMPStatus?

    public init(_ kind: Kind, _ reason: String, status: SMPStatus? = nil) {
        self.kind = kind
        self.reason = reason
        self.status = status
    }

    public var description: String { reason }
}

/// An SMP client over a serial console line (the console framing) or a UDP socket (one message a datagram): one
/// request at a time, its answer matched on sequence, group, command id and op together (smp.md CLI-01), never on
/// the sequence alone. Console text, dropped frames and stray messages arriving meanwhile are kept as `noise`.
public final class SMPClient {
    /// Where the device is.
    public enum Link {
        case serial(any ByteStreamTransport)
        case udp(any DatagramTransport)
    }

    public let link: Link
    /// The SMP version requests are sent with.
    public var version: SMPVersion
    /// How lines are cut when sending over serial.
    public var lineStyle: SMPSerial.LineStyle = .fill
    /// What else came while waiting: console lines, dropped frames, unmatched messages (a one-line description each).
    public private(set) var noise: [String] = []
    private var reassembler: SMPSerialReassembler
    private var sequence: UInt8

    public init(link: Link, version: SMPVersion = .v2, maxMessageBytes: Int = 8192, firstSequence: UInt8 = 0) {
        self.link = link
        self.version = version
        reassembler = SMPSerialReassembler(maxMessageBytes: maxMessageBytes)
        sequence = firstSequence
    }

    /// The sequence number the next request gets.
    public func nextSequence() -> UInt8 {
        defer { sequence &+= 1 }
        return sequence
    }

    /// Sends one message as the link carries it.
    public func send(_ message: SMPMessage) throws(SMPClientError) {
        switch link {
        case .serial(let t):
            guard t.write(SMPSerial.encodeFrame(message.encoded, style: lineStyle)) else {
                throw SMPClientError(.linkDown, t.endDescription() ?? "the line took no bytes")
            }
        case .udp(let t):
            guard t.send(SMPUDP.encode(message)) else {
                throw SMPClientError(.send, "the datagram could not be sent (\(message.encoded.count) bytes)")
            }
        }
    }

    /// Sends `request` and waits up to `timeoutMs` for the message answering it.
    public func exchange(_ request: SMPMessage, timeoutMs: Int) throws(SMPClientError) -> SMPMessage {
        try send(request)
        return try awaitAnswer(to: request.header, timeoutMs: timeoutMs)
    }

    /// The next message answering `request`: op + 1, same group, command id and sequence.
    public func awaitAnswer(to request: SMPHeader, timeoutMs: Int) throws(SMPClientError) -> SMPMessage {
        let deadline = MonotonicClock.deadline(milliseconds: timeoutMs)
        while true {
            guard let m = try nextMessage(deadline: deadline) else {
                throw SMPClientError(
                    .timeout,
                    "no answer to \(request.group) command \(request.command) (seq \(request.sequence)) within \(timeoutMs) ms"
                )
            }
            if m.header.op == request.op.response, m.header.group == request.group,
                m.header.command == request.command, m.header.sequence == request.sequence
            {
                return m
            }
            noise.append("unmatched message: \(m.header)")
        }
    }

    /// The next whole message from the link, or nil at the deadline.
    func nextMessage(deadline: UInt64) throws(SMPClientError) -> SMPMessage? {
        switch link {
        case .udp(let t):
            while true {
                switch t.receive(deadline: deadline) {
                case .datagram(let d):
                    do {
                        return try SMPUDP.decode(d)
                    } catch {
                        noise.append("undecodable datagram: \(error)")
                    }
                case .timeout: return nil
                case .closed(let how): throw SMPClientError(.linkDown, how)
                }
            }
        case .serial(let t):
            while true {
                while let event = reassembler.next() {
                    switch event {
                    case .message(let bytes):
                        do {
                            return try SMPMessage.decode(bytes)
                        } catch {
                            noise.append("undecodable message: \(error)")
                        }
                    case .console(let line):
                        noise.append("console: " + String(decoding: line.prefix(200), as: UTF8.self))
                    case .dropped(let why):
                        noise.append("dropped frame: \(why)")
                    }
                }
                switch t.read(deadline: deadline) {
                case .bytes(let b): reassembler.append(b)
                case .timeout: return nil
                case .closed(let how): throw SMPClientError(.linkDown, how)
                }
            }
        }
    }

    /// Forgets any partial frame (after a reconnect: a half-received packet is not finished by the new line).
    public func resetFraming() {
        reassembler = SMPSerialReassembler(maxMessageBytes: reassembler.maxMessageBytes)
    }

    /// Sends a typed request and reads its typed answer; a non-zero status throws `.status`.
    public func call<Request: SMPRequestBody, Response: SMPResponseBody>(
        _ body: Request,
        expecting: Response.Type,
        op: SMPOp? = nil,
        timeoutMs: Int
    ) throws(SMPClientError) -> Response {
        let request: SMPMessage
        do {
            request = try SMPMessage.request(body, sequence: nextSequence(), version: version, op: op)
        } catch {
            throw SMPClientError(.send, "cannot encode the request: \(error)")
        }
        let answer = try exchange(request, timeoutMs: timeoutMs)
        let reply: SMPReply<Response>
        do {
            reply = try answer.reply(Response.self)
        } catch {
            throw SMPClientError(
                .malformed,
                "the answer to \(Request.group) command \(Request.command) is malformed: \(error)"
            )
        }
        switch reply {
        case .success(let r): return r
        case .failure(let status):
            throw SMPClientError(.status, "the device answered \(status)", status: status)
        }
    }
}
