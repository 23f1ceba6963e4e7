import B2CWire

#if canImport(Glibc)
    import Glibc
#endif

/// A usage or input problem of a `b2c` command: one line naming what and where. `main` prints it and exits 2.
struct CLIError: Error, Sendable, CustomStringConvertible {
    let message: String
    /// Where it was thrown.
    let file: String
    let line: UInt

    init(_ message: String, file: String = #fileID, line: UInt = #line) {
        self.message = message
        self.file = file
        self.line = line
    }

    var description: String { message }
}

/// Unbuffered writes to stdout and stderr (no shared `FILE*` state).
enum Console {
    static func out(_ s: String) { FileDescriptorIO.writeAll(1, Array(s.utf8)) }
    static func err(_ s: String) { FileDescriptorIO.writeAll(2, Array(s.utf8)) }
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }
}
