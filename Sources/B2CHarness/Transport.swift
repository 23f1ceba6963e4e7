import B2CWire

#if canImport(Glibc)
    import Glibc
#endif

/// What a read from a byte stream gave before its deadline.
public enum StreamRead: Sendable, Equatable {
    /// Some bytes (never empty).
    case bytes([UInt8])
    /// Nothing arrived before the deadline.
    case timeout
    /// The peer is gone: its process ended or its connection closed; the text says how (`exit 3`, `signal 6`).
    case closed(String)
}

/// A reliable, ordered byte stream to a target: a process's stdin and stdout, an in-memory peer, and later a pty or
/// serial line, a TCP or TLS connection.
///
/// The harness never blocks past a deadline on a transport, and a dead peer is an answer (``StreamRead/closed(_:)``),
/// never a trap, so a run survives whatever the target does. Framing is not the transport's business: the session
/// above it runs a sans-I/O framer (`LineFramer`) over what it reads.
public protocol ByteStreamTransport: AnyObject {
    /// Writes all of `bytes`; false if the peer stopped taking them.
    func write(_ bytes: [UInt8]) -> Bool
    /// The next bytes, or why there are none before `deadline` (monotonic nanoseconds, ``MonotonicClock``).
    func read(deadline: UInt64) -> StreamRead
    /// How the peer ended, if it has; nil while it runs.
    func endDescription() -> String?
    /// Gives the peer up to `milliseconds` to end by itself (after `bye`).
    func awaitEnd(milliseconds: Int)
    /// Ends the peer and releases the transport; safe to call twice.
    func close()
}

/// What a receive on a datagram transport gave before its deadline.
public enum DatagramRead: Sendable, Equatable {
    case datagram([UInt8])
    case timeout
    case closed(String)
}

/// A message-oriented transport (UDP, a BLE characteristic): each send is one datagram, delivered whole or not at
/// all, possibly out of order. SMP over UDP will run on this; the in-memory pair tests what sits above it.
public protocol DatagramTransport: AnyObject {
    /// Sends one datagram; false if the transport is closed or the datagram too large.
    func send(_ datagram: [UInt8]) -> Bool
    /// The next datagram, or why there is none before `deadline`.
    func receive(deadline: UInt64) -> DatagramRead
    func close()
}

/// Starts (and restarts, after a crash or a timeout) the connection to one target.
public protocol TargetConnector {
    /// The transport's kind as reports name it (`process`, `memory`).
    var kind: String { get }
    /// A fresh connection to a freshly started target.
    func connect() throws(HarnessError) -> any ByteStreamTransport
}
