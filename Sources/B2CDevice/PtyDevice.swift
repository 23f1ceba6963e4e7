import B2CTTY
import B2CWire

#if canImport(Glibc)
    import Glibc
#endif

/// The line rate of a serial link, as a budget of bytes: a UART at `baud` moves `baud / 10` bytes a second (a start
/// bit, 8 data bits, a stop bit). A simulated device paces what it reads and writes with one of these, so a client's
/// speed over its pty is the speed it would have over that UART. Sans-I/O: time is given in nanoseconds.
package struct LinePacer: Sendable, Equatable {
    package let bytesPerSecond: Int
    /// At most this many bytes may go at once after a pause (a UART's FIFO, not a second's worth).
    package let burst: Int
    private var credit: Double
    private var last: UInt64?

    package init(baud: Int, burst: Int = 64) {
        bytesPerSecond = max(1, baud / 10)
        self.burst = max(1, burst)
        credit = Double(self.burst)
    }

    /// How many bytes may move now.
    package mutating func allowance(now: UInt64) -> Int {
        if let last, now > last {
            credit = min(Double(burst), credit + Double(now - last) * Double(bytesPerSecond) / 1e9)
        }
        last = now
        return Int(credit)
    }

    /// Records that `count` bytes moved.
    package mutating func spend(_ count: Int) { credit -= Double(count) }

    /// Nanoseconds until `count` more bytes may move (0 if they may now).
    package func wait(for count: Int) -> UInt64 {
        let missing = Double(min(count, burst)) - credit
        return missing <= 0 ? 0 : UInt64((missing * 1e9 / Double(bytesPerSecond)).rounded(.up))
    }
}

/// Anything a device serves over a byte line: bytes in, actions out (the SMP server; an echo in tests).
package protocol LineService {
    mutating func receive(_ bytes: [UInt8]) -> [DeviceCore.Action]
}

/// A simulated device on a pseudo-terminal: it prints the slave's path (or makes `link` a symlink to it) and
/// serves `service` on the master, paced to `baud` when given. It keeps its own descriptor on the slave, so clients
/// can open and close the port as they would a board's without the device seeing a hang-up.
package struct PtyDevice<Service: LineService> {
    package var service: Service
    package var baud: Int?
    package var link: String?

    package init(service: Service, baud: Int?, link: String?) {
        self.service = service
        self.baud = baud
        self.link = link
    }

    /// Serves until a signal ends the process, or the service says exit; returns the exit status.
    package mutating func serve(announce: (String) -> Void) -> Int32 {
        let pty: PseudoTerminal
        do {
            pty = try PseudoTerminal.open()
        } catch {
            announce("")
            return 1
        }
        let keep = open(pty.slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
        defer {
            if keep >= 0 { close(keep) }
            close(pty.master)
        }
        if let link {
            unlink(link)
            guard symlink(pty.slavePath, link) == 0 else { return 1 }
        }
        announce(link ?? pty.slavePath)
        var reader = baud.map { LinePacer(baud: $0) }
        var writer = baud.map { LinePacer(baud: $0) }
        var outgoing: [UInt8] = []
        var sent = 0
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let now = MonotonicClock.now()
            // Write what the pacer allows.
            if sent < outgoing.count {
                var may = outgoing.count - sent
                if writer != nil { may = min(may, writer?.allowance(now: now) ?? 0) }
                if may > 0 {
                    let n = outgoing[sent..<(sent + may)].withUnsafeBytes {
                        write(pty.master, $0.baseAddress, $0.count)
                    }
                    if n > 0 {
                        sent += n
                        writer?.spend(n)
                    }
                }
                if sent == outgoing.count {
                    outgoing.removeAll(keepingCapacity: true)
                    sent = 0
                }
            }
            // Read what the pacer allows (what is not read stays in the pty, holding the client back as a UART would).
            let room = reader != nil ? (reader?.allowance(now: now) ?? 0) : chunk.count
            var pfd = pollfd(fd: pty.master, events: Int16(POLLIN), revents: 0)
            let idle = sent < outgoing.count || room == 0
            _ = poll(&pfd, 1, idle ? 1 : 20)
            guard room > 0, pfd.revents & Int16(POLLIN) != 0 else { continue }
            let n = chunk.withUnsafeMutableBytes { read(pty.master, $0.baseAddress, min(room, $0.count)) }
            guard n > 0 else { continue }
            reader?.spend(n)
            for action in service.receive(Array(chunk[0..<n])) {
                switch action {
                case .write(let bytes): outgoing += bytes
                case .log(let message): FileDescriptorIO.writeAll(2, Array("b2c-device: \(message)\n".utf8))
                case .sleep(let ms): usleep(UInt32(max(0, min(ms, 60_000))) * 1000)
                case .exit: return 0
                case .crash: abort()
                case .hang: while true { sleep(3600) }
                }
            }
        }
    }
}
