import Foundation

/// The wire protocol version this build speaks (`docs/wire-protocol.md`).
public let wireProtocolVersion: Int64 = 1

/// A request from the runner: `{"v","id","op","args"}`.
public struct WireRequest: Codable, Hashable, Sendable {
    public var v: Int64
    public var id: Int64
    public var op: String
    public var args: [String: JSONValue]

    public init(id: Int64, op: String, args: [String: JSONValue] = [:]) {
        self.v = wireProtocolVersion
        self.id = id
        self.op = op
        self.args = args
    }
}

/// A response from the target: `v`, `id` and exactly one of `ok`, `err`, `unsupported`.
public struct WireResponse: Hashable, Sendable {
    public enum Body: Hashable, Sendable {
        case ok([String: JSONValue])
        case err(code: String, detail: String, offset: Int64?)
        case unsupported(reason: String)
    }

    public var v: Int64
    public var id: Int64
    public var body: Body

    public init(id: Int64, body: Body) {
        self.v = wireProtocolVersion
        self.id = id
        self.body = body
    }
}

/// Why a line is not a protocol message: one line, naming what is wrong.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Encoding and strict decoding of protocol lines.
public enum WireCodec {
    /// One line (without the newline) for a request.
    public static func encode(_ request: WireRequest) -> [UInt8] {
        let object: [String: JSONValue] = [
            "v": .int(request.v), "id": .int(request.id), "op": .string(request.op), "args": .object(request.args),
        ]
        return line(object)
    }

    /// One line (without the newline) for a response.
    public static func encode(_ response: WireResponse) -> [UInt8] {
        var object: [String: JSONValue] = ["v": .int(response.v), "id": .int(response.id)]
        switch response.body {
        case .ok(let fields): object["ok"] = .object(fields)
        case .err(let code, let detail, let offset):
            var e: [String: JSONValue] = ["code": .string(code), "detail": .string(detail)]
            if let offset { e["offset"] = .int(offset) }
            object["err"] = .object(e)
        case .unsupported(let reason): object["unsupported"] = .object(["reason": .string(reason)])
        }
        return line(object)
    }

    static func line(_ object: [String: JSONValue]) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a JSONValue cannot fail: every case maps onto JSON (non-finite doubles are never produced).
        return (try? Array(encoder.encode(JSONValue.object(object)))) ?? Array(#"{"v":1,"id":-1}"#.utf8)
    }

    static func object(_ line: [UInt8]) throws(WireError) -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(line))
        } catch {
            throw WireError("not JSON: \(preview(line))")
        }
        guard case .object(let o) = value else { throw WireError("not a JSON object: \(preview(line))") }
        return o
    }

    /// Parses a request line; anything but a well-formed request is an error.
    public static func decodeRequest(_ line: [UInt8]) throws(WireError) -> WireRequest {
        let o = try object(line)
        guard let v = o["v"]?.intValue else { throw WireError("request has no integer \"v\"") }
        guard v == wireProtocolVersion else { throw WireError("request has protocol version \(v), expected 1") }
        guard let id = o["id"]?.intValue else { throw WireError("request has no integer \"id\"") }
        guard let op = o["op"]?.stringValue else { throw WireError("request \(id) has no string \"op\"") }
        var args: [String: JSONValue] = [:]
        if let a = o["args"] {
            guard let object = a.objectValue else { throw WireError("request \(id): \"args\" is not an object") }
            args = object
        }
        var request = WireRequest(id: id, op: op, args: args)
        request.v = v
        return request
    }

    /// Parses a response line strictly: `v` must be 1, `id` an integer, and exactly one body field present.
    public static func decodeResponse(_ line: [UInt8]) throws(WireError) -> WireResponse {
        let o = try object(line)
        guard let v = o["v"]?.intValue else { throw WireError("response has no integer \"v\"") }
        guard v == wireProtocolVersion else { throw WireError("response has protocol version \(v), expected 1") }
        guard let id = o["id"]?.intValue else { throw WireError("response has no integer \"id\"") }
        let bodies = ["ok", "err", "unsupported"].filter { o[$0] != nil }
        guard bodies.count == 1 else {
            throw WireError("response \(id) must have exactly one of ok, err, unsupported (has \(bodies.count))")
        }
        switch bodies[0] {
        case "ok":
            guard let fields = o["ok"]?.objectValue else { throw WireError("response \(id): \"ok\" is not an object") }
            return WireResponse(id: id, body: .ok(fields))
        case "err":
            guard let e = o["err"]?.objectValue, let code = e["code"]?.stringValue else {
                throw WireError("response \(id): \"err\" needs a string \"code\"")
            }
            return WireResponse(
                id: id,
                body: .err(code: code, detail: e["detail"]?.stringValue ?? "", offset: e["offset"]?.intValue)
            )
        default:
            let reason = o["unsupported"]?.objectValue?["reason"]?.stringValue ?? ""
            return WireResponse(id: id, body: .unsupported(reason: reason))
        }
    }

    /// The first bytes of a line, printable, for error messages.
    public static func preview(_ line: [UInt8]) -> String {
        let head = line.prefix(80).map { (0x20...0x7e).contains($0) ? Character(Unicode.Scalar($0)) : "." }
        return String(head) + (line.count > 80 ? "…" : "")
    }
}
