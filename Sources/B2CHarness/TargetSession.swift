import B2CWire

/// What the target said in `hello`.
public struct HelloInfo: Sendable, Equatable {
    public var implementation: String
    public var version: String
    public var capabilities: [String: JSONValue]

    public init(implementation: String, version: String, capabilities: [String: JSONValue]) {
        self.implementation = implementation
        self.version = version
        self.capabilities = capabilities
    }

    /// Whether the target declared `op`, and (if given) a parameter value under it, e.g. `profiles` ∋ `deterministic`.
    public func supports(_ op: String, parameter: String? = nil, value: String? = nil) -> Bool {
        guard let cap = capabilities[op] else { return false }
        guard let parameter, let value else { return true }
        guard let values = cap.objectValue?[parameter]?.arrayValue else { return false }
        return values.contains(.string(value))
    }
}

/// The result of one request.
public enum Exchange: Sendable {
    /// An answer with the request's id; `violations` lists what else the target printed while we waited.
    case answered(WireResponse.Body, violations: [String])
    case timeout(violations: [String])
    /// The target's stream closed (it exited or crashed).
    case crashed(String, violations: [String])
}

/// A running target the runner sends a case's requests to, whatever the target speaks: b2c's JSON-lines wire
/// protocol (``WireSession``), or a device's native protocol, which a session for it maps the suite's requests onto.
/// The runner knows targets only through this.
public protocol TargetSession: AnyObject {
    /// What the target declared (or, for a native protocol, what probing found); nil before ``start()``.
    var hello: HelloInfo? { get }
    /// The id of the last request sent, which later duplicate answers refer to.
    var lastRequestId: Int64 { get }
    /// Ids of earlier requests the target answered again; the runner amends those cases and empties this.
    var duplicateAnswers: [Int64] { get set }
    /// Connects to a fresh target (ending any earlier connection) and learns what it supports.
    @discardableResult func start() throws(HarnessError) -> HelloInfo
    /// Sends one request and waits for its answer until the per-case timeout.
    func call(op: String, args: [String: JSONValue]) -> Exchange
    /// Ends the session politely (the target may still answer late; those answers are noted).
    func finish()
    /// Ends the connection now.
    func stop()
}
