import B2CHarness
import B2CTTY

#if canImport(Glibc)
    import Glibc
#endif

/// A pty whose master the test writes as the device would, and a SerialTransport on its slave for the client.
struct PseudoTerminalPair {
    let pty: PseudoTerminal
    let line: SerialTransport

    init() throws {
        pty = try PseudoTerminal.open()
        line = try SerialTransport(path: pty.slavePath, options: SerialOptions())
    }

    func deviceWrites(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(pty.master, $0.baseAddress, $0.count) }
            if n > 0 { sent += n } else { usleep(1000) }
        }
    }

    func close() {
        line.close()
        Glibc.close(pty.master)
    }
}
