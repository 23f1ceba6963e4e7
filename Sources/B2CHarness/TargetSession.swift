import B2CWire

/// What the target said in `hello`.
public struct HelloInfo: Sendable, Equatable {
    public var implementation: String
    public var version: String
    public var capabilities: [String: JSONValue]

    /// Whether the target declared `op`, and (if given) a parameter value under it, e.g. `profiles` ∋ `deterministic`.
    public func supports(_ op: String, parameter: (key: String, value: String)? = nil) -> Bool {
        guard let cap = capabilities[op] else { return false }
        guard let parameter else { return true }
        guard let values = cap.objectValue?[parameter.key]?.arrayValue else { return false }
        return values.contains(.string(parameter.value))
    }
}

/// The result of one request.
enum Exchange {
    /// An answer with the request's id; `violations` lists what else the target printed while we waited.
    case answered(WireResponse.Body, violations: [String])
    case timeout(violations: [String])
    /// The target's stdout closed (it exited or crashed).
    case crashed(String, violations: [String])
}

/// One running target speaking the wire protocol: hello, requests one at a time, bye.
final class TargetSession {
    let descriptor: TargetDescriptor
    let stderrPath: String
    let seed: String
    private var transport: ProcessTransport?
    private var nextId: Int64 = 1
    /// The id of the last request sent.
    private(set) var lastRequestId: Int64 = 0
    private var answered = Set<Int64>()
    /// Ids of earlier requests that the target answered again; the runner amends those cases.
    var duplicateAnswers: [Int64] = []
    private(set) var hello: HelloInfo?

    init(descriptor: TargetDescriptor, stderrPath: String, seed: String) {
        self.descriptor = descriptor
        self.stderrPath = stderrPath
        self.seed = seed
    }

    /// Spawns the target and exchanges `hello`.
    @discardableResult
    func start() throws(HarnessError) -> HelloInfo {
        stop()
        let t = try ProcessTransport(
            command: descriptor.command, cwd: descriptor.cwd, environment: descriptor.environment,
            stderrPath: stderrPath)
        transport = t
        let args: [String: JSONValue] = [
            "protocols": .array([.int(wireProtocolVersion)]), "seed": .string(seed), "runner": .string("b2c"),
        ]
        guard t.send(WireCodec.encode(WireRequest(id: 0, op: "hello", args: args))) else {
            throw HarnessError("target \(descriptor.name) exited before hello (see \(stderrPath))")
        }
        let deadline = Clock.now() + UInt64(descriptor.startupTimeoutMs) * 1_000_000
        while true {
            switch t.readLine(deadline: deadline) {
            case .line(let line):
                guard !line.isEmpty, let response = try? WireCodec.decodeResponse(line), response.id == 0 else {
                    throw HarnessError(
                        "target \(descriptor.name): hello answered with a line that is not its response: "
                            + WireCodec.preview(line))
                }
                guard case .ok(let fields) = response.body else {
                    throw HarnessError("target \(descriptor.name) refused hello: \(response.body)")
                }
                guard fields["protocol"]?.intValue == wireProtocolVersion else {
                    throw HarnessError("target \(descriptor.name) chose a protocol other than 1 in hello")
                }
                guard let capabilities = fields["capabilities"]?.objectValue else {
                    throw HarnessError("target \(descriptor.name): hello has no \"capabilities\" object")
                }
                let impl = fields["implementation"]?.objectValue
                let info = HelloInfo(
                    implementation: impl?["name"]?.stringValue ?? descriptor.name,
                    version: impl?["version"]?.stringValue ?? "", capabilities: capabilities)
                hello = info
                return info
            case .timeout:
                throw HarnessError(
                    "target \(descriptor.name) did not answer hello within \(descriptor.startupTimeoutMs) ms")
            case .eof:
                throw HarnessError(
                    "target \(descriptor.name) exited before answering hello (\(t.exitDescription() ?? "?"); "
                        + "see \(stderrPath))")
            case .tooLong:
                throw HarnessError("target \(descriptor.name) answered hello with an over-long line")
            }
        }
    }

    /// Sends one request and waits for its answer until the per-case timeout.
    func call(op: String, args: [String: JSONValue]) -> Exchange {
        guard let t = transport else { return .crashed("not running", violations: []) }
        let id = nextId
        nextId += 1
        lastRequestId = id
        guard t.send(WireCodec.encode(WireRequest(id: id, op: op, args: args))) else {
            return .crashed(t.exitDescription() ?? "stdin closed", violations: [])
        }
        var violations: [String] = []
        let deadline = Clock.now() + UInt64(descriptor.perCaseTimeoutMs) * 1_000_000
        while true {
            switch t.readLine(deadline: deadline) {
            case .line(let line):
                if line.isEmpty { continue }
                let response: WireResponse
                do {
                    response = try WireCodec.decodeResponse(line)
                } catch {
                    violations.append("printed a line that is not a protocol message (\(error))")
                    continue
                }
                if response.id == id {
                    answered.insert(id)
                    return .answered(response.body, violations: violations)
                }
                if answered.contains(response.id) {
                    duplicateAnswers.append(response.id)
                } else {
                    violations.append("answered id \(response.id), which was never asked (expected \(id))")
                }
            case .timeout:
                return .timeout(violations: violations)
            case .eof:
                return .crashed(t.exitDescription() ?? "stdout closed", violations: violations)
            case .tooLong:
                violations.append("printed a line longer than \(ProcessTransport.maxLineBytes) bytes")
            }
        }
    }

    /// Says `bye` and gives the target a moment to exit; returns violations seen while waiting (late duplicates).
    func finish() {
        if let t = transport {
            if t.send(WireCodec.encode(WireRequest(id: nextId, op: "bye"))) {
                let deadline = Clock.now() + 2_000_000_000
                loop: while true {
                    switch t.readLine(deadline: deadline) {
                    case .line(let line):
                        if let r = try? WireCodec.decodeResponse(line), answered.contains(r.id) {
                            duplicateAnswers.append(r.id)
                            continue
                        }
                        break loop
                    default: break loop
                    }
                }
                _ = t.waitForExit(ms: 1000)
            }
        }
        stop()
    }

    func stop() {
        transport?.stop()
        transport = nil
    }
}
