import B2CCBOR

/// One SMP message: the header and the data it announces.
public struct SMPMessage: Hashable, Sendable, CustomStringConvertible {
    public var header: SMPHeader
    /// The data after the header (a CBOR map for groups below 64). `header.length` is its count.
    public var body: [UInt8]

    /// A message whose header length is set from `body`; `smp.too_large` if `body` has more than 65535 bytes.
    public init(header: SMPHeader, body: [UInt8]) throws(SMPError) {
        guard body.count <= Int(UInt16.max) else {
            throw SMPError(.tooLarge, at: 0, "data of \(body.count) bytes does not fit the 16-bit Data Length")
        }
        var h = header
        h.length = UInt16(body.count)
        self.header = h
        self.body = body
    }

    /// Decodes exactly one message filling `bytes`: `smp.truncated` if the header or its data is cut short,
    /// `smp.trailing_bytes` if more follows (see ``decodeAll(_:)`` for packets that carry several).
    public static func decode(_ bytes: [UInt8]) throws(SMPError) -> SMPMessage {
        let (message, end) = try decodePrefix(bytes, at: 0)
        guard end == bytes.count else {
            throw SMPError(.trailingBytes, at: end, "\(bytes.count - end) bytes after a message of \(end) bytes")
        }
        return message
    }

    /// Decodes the message that starts at `start`, and where it ends.
    public static func decodePrefix(_ bytes: [UInt8], at start: Int = 0) throws(SMPError) -> (SMPMessage, end: Int) {
        guard start >= 0, start <= bytes.count else {
            throw SMPError(.truncated, at: bytes.count, "start past the end")
        }
        let header: SMPHeader
        do throws(SMPError) {
            header = try SMPHeader(decoding: bytes[start...])
        } catch {
            throw SMPError(error.code, at: start + error.offset, error.reason)
        }
        let bodyStart = start + SMPHeader.size
        let end = bodyStart + Int(header.length)
        guard end <= bytes.count else {
            throw SMPError(
                .truncated,
                at: bytes.count,
                "Data Length \(header.length) but \(bytes.count - bodyStart) data bytes arrived"
            )
        }
        return (SMPMessage(checked: header, body: Array(bytes[bodyStart..<end])), end)
    }

    /// Every message of a packet that holds several back to back (Zephyr's SMP layer processes them in turn; they
    /// are not aligned). An error in one ends the walk.
    public static func decodeAll(_ bytes: [UInt8]) throws(SMPError) -> [SMPMessage] {
        var out: [SMPMessage] = []
        var start = 0
        repeat {
            let (m, end) = try decodePrefix(bytes, at: start)
            out.append(m)
            start = end
        } while start < bytes.count
        return out
    }

    private init(checked header: SMPHeader, body: [UInt8]) {
        self.header = header
        self.body = body
    }

    /// Header then data.
    public var encoded: [UInt8] { header.encoded + body }

    /// The data read as a command map (``SMPMap``); errors carry offsets in the message.
    public func map() throws(SMPError) -> SMPMap { try SMPMap(decoding: body, offset: SMPHeader.size) }

    /// The status of a response: `smp.bad_cbor`/`smp.not_a_map` if the data is no map.
    public func status() throws(SMPError) -> SMPStatus { try SMPStatus(map: map()) }

    public var description: String { "\(header), \(body.count) data bytes" }

    // MARK: Building messages

    /// A request carrying `body`, with `body`'s group, command and request op (or `op` for a command that takes
    /// both, such as echo).
    public static func request<B: SMPRequestBody>(
        _ body: B,
        sequence: UInt8,
        version: SMPVersion = .v2,
        op: SMPOp? = nil
    ) throws(SMPError) -> SMPMessage {
        let header = SMPHeader(op: op ?? B.op, version: version, group: B.group, sequence: sequence, command: B.command)
        return try SMPMessage(header: header, body: CBOREncoder.encodeDeterministic(body.cbor))
    }

    /// The answer to `request` carrying `body` (a CBOR map, written in deterministic encoding); nil if the request's
    /// op is not read or write.
    public static func response(to request: SMPHeader, body: CBOR) throws(SMPError) -> SMPMessage? {
        guard let header = request.responseHeader else { return nil }
        return try SMPMessage(header: header, body: CBOREncoder.encodeDeterministic(body))
    }

    /// The answer to `request` carrying a typed success body.
    public static func response<B: SMPResponseBody>(to request: SMPHeader, _ body: B) throws(SMPError) -> SMPMessage? {
        try response(to: request, body: body.cbor)
    }

    /// The error answer to `request`, shaped for its version (see ``SMPStatus/body(answering:)``).
    public static func response(to request: SMPHeader, status: SMPStatus) throws(SMPError) -> SMPMessage? {
        try response(to: request, body: status.body(answering: request.version))
    }

    /// Reads a response's data as `B` after its status: `.success(B)` when the status is success, else
    /// `.failure(status)`. Decoding errors of the map or of `B`'s fields throw.
    public func reply<B: SMPResponseBody>(_ type: B.Type) throws(SMPError) -> SMPReply<B> {
        let m = try map()
        let status = try SMPStatus(map: m)
        guard status.isSuccess else { return .failure(status) }
        return .success(try B(map: m))
    }
}

/// A response read as a typed body or a failure status.
public enum SMPReply<Body: SMPResponseBody>: Hashable, Sendable {
    case success(Body)
    case failure(SMPStatus)
}

/// The fields of one command in one direction, as a CBOR map.
public protocol SMPBody: Hashable, Sendable {
    static var group: SMPGroup { get }
    static var command: UInt8 { get }
    /// The request op (a response's header has op + 1).
    static var op: SMPOp { get }
    /// Reads the fields from a command map.
    init(map: SMPMap) throws(SMPError)
    /// The fields as a CBOR map.
    var cbor: CBOR { get }
}

/// A request body.
public protocol SMPRequestBody: SMPBody {
    /// Whether a zero-length body is accepted in place of the empty map (handlers that never decode their request,
    /// e.g. image state read; decoding handlers such as echo reject it).
    static var acceptsEmptyData: Bool { get }
}

extension SMPRequestBody {
    public static var acceptsEmptyData: Bool { false }

    /// Reads a request's data: a zero-length body is the empty map when ``acceptsEmptyData``.
    public init(data: [UInt8], offset: Int = SMPHeader.size) throws(SMPError) {
        if data.isEmpty && Self.acceptsEmptyData {
            try self.init(map: SMPMap(.map([]), offset: offset))
        } else {
            try self.init(map: SMPMap(decoding: data, offset: offset))
        }
    }
}

/// A success response body.
public protocol SMPResponseBody: SMPBody {}
