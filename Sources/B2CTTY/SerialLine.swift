import CB2CTTY

#if canImport(Glibc)
    import Glibc
#endif

/// Why a serial line or pseudo-terminal could not be set up, in one line naming the path.
public struct TTYError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }

    /// `what` failed on `path` with the current `errno`.
    static func errno(_ what: String, _ path: String) -> TTYError {
        TTYError("\(path): \(what): \(String(cString: strerror(Glibc.errno)))")
    }
}

/// A serial line as SMP and board farms use it: raw 8N1 at a standard baud rate, no flow control, opened
/// exclusively, with the modem lines (DTR, RTS) a board's reset or boot pins may hang on.
public enum SerialLine {
    /// The baud rates termios names, to their `speed_t`.
    public static let speeds: [Int: speed_t] = [
        1200: speed_t(B1200), 2400: speed_t(B2400), 4800: speed_t(B4800), 9600: speed_t(B9600),
        19200: speed_t(B19200), 38400: speed_t(B38400), 57600: speed_t(B57600), 115_200: speed_t(B115200),
        230_400: speed_t(B230400), 460_800: speed_t(B460800), 500_000: speed_t(B500000),
        576_000: speed_t(B576000), 921_600: speed_t(B921600), 1_000_000: speed_t(B1000000),
        1_152_000: speed_t(B1152000), 1_500_000: speed_t(B1500000), 2_000_000: speed_t(B2000000),
        2_500_000: speed_t(B2500000), 3_000_000: speed_t(B3000000), 3_500_000: speed_t(B3500000),
        4_000_000: speed_t(B4000000),
    ]

    /// Opens `path` read-write, non-blocking, without making it the controlling terminal, close-on-exec.
    public static func open(_ path: String) throws(TTYError) -> Int32 {
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .errno("cannot open", path) }
        return fd
    }

    /// Raw mode (no echo, no line editing, no CR/LF translation, no signals), 8 data bits, no parity, one stop bit,
    /// no flow control, the receiver on, modem status ignored; `baud` both ways. Pending input and output are
    /// discarded, so a board's boot chatter from before the open is not read as an answer.
    public static func configure(_ fd: Int32, baud: Int, path: String) throws(TTYError) {
        guard let speed = speeds[baud] else {
            let known = speeds.keys.sorted().map(String.init).joined(separator: ", ")
            throw TTYError("\(path): \(baud) baud is not a rate termios knows (\(known))")
        }
        var t = termios()
        guard tcgetattr(fd, &t) == 0 else { throw .errno("not a terminal", path) }
        cfmakeraw(&t)
        t.c_cflag &= ~(tcflag_t(CSIZE | PARENB | CSTOPB) | tcflag_t(CRTSCTS))
        t.c_cflag |= tcflag_t(CS8 | CLOCAL | CREAD)
        t.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        // Reads return what is there (the transport polls): VMIN 0, VTIME 0.
        withUnsafeMutableBytes(of: &t.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard cfsetispeed(&t, speed) == 0, cfsetospeed(&t, speed) == 0 else {
            throw .errno("cannot set the speed", path)
        }
        guard tcsetattr(fd, TCSANOW, &t) == 0 else { throw .errno("cannot set raw 8N1", path) }
        tcflush(fd, TCIOFLUSH)
    }

    /// TIOCEXCL: a second program opening the line (a console, another run) fails instead of stealing bytes.
    public static func makeExclusive(_ fd: Int32, path: String) throws(TTYError) {
        guard b2c_tty_exclusive(fd) == 0 else { throw .errno("cannot open exclusively", path) }
    }

    /// Whether the line is in exclusive mode (TIOCGEXCL), or nil when the driver cannot tell.
    public static func isExclusive(_ fd: Int32) -> Bool? {
        let r = b2c_tty_is_exclusive(fd)
        return r < 0 ? nil : r == 1
    }

    /// The modem control lines a reset circuit may use.
    public struct ModemLines: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        public static let dtr = ModemLines(rawValue: b2c_tty_dtr_bit())
        public static let rts = ModemLines(rawValue: b2c_tty_rts_bit())
    }

    /// Asserts `lines`, waits `milliseconds`, releases them: the reset pulse of boards whose reset (or boot mode) pin
    /// hangs on DTR or RTS. A pseudo-terminal has no modem lines; that is an error the caller may ignore.
    public static func pulse(_ fd: Int32, _ lines: ModemLines, milliseconds: Int, path: String) throws(TTYError) {
        guard b2c_tty_modem(fd, lines.rawValue, 1) == 0 else { throw .errno("cannot assert DTR/RTS", path) }
        usleep(UInt32(max(0, min(milliseconds, 10_000))) * 1000)
        guard b2c_tty_modem(fd, lines.rawValue, 0) == 0 else { throw .errno("cannot release DTR/RTS", path) }
    }

    /// Bytes written to the line and not yet sent (the kernel's output queue), or nil when the driver cannot tell.
    public static func outputPending(_ fd: Int32) -> Int? {
        let n = b2c_tty_output_pending(fd)
        return n < 0 ? nil : Int(n)
    }
}

/// A pseudo-terminal: the master end a simulated device (or a test) drives, and the path of the slave end a client
/// opens as it would a serial port.
public struct PseudoTerminal: Sendable {
    public let master: Int32
    public let slavePath: String

    /// A new pair; the master is non-blocking and close-on-exec, and the slave is put in raw mode so nothing the
    /// device writes is translated.
    public static func open() throws(TTYError) -> PseudoTerminal {
        var name = [CChar](repeating: 0, count: 128)
        let master = b2c_pty_open(&name, UInt(name.count))
        guard master >= 0 else { throw .errno("cannot open a pseudo-terminal", "/dev/ptmx") }
        let flags = fcntl(master, F_GETFL)
        _ = fcntl(master, F_SETFL, flags | O_NONBLOCK)
        let path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // Raw mode on the slave side, through a short-lived descriptor.
        let slave = Glibc.open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        if slave >= 0 {
            var t = termios()
            if tcgetattr(slave, &t) == 0 {
                cfmakeraw(&t)
                tcsetattr(slave, TCSANOW, &t)
            }
            Glibc.close(slave)
        }
        return PseudoTerminal(master: master, slavePath: path)
    }
}
