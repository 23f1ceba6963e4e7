import B2CArea
import B2CAreas
import B2CDevice
import B2CHarness

/// A connector to the reference device's core in this process, one fresh device per connection: what a process
/// target does (answers, crashes, hangs, exits) becomes the in-memory transport's reactions, so the runner is tested
/// end to end without spawning anything.
package func inMemoryDevice(
    registry: AreaRegistry = BuiltInAreas.registry,
    violations: Set<String> = [],
    misbehaviours: [[UInt8]: Misbehaviour] = [:]
) -> InMemoryConnector {
    InMemoryConnector {
        var core = DeviceCore(registry: registry, violations: ViolationSet(violations), misbehaviours: misbehaviours)
        return { bytes in
            core.receive(bytes).compactMap { action -> InMemoryTransport.Reaction? in
                switch action {
                case .write(let out): .send(out)
                case .exit: .close("exit 0")
                case .crash: .close("signal 6")
                case .log, .sleep, .hang: nil
                }
            }
        }
    }
}

/// A target descriptor for in-memory runs (its transport is never started: the runner gets a connector).
package func inMemoryDescriptor(
    name: String = "in-memory",
    looseErrorCodes: Bool = false,
    expectationsPath: String? = nil
) -> TargetDescriptor {
    TargetDescriptor(
        name: name,
        transport: .process(command: ["/nonexistent"], cwd: "/", environment: [:]),
        workingDirectory: "/",
        looseErrorCodes: looseErrorCodes,
        perCaseTimeoutMs: 50,
        startupTimeoutMs: 50,
        expectationsPath: expectationsPath
    )
}
