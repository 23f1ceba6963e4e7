extension TargetDescriptor.Transport {
    /// How the runner reaches a target of this transport: the one place a new kind (pty or serial, UDP, TCP/TLS)
    /// is wired in, so the runner and the session never change for it.
    func connector(stderrPath: String) -> any TargetConnector {
        switch self {
        case .process(let command, let cwd, let environment):
            ProcessConnector(command: command, cwd: cwd, environment: environment, stderrPath: stderrPath)
        }
    }

    /// The environment `prepare` steps run with: the process's additions, or none.
    var environment: [String: String] {
        switch self {
        case .process(_, _, let environment): environment
        }
    }
}
