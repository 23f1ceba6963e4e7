extension TargetDescriptor.Transport {
    /// How the runner reaches a target of this transport: the one place a new kind (pty or serial, UDP, TCP/TLS)
    /// is wired in, so the runner and the session never change for it.
    func connector(stderrPath: String) -> any TargetConnector {
        switch self {
        case .process(let command, let cwd, let environment):
            ProcessConnector(command: command, cwd: cwd, environment: environment, stderrPath: stderrPath)
        case .channelsOnly:
            NoWireConnector()
        }
    }

    /// The environment `prepare` steps run with: the process's additions, or none.
    var environment: [String: String] {
        switch self {
        case .process(_, _, let environment): environment
        case .channelsOnly: [:]
        }
    }
}

/// The wire connector of a target that has none: connecting says so.
struct NoWireConnector: TargetConnector {
    var kind: String { "none" }
    func connect() throws(HarnessError) -> any ByteStreamTransport {
        throw HarnessError(.targetStart, "the target has no wire-protocol transport, only native channels")
    }
}
