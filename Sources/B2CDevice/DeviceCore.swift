import B2CArea
import B2CHex
import B2CWire

/// The reference device's protocol loop, sans-I/O: bytes from the runner go in, and what the device does comes out
/// as actions (write a line, log, exit, or a misbehaviour). The stdio server and the harness's in-memory tests drive
/// the same core, so the device a unit test talks to is the device `b2c run` talks to.
package struct DeviceCore: Sendable {
    /// What the device does next.
    package enum Action: Sendable, Equatable {
        /// Write these bytes (one protocol line with its newline) to the runner.
        case write([UInt8])
        /// A line for the device's stderr.
        case log(String)
        /// Wait before the next action.
        case sleep(milliseconds: Int)
        /// Stop serving, as after `bye` or a silent exit.
        case exit
        /// Die abnormally (`abort()` on a real process).
        case crash
        /// Never answer again.
        case hang
    }

    package let registry: AreaRegistry
    package let violations: ViolationSet
    package let misbehaviours: [[UInt8]: Misbehaviour]
    /// Delay before every answer (for tests that need a run to take a while).
    package let delayMs: Int
    private var framer = LineFramer(maxLineBytes: DeviceCore.maxLineBytes)
    private var stopped = false

    /// The longest request line the device reads, as it declares in `hello`.
    package static let maxLineBytes = 16 << 20

    package init(
        registry: AreaRegistry,
        violations: ViolationSet = ViolationSet(),
        misbehaviours: [[UInt8]: Misbehaviour] = [:],
        delayMs: Int = 0
    ) {
        self.registry = registry
        self.violations = violations
        self.misbehaviours = misbehaviours
        self.delayMs = delayMs
    }

    /// The actions for bytes received from the runner. After `exit`, `crash` or `hang`, nothing more happens.
    package mutating func receive(_ bytes: some Sequence<UInt8>) -> [Action] {
        guard !stopped else { return [] }
        framer.append(bytes)
        var actions: [Action] = []
        while !stopped, let frame = framer.next() { actions += handle(frame) }
        return actions
    }

    /// The actions at end of input: a last unterminated line is still served.
    package mutating func endOfInput() -> [Action] {
        guard !stopped else { return [] }
        var actions: [Action] = []
        while !stopped, let frame = framer.next() { actions += handle(frame) }
        if !stopped, let frame = framer.finish() { actions += handle(frame) }
        stopped = true
        return actions
    }

    private mutating func handle(_ frame: LineFramer.Frame) -> [Action] {
        guard case .line(let line) = frame else {
            return [.log("dropped a request line over \(Self.maxLineBytes) bytes")]
        }
        if line.isEmpty { return [] }
        let request: WireRequest
        do {
            request = try WireCodec.decodeRequest(line)
        } catch {
            return [.log("bad request line: \(error)")]
        }
        if request.op == "bye" {
            stopped = true
            return [answer(request.id, .ok([:])), .exit]
        }
        if let data = request.args["data"]?.stringValue.flatMap(Hex.decode), let kind = misbehaviours[data] {
            return misbehave(kind, request)
        }
        let reply = answer(request.id, handle(request))
        return delayMs > 0 ? [.sleep(milliseconds: delayMs), reply] : [reply]
    }

    /// The answer body for one request.
    package func handle(_ request: WireRequest) -> WireResponse.Body {
        if request.op == "hello" { return hello }
        guard let operation = registry.operation(request.op) else {
            return .unsupported(reason: "operation \(request.op) is not implemented")
        }
        return operation.handle(request.args, violations)
    }

    private var hello: WireResponse.Body {
        .ok([
            "protocol": .int(wireProtocolVersion),
            "implementation": .object([
                "name": .string(ReferenceDevice.name), "version": .string(ReferenceDevice.version),
            ]),
            "capabilities": .object(registry.capabilities),
            "limits": .object(["maxLineBytes": .int(Int64(Self.maxLineBytes)), "maxInFlight": .int(1)]),
            "violations": .array(violations.ids.sorted().map { .string($0) }),
        ])
    }

    private func answer(_ id: Int64, _ body: WireResponse.Body) -> Action {
        .write(WireCodec.encode(WireResponse(id: id, body: body)) + [0x0a])
    }

    private mutating func misbehave(_ kind: Misbehaviour, _ request: WireRequest) -> [Action] {
        switch kind {
        case .crash:
            stopped = true
            return [.log("misbehaving: crash"), .crash]
        case .silentExit:
            stopped = true
            return [.exit]
        case .hang:
            stopped = true
            return [.hang]
        case .garbage:
            return [.write(Array("this is not json\n".utf8))]
        case .twice:
            return [answer(request.id, handle(request)), answer(request.id, handle(request))]
        case .wrongId:
            return [answer(request.id + 1000, handle(request))]
        case .slow:
            return [.sleep(milliseconds: 300), answer(request.id, handle(request))]
        }
    }
}

/// Wire-protocol misbehaviours, each triggered by one input (`--misbehave KIND:HEX`).
package enum Misbehaviour: String, CaseIterable, Sendable {
    case crash, hang, garbage, twice, wrongId = "wrong-id", silentExit = "silent-exit", slow
}
