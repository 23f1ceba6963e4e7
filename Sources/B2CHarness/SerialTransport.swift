import B2CTTY
import B2CWire

#if canImport(Glibc)
    import Glibc
#endif

/// A serial line as a byte stream: a board's UART or USB CDC port, or the slave end of a pseudo-terminal that a
/// simulated device drives. Raw 8N1 at the given baud rate, opened exclusively.
///
/// The line dropping (a USB port unplugged, the simulator's pty closed: `EIO` or a hang-up) ends the stream
/// (``StreamRead/closed(_:)`` saying so), never a trap; the device that started the line, if the transport owns one,
/// is ended with it.
public final class SerialTransport: ByteStreamTransport {
    public let path: String
    private let fd: Int32
    private var closed = false
    private var ended: String?
    private var chunk = [UInt8](repeating: 0, count: 4096)
    /// The process that opened the line (a simulator started by the descriptor), ended with the transport.
    private let owner: ProcessTransport?
    /// How long a write may wait for the line to take bytes before the peer counts as gone.
    static let writeStallMs = 30_000

    /// Opens `path` as the options say. `owner` is the process behind the line, if the transport started it.
    public convenience init(path: String, options: SerialOptions) throws(HarnessError) {
        try self.init(path: path, options: options, owner: nil)
    }

    init(path: String, options: SerialOptions, owner: ProcessTransport?) throws(HarnessError) {
        self.path = path
        self.owner = owner
        do {
            fd = try SerialLine.open(path)
        } catch {
            throw HarnessError(.targetStart, error.reason)
        }
        do {
            try SerialLine.configure(fd, baud: options.baudrate, path: path)
            if options.exclusive { try SerialLine.makeExclusive(fd, path: path) }
            if !options.resetLines.isEmpty {
                try SerialLine.pulse(fd, options.resetLines, milliseconds: options.resetPulseMs, path: path)
            }
        } catch {
            Glibc.close(fd)
            throw HarnessError(.targetStart, error.reason)
        }
    }

    deinit { close() }

    public func write(_ bytes: [UInt8]) -> Bool {
        guard !closed, ended == nil else { return false }
        var sent = 0
        var stallDeadline = MonotonicClock.deadline(milliseconds: Self.writeStallMs)
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.write(fd, base + sent, raw.count - sent)
            }
            if n > 0 {
                sent += n
                stallDeadline = MonotonicClock.deadline(milliseconds: Self.writeStallMs)
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                if MonotonicClock.now() >= stallDeadline {
                    ended = "the line took no bytes for \(Self.writeStallMs / 1000) s"
                    return false
                }
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&pfd, 1, 100)
                continue
            }
            ended = dropped(errno)
            return false
        }
        return true
    }

    public func read(deadline: UInt64) -> StreamRead {
        while true {
            if let ended { return .closed(ended) }
            if closed { return .closed("closed") }
            guard FileDescriptorIO.waitReadable(fd, until: deadline) else { return .timeout }
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 { return .bytes(Array(chunk[0..<n])) }
            if n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) { continue }
            // A hang-up reads as end of file or EIO; either way the line is gone.
            ended = n == 0 ? dropped("the line hung up") : dropped(errno)
        }
    }

    private func dropped(_ code: Int32) -> String {
        dropped(code == EIO ? "the line dropped (EIO)" : "the line failed: \(String(cString: strerror(code)))")
    }

    /// `how`, and how the device behind the line ended when the transport started it and it has.
    private func dropped(_ how: String) -> String {
        guard let owner, let end = owner.endDescription() else { return how }
        return how + "; the device ended (\(end))"
    }

    public func endDescription() -> String? { ended }

    public func awaitEnd(milliseconds: Int) { owner?.awaitEnd(milliseconds: milliseconds) }

    public func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
        owner?.close()
    }
}

/// How a serial line is opened.
public struct SerialOptions: Sendable, Equatable {
    public var baudrate: Int
    /// TIOCEXCL, so no console or second run shares the line.
    public var exclusive: Bool
    /// Pulsed on connect (a board whose reset hangs on DTR or RTS); empty: none.
    public var resetLines: SerialLine.ModemLines
    public var resetPulseMs: Int

    public init(
        baudrate: Int = 115_200,
        exclusive: Bool = true,
        resetLines: SerialLine.ModemLines = [],
        resetPulseMs: Int = 100
    ) {
        self.baudrate = baudrate
        self.exclusive = exclusive
        self.resetLines = resetLines
        self.resetPulseMs = resetPulseMs
    }
}

/// The baud rates a descriptor or a command line may name.
public enum SerialLineRates {
    public static var known: Set<Int> { Set(SerialLine.speeds.keys) }
    public static var list: String { SerialLine.speeds.keys.sorted().map(String.init).joined(separator: ", ") }
}
