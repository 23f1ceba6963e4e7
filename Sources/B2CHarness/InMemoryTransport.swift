/// A target that lives in the runner's process: what the harness writes is handed to a handler, and what the handler
/// returns is what the harness reads. Time is virtual: a read with nothing to deliver times out at once, so a unit
/// test of timeouts takes no time.
///
/// Wired to the reference device's sans-I/O core, it runs the whole runner — sessions, timeouts, retries,
/// classification, expectations, resume — with no process spawned.
public final class InMemoryTransport: ByteStreamTransport {
    /// What the peer does with bytes it received.
    public enum Reaction: Sendable, Equatable {
        /// Bytes for the harness to read.
        case send([UInt8])
        /// The peer ends; the text says how (`signal 6`).
        case close(String)
    }

    public typealias Handler = (_ received: [UInt8]) -> [Reaction]

    private let handler: Handler
    private var pending: [[UInt8]] = []
    private var ended: String?
    private var closedByHarness = false
    /// Everything the harness wrote, for tests.
    public private(set) var written: [UInt8] = []

    public init(handler: @escaping Handler) { self.handler = handler }

    public func write(_ bytes: [UInt8]) -> Bool {
        guard ended == nil, !closedByHarness else { return false }
        written += bytes
        for reaction in handler(bytes) {
            guard ended == nil else { break }
            switch reaction {
            case .send(let out): if !out.isEmpty { pending.append(out) }
            case .close(let how): ended = how
            }
        }
        return true
    }

    public func read(deadline: UInt64) -> StreamRead {
        if !pending.isEmpty { return .bytes(pending.removeFirst()) }
        if let ended { return .closed(ended) }
        return closedByHarness ? .closed("closed") : .timeout
    }

    public func endDescription() -> String? { ended }

    public func awaitEnd(milliseconds: Int) {}

    public func close() { closedByHarness = true }
}

/// Connects to a new in-memory peer each time: `makeHandler` is called once per connection (once per restart), so
/// each peer starts with fresh state, as a restarted process does.
public final class InMemoryConnector: TargetConnector {
    public let kind = "memory"
    private let makeHandler: () -> InMemoryTransport.Handler
    /// How many connections were made (1 + the restarts).
    public private(set) var connections = 0
    /// The transports made, newest last.
    public private(set) var transports: [InMemoryTransport] = []

    public init(makeHandler: @escaping () -> InMemoryTransport.Handler) { self.makeHandler = makeHandler }

    public func connect() throws(HarnessError) -> any ByteStreamTransport {
        connections += 1
        let t = InMemoryTransport(handler: makeHandler())
        transports.append(t)
        return t
    }
}

/// Two in-memory datagram endpoints wired to each other: what one sends, the other receives, whole.
public final class InMemoryDatagramTransport: DatagramTransport {
    private var inbox: [[UInt8]] = []
    private weak var peer: InMemoryDatagramTransport?
    private var closed = false
    /// The largest datagram accepted (a UDP payload's limit by default).
    public let maxDatagramBytes: Int

    init(maxDatagramBytes: Int) { self.maxDatagramBytes = maxDatagramBytes }

    /// A connected pair.
    public static func pair(maxDatagramBytes: Int = 65_507) -> (InMemoryDatagramTransport, InMemoryDatagramTransport) {
        let a = InMemoryDatagramTransport(maxDatagramBytes: maxDatagramBytes)
        let b = InMemoryDatagramTransport(maxDatagramBytes: maxDatagramBytes)
        a.peer = b
        b.peer = a
        return (a, b)
    }

    public func send(_ datagram: [UInt8]) -> Bool {
        guard !closed, datagram.count <= maxDatagramBytes, let peer, !peer.closed else { return false }
        peer.inbox.append(datagram)
        return true
    }

    public func receive(deadline: UInt64) -> DatagramRead {
        if !inbox.isEmpty { return .datagram(inbox.removeFirst()) }
        if closed || peer == nil || peer?.closed == true { return .closed("peer closed") }
        return .timeout
    }

    public func close() { closed = true }
}
