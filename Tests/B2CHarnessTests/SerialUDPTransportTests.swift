import B2CHarness
import B2CTTY
import B2CTestSupport
import B2CWire
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Reads from a non-blocking descriptor until `count` bytes came or a second passed.
private func readAll(_ fd: Int32, count: Int) -> [UInt8] {
    var out: [UInt8] = []
    let deadline = MonotonicClock.deadline(milliseconds: 1000)
    var buffer = [UInt8](repeating: 0, count: 4096)
    while out.count < count && MonotonicClock.now() < deadline {
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if n > 0 { out += buffer[0..<n] } else { usleep(2000) }
    }
    return out
}

private func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    var sent = 0
    while sent < bytes.count {
        let n = bytes[sent...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if n > 0 { sent += n } else { usleep(1000) }
    }
}

private func readStream(_ t: SerialTransport, count: Int) -> (bytes: [UInt8], end: StreamRead?) {
    var out: [UInt8] = []
    let deadline = MonotonicClock.deadline(milliseconds: 2000)
    while out.count < count {
        switch t.read(deadline: deadline) {
        case .bytes(let b): out += b
        case let other: return (out, other)
        }
    }
    return (out, nil)
}

@Suite("Serial and UDP transports")
struct SerialUDPTransportTests {
    /// Every byte value both ways, unchanged: raw mode translates nothing (no CR/LF mapping, no ^C, ^D or ^S).
    @Test("A pty opened as a serial line carries every byte value both ways, untranslated")
    func ptyRaw() throws {
        let pty = try PseudoTerminal.open()
        defer { close(pty.master) }
        let line = try SerialTransport(path: pty.slavePath, options: SerialOptions(baudrate: 115_200))
        defer { line.close() }
        let all = (0...255).map(UInt8.init) + [0x0d, 0x0a, 0x03, 0x04, 0x13, 0x11]
        writeAll(pty.master, all)
        let got = readStream(line, count: all.count)
        #expect(got.bytes == all)
        #expect(line.write(all.reversed()))
        #expect(readAll(pty.master, count: all.count) == all.reversed())
    }

    @Test("The line is opened exclusively, at the baud rate asked; an unknown rate is refused by name")
    func exclusiveAndBaud() throws {
        let pty = try PseudoTerminal.open()
        defer { close(pty.master) }
        let fd = try SerialLine.open(pty.slavePath)
        defer { close(fd) }
        try SerialLine.configure(fd, baud: 9600, path: pty.slavePath)
        try SerialLine.makeExclusive(fd, path: pty.slavePath)
        #expect(SerialLine.isExclusive(fd) == true)
        var t = termios()
        #expect(tcgetattr(fd, &t) == 0)
        #expect(cfgetospeed(&t) == speed_t(B9600) && cfgetispeed(&t) == speed_t(B9600))
        #expect(t.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8))
        #expect(t.c_cflag & tcflag_t(PARENB) == 0 && t.c_cflag & tcflag_t(CSTOPB) == 0)
        #expect(t.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0)
        #expect(throws: TTYError.self) { try SerialLine.configure(fd, baud: 12345, path: pty.slavePath) }
        do {
            try SerialLine.configure(fd, baud: 12345, path: pty.slavePath)
        } catch {
            #expect(error.reason.hasPrefix("\(pty.slavePath): 12345 baud is not a rate termios knows (1200, 2400"))
        }
        // A pty has no modem lines: a DTR/RTS pulse is refused with the path.
        #expect(throws: HarnessError.self) {
            try SerialTransport(path: pty.slavePath, options: SerialOptions(exclusive: false, resetLines: [.dtr]))
        }
    }

    @Test("The simulator's end going away reads as the line dropping, not a hang or a trap")
    func lineDrops() throws {
        let pty = try PseudoTerminal.open()
        let line = try SerialTransport(path: pty.slavePath, options: SerialOptions())
        defer { line.close() }
        writeAll(pty.master, [1, 2, 3])
        #expect(readStream(line, count: 3).bytes == [1, 2, 3])
        close(pty.master)
        let end = readStream(line, count: 1).end
        guard case .closed(let how) = end else {
            Issue.record("expected the line to close, got \(String(describing: end))")
            return
        }
        #expect(how.contains("EIO") || how.contains("hung up"), "\(how)")
        #expect(!line.write([1]))
        #expect(line.endDescription() == how)
    }

    @Test("A path that is no terminal, or does not exist, is one line naming it")
    func badPaths() {
        #expect(throws: HarnessError.self) { try SerialTransport(path: "/nonexistent/tty", options: SerialOptions()) }
        do {
            _ = try SerialTransport(path: "/dev/null", options: SerialOptions())
        } catch {
            #expect(error.reason.hasPrefix("/dev/null: not a terminal"), "\(error.reason)")
        }
    }

    @Test("UDP endpoints: HOST:PORT and [IPv6]:PORT, and what is wrong with anything else")
    func endpoints() throws {
        #expect(try UDPEndpoint(parsing: "127.0.0.1:1337") == UDPEndpoint(host: "127.0.0.1", port: 1337))
        #expect(try UDPEndpoint(parsing: "[::1]:1337") == UDPEndpoint(host: "::1", port: 1337))
        #expect(try UDPEndpoint(parsing: "board.local:1337").description == "board.local:1337")
        for (text, why) in [
            ("127.0.0.1", "no port"), ("::1:1337", "an IPv6 address needs brackets"), (":1337", "no host"),
            ("host:0", "the port must be 1 to 65535"), ("host:70000", "the port must be 1 to 65535"),
            ("[::1]1337", "no :PORT after the address"), ("[::1:1337", "no ] after the IPv6 address"),
        ] {
            do {
                _ = try UDPEndpoint(parsing: text)
                Issue.record("\(text) was accepted")
            } catch {
                #expect(error.reason == "\(text): \(why) (want HOST:PORT)")
            }
        }
    }

    @Test("UDP: one datagram each way, whole; an oversized one refused; nothing listening reads as closed")
    func udp() throws {
        // A plain socket on loopback plays the device.
        let server = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        // Closed once, below, before the port-unreachable check; a deferred second close would close whatever
        // descriptor another test has opened under the same number meanwhile.
        var serverOpen = true
        defer { if serverOpen { close(server) } }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(server, $0, length) == 0 }
        }
        #expect(bound)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(server, $0, &length) }
        }
        let port = UInt16(bigEndian: addr.sin_port)
        let t = try UDPTransport(UDPEndpoint(host: "127.0.0.1", port: port), maxDatagram: 2048)
        defer { t.close() }
        let message = (0..<1500).map { UInt8($0 % 251) }
        #expect(t.send(message))
        var buffer = [UInt8](repeating: 0, count: 4096)
        var peer = sockaddr_in()
        var peerLength = socklen_t(MemoryLayout<sockaddr_in>.size)
        let n = withUnsafeMutablePointer(to: &peer) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                buffer.withUnsafeMutableBytes { recvfrom(server, $0.baseAddress, $0.count, 0, sa, &peerLength) }
            }
        }
        #expect(Array(buffer[0..<max(0, n)]) == message)
        let reply: [UInt8] = [9, 8, 7]
        _ = withUnsafeMutablePointer(to: &peer) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                reply.withUnsafeBytes { sendto(server, $0.baseAddress, $0.count, 0, sa, peerLength) }
            }
        }
        #expect(t.receive(deadline: MonotonicClock.deadline(milliseconds: 2000)) == .datagram(reply))
        #expect(t.receive(deadline: MonotonicClock.deadline(milliseconds: 50)) == .timeout)
        #expect(!t.send([UInt8](repeating: 0, count: 2049)))

        // Nobody on the port: the kernel's port-unreachable closes the exchange.
        close(server)
        serverOpen = false
        let gone = try UDPTransport(UDPEndpoint(host: "127.0.0.1", port: port))
        defer { gone.close() }
        // The kernel sends at most one port-unreachable a second (icmp_ratelimit), and other tests may have used it:
        // send again until one comes back, for up to 5 s.
        var end: DatagramRead = .timeout
        let giveUp = MonotonicClock.deadline(milliseconds: 5000)
        while case .timeout = end, MonotonicClock.now() < giveUp {
            _ = gone.send([1])
            end = gone.receive(deadline: MonotonicClock.deadline(milliseconds: 500))
        }
        #expect(end == .closed("127.0.0.1:\(port): port unreachable (nothing listens there)"))
    }
}

/// A device simulator in Python (not b2c's code): opens a pty, prints the slave's path, echoes what it reads in
/// upper case; `bye` makes it exit, which drops the line.
private let echoDevice = """
    import os, sys, tty
    master, slave = os.openpty()
    tty.setraw(slave)
    print(os.ttyname(slave), flush=True)
    while True:
        data = os.read(master, 4096)
        if b"bye" in data:
            sys.exit(3)
        os.write(master, data.upper())
    """

extension SerialUDPTransportTests {
    @Test(
        "A serial target started by its command: the reset hook runs first, the printed path is opened, and the device ending drops the line"
    )
    func connectorStartsDevice() throws {
        let dir = tempDir("serial-connector")
        let marker = dir + "/reset-ran"
        let connector = SerialConnector(
            source: .command(["/usr/bin/python3", "-c", echoDevice], cwd: dir, environment: [:]),
            resetCommand: ["/bin/sh", "-c", "echo reset >> '\(marker)'"],
            logPath: dir + "/device.log"
        )
        let line = try connector.connect()
        defer { line.close() }
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == "reset\n")
        #expect(line.write(Array("hello".utf8)))
        var got: [UInt8] = []
        let deadline = MonotonicClock.deadline(milliseconds: 3000)
        while got.count < 5, case .bytes(let b) = line.read(deadline: deadline) { got += b }
        #expect(got == Array("HELLO".utf8))
        #expect(line.write(Array("bye".utf8)))
        var end: StreamRead = .timeout
        while true {
            end = line.read(deadline: MonotonicClock.deadline(milliseconds: 3000))
            if case .bytes = end { continue }
            break
        }
        guard case .closed(let how) = end else {
            Issue.record("the line did not drop: \(end)")
            return
        }
        #expect(how.contains("the device ended (exit 3)"), "\(how)")

        // A failing reset hook stops the connection with one line.
        let broken = SerialConnector(source: .path("/dev/null"), resetCommand: ["/bin/false"], logPath: dir + "/log")
        #expect {
            _ = try broken.connect()
        } throws: { error in
            (error as? HarnessError)?.reason.hasPrefix("reset command /bin/false exited 1") == true
        }
        // A device that prints something other than a path.
        let chatty = SerialConnector(
            source: .command(["/bin/echo", "booting..."], cwd: dir, environment: [:]),
            logPath: dir + "/log"
        )
        #expect {
            _ = try chatty.connect()
        } throws: { error in
            (error as? HarnessError)?.reason == "the device printed \"booting...\", not the path of its line"
        }
    }
}
