import B2CWire

/// One running target speaking the wire protocol over a byte stream: hello, requests one at a time, bye.
final class WireSession: TargetSession {
    let name: String
    let connector: any TargetConnector
    let seed: String
    let perCaseTimeoutMs: Int
    let startupTimeoutMs: Int
    /// Where the target's own log goes, for error messages.
    let logHint: String
    /// The descriptor's capability parameters, applied over `hello`'s.
    var capabilityOverrides: [String: [String: JSONValue]] = [:]
    private var transport: (any ByteStreamTransport)?
    private var framer = LineFramer(maxLineBytes: WireSession.maxLineBytes)
    private var nextId: Int64 = 1
    /// The id of the last request sent.
    private(set) var lastRequestId: Int64 = 0
    private var answered = Set<Int64>()
    /// Ids of earlier requests that the target answered again; the runner amends those cases.
    var duplicateAnswers: [Int64] = []
    private(set) var hello: HelloInfo?

    /// Lines longer than this are a protocol violation, not an allocation.
    static let maxLineBytes = 64 << 20

    init(
        name: String,
        connector: any TargetConnector,
        seed: String,
        perCaseTimeoutMs: Int,
        startupTimeoutMs: Int,
        logHint: String
    ) {
        self.name = name
        self.connector = connector
        self.seed = seed
        self.perCaseTimeoutMs = perCaseTimeoutMs
        self.startupTimeoutMs = startupTimeoutMs
        self.logHint = logHint
    }

    /// What the framer and the transport give next: a line, or why there is none.
    private enum Next {
        case line([UInt8])
        case tooLong
        case timeout
        case closed(String)
    }

    private func next(_ t: any ByteStreamTransport, deadline: UInt64) -> Next {
        while true {
            switch framer.next() {
            case .line(let line): return .line(line)
            case .overlong: return .tooLong
            case nil: break
            }
            switch t.read(deadline: deadline) {
            case .bytes(let bytes): framer.append(bytes)
            case .timeout: return .timeout
            case .closed(let how):
                if let last = framer.finish(), case .line(let line) = last { return .line(line) }
                return .closed(how)
            }
        }
    }

    /// Connects to a fresh target and exchanges `hello`.
    @discardableResult
    func start() throws(HarnessError) -> HelloInfo {
        stop()
        let t: any ByteStreamTransport
        do {
            t = try connector.connect()
        } catch {
            throw HarnessError(error.code, "target \(name): \(error.reason)")
        }
        transport = t
        framer = LineFramer(maxLineBytes: Self.maxLineBytes)
        let args: [String: JSONValue] = [
            "protocols": .array([.int(wireProtocolVersion)]), "seed": .string(seed), "runner": .string("b2c"),
        ]
        func fail(_ why: String) -> HarnessError { HarnessError(.targetStart, "target \(name) \(why)") }
        guard t.write(WireCodec.encode(WireRequest(id: 0, op: "hello", args: args)) + [0x0a]) else {
            throw fail("exited before hello (see \(logHint))")
        }
        let deadline = MonotonicClock.deadline(milliseconds: startupTimeoutMs)
        switch next(t, deadline: deadline) {
        case .line(let line):
            guard !line.isEmpty, let response = try? WireCodec.decodeResponse(line), response.id == 0 else {
                throw fail("answered hello with a line that is not its response: " + WireCodec.preview(line))
            }
            guard case .ok(let fields) = response.body else { throw fail("refused hello: \(response.body)") }
            guard fields["protocol"]?.intValue == wireProtocolVersion else {
                throw fail("chose a protocol other than \(wireProtocolVersion) in hello")
            }
            guard let capabilities = fields["capabilities"]?.objectValue else {
                throw fail("answered hello without a \"capabilities\" object")
            }
            // The descriptor's word on a declared operation's parameters replaces the target's own.
            var declared = capabilities
            for (op, parameters) in capabilityOverrides {
                guard var cap = declared[op]?.objectValue else { continue }
                for (k, v) in parameters { cap[k] = v }
                declared[op] = .object(cap)
            }
            let impl = fields["implementation"]?.objectValue
            let info = HelloInfo(
                implementation: impl?["name"]?.stringValue ?? name,
                version: impl?["version"]?.stringValue ?? "",
                capabilities: declared
            )
            hello = info
            return info
        case .timeout:
            throw fail("did not answer hello within \(startupTimeoutMs) ms")
        case .closed(let how):
            throw fail("exited before answering hello (\(how); see \(logHint))")
        case .tooLong:
            throw fail("answered hello with an over-long line")
        }
    }

    /// Sends one request and waits for its answer until the per-case timeout.
    func call(op: String, args: [String: JSONValue]) -> Exchange {
        guard let t = transport else { return .crashed("not running", violations: []) }
        let id = nextId
        nextId += 1
        lastRequestId = id
        guard t.write(WireCodec.encode(WireRequest(id: id, op: op, args: args)) + [0x0a]) else {
            return .crashed(t.endDescription() ?? "stdin closed", violations: [])
        }
        var violations: [String] = []
        let deadline = MonotonicClock.deadline(milliseconds: perCaseTimeoutMs)
        while true {
            switch next(t, deadline: deadline) {
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
            case .closed(let how):
                return .crashed(how, violations: violations)
            case .tooLong:
                violations.append("printed a line longer than \(Self.maxLineBytes) bytes")
            }
        }
    }

    /// Says `bye` and gives the target a moment to exit, noting late duplicate answers.
    func finish() {
        if let t = transport, t.write(WireCodec.encode(WireRequest(id: nextId, op: "bye")) + [0x0a]) {
            let deadline = MonotonicClock.deadline(milliseconds: 2000)
            while case .line(let line) = next(t, deadline: deadline) {
                guard let r = try? WireCodec.decodeResponse(line), answered.contains(r.id) else { break }
                duplicateAnswers.append(r.id)
            }
            t.awaitEnd(milliseconds: 1000)
        }
        stop()
    }

    func stop() {
        transport?.close()
        transport = nil
    }
}
