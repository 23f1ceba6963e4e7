import B2CWire
import CB2CSpawn
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A target process with pipes on stdin and stdout; its stderr goes to a log file.
///
/// Reads never block past a deadline (`poll`), a dead target shows up as end of file, and `close` always reaps the
/// child (its whole process group), so the runner survives whatever the target does.
final class ProcessTransport: ByteStreamTransport {
    let pid: pid_t
    private let stdinFD: Int32
    private let stdoutFD: Int32
    private var exited = false
    private var exitStatus: Int32 = 0
    private var stdinClosed = false
    private var stdoutClosed = false
    private(set) var reachedEOF = false
    /// The read buffer, allocated once per process rather than once per read.
    private var chunk = [UInt8](repeating: 0, count: 65536)
    /// The log the child's stderr goes to, and its length when the child started: what follows is this child's.
    private let stderrPath: String
    private let stderrStart: Int

    /// Starts `command` in `cwd`, with `environment` added to the runner's, stderr appended to `stderrPath`.
    init(command: [String], cwd: String, environment: [String: String], stderrPath: String) throws(HarnessError) {
        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        guard b2c_pipe_cloexec(&toChild) == 0, b2c_pipe_cloexec(&fromChild) == 0 else {
            throw HarnessError(.targetStart, "cannot create pipes: \(String(cString: strerror(errno)))")
        }
        let errFD = open(stderrPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard errFD >= 0 else {
            throw HarnessError(.output, "\(stderrPath): cannot open for the target's stderr")
        }
        defer { Glibc.close(errFD) }
        self.stderrPath = stderrPath
        self.stderrStart = Int(lseek(errFD, 0, SEEK_END))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errFD, 2)
        b2c_spawn_addchdir(&actions, cwd)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child gets default signal handling (the runner ignores SIGPIPE) and its own process group.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let envStrings = env.map { "\($0.key)=\($0.value)" }
        var child: pid_t = 0
        let status = withCStrings(command) { argv in
            withCStrings(envStrings) { envp in
                posix_spawnp(&child, command[0], &actions, &attributes, argv, envp)
            }
        }
        Glibc.close(toChild[0])
        Glibc.close(fromChild[1])
        guard status == 0 else {
            Glibc.close(toChild[1])
            Glibc.close(fromChild[0])
            throw HarnessError(
                .targetStart,
                "cannot start \(command[0]) in \(cwd): \(String(cString: strerror(status)))"
            )
        }
        pid = child
        stdinFD = toChild[1]
        stdoutFD = fromChild[0]
    }

    /// Runs a command to completion (for `prepare` steps), its output appended to `logPath`; returns the exit
    /// status (or 128 + signal).
    static func runToCompletion(
        _ command: [String],
        cwd: String,
        environment: [String: String],
        logPath: String
    ) throws(HarnessError) -> Int32 {
        let t = try ProcessTransport(command: command, cwd: cwd, environment: environment, stderrPath: logPath)
        t.closeStdin()
        // The step's stdout goes to the log too: read to its end, so a chatty step never blocks on a full pipe.
        let log = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        defer { if log >= 0 { Glibc.close(log) } }
        while case .bytes(let bytes) = t.read(deadline: UInt64.max) {
            if log >= 0 { FileDescriptorIO.writeAll(log, bytes) }
        }
        // Reading to the end may already have reaped the step.
        var status: Int32 = 0
        if let reaped = t.waitForExit(ms: 0) {
            status = reaped
        } else {
            while waitpid(t.pid, &status, 0) < 0 && errno == EINTR {}
            t.exited = true
            t.exitStatus = status
        }
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    deinit {
        close()
    }

    func closeStdin() {
        if !stdinClosed { Glibc.close(stdinFD) }
        stdinClosed = true
    }

    func write(_ bytes: [UInt8]) -> Bool {
        FileDescriptorIO.writeAll(stdinFD, bytes)
    }

    func read(deadline: UInt64) -> StreamRead {
        while true {
            if reachedEOF { return .closed(endDescription() ?? "stdout closed") }
            guard FileDescriptorIO.waitReadable(stdoutFD, until: deadline) else { return .timeout }
            let n = chunk.withUnsafeMutableBytes { Glibc.read(stdoutFD, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                reachedEOF = true
            } else {
                return .bytes(Array(chunk[0..<n]))
            }
        }
    }

    func awaitEnd(milliseconds: Int) { _ = waitForExit(ms: milliseconds) }

    /// A description of how the target ended, if it has (`exit 3`, `signal 6`), with the last line it wrote to
    /// stderr (a Python exception, an assertion) when there is one.
    func endDescription() -> String? {
        guard let status = reap() ?? waitForExit(ms: 200) else { return nil }
        let how = status & 0x7f == 0 ? "exit \((status >> 8) & 0xff)" : "signal \(status & 0x7f)"
        guard let said = lastStderrLine() else { return how }
        return how + ": " + said
    }

    /// Bytes of the stderr log read back for ``lastStderrLine()``, and the longest line it gives.
    static let stderrTailBytes = 65536
    static let stderrLineLimit = 160
    /// Where a runtime's crash report starts (Swift's backtracer, Rust's hint): what the program itself said last
    /// comes before it.
    static let crashReportMarkers = ["Program crashed", "*** Signal ", "note: run with `RUST_BACKTRACE"]

    /// The last non-blank line this child wrote to stderr before any runtime crash report, cut to
    /// ``stderrLineLimit`` characters.
    func lastStderrLine() -> String? {
        let fd = open(stderrPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Glibc.close(fd) }
        let end = Int(lseek(fd, 0, SEEK_END))
        let from = max(stderrStart, end - Self.stderrTailBytes)
        guard end > from else { return nil }
        var tail = [UInt8](repeating: 0, count: end - from)
        let n = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(from)) }
        guard n > 0 else { return nil }
        let text = String(decoding: tail[0..<n], as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
        let report = lines.firstIndex { line in Self.crashReportMarkers.contains { line.contains($0) } }
        let said = lines[..<(report ?? lines.endIndex)].last ?? report.map { lines[$0] }
        guard let said else { return nil }
        let trimmed = said.trimmingCharacters(in: .whitespaces)
        return trimmed.count <= Self.stderrLineLimit ? trimmed : String(trimmed.prefix(Self.stderrLineLimit)) + "…"
    }

    /// Waits up to `ms` for the target to exit by itself; returns its status if it did.
    func waitForExit(ms: Int) -> Int32? {
        let deadline = MonotonicClock.deadline(milliseconds: ms)
        while true {
            if let s = reap() { return s }
            if MonotonicClock.now() >= deadline { return nil }
            usleep(5000)
        }
    }

    private func reap() -> Int32? {
        if exited { return exitStatus }
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid {
            exited = true
            exitStatus = status
            return status
        }
        return nil
    }

    /// Kills the target's process group, reaps it and closes the pipes.
    func close() {
        closeStdin()
        if !stdoutClosed { Glibc.close(stdoutFD) }
        stdoutClosed = true
        if exited { return }
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        exited = true
        exitStatus = status
    }
}

private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return body(pointers + [nil])
}

/// Starts the descriptor's command as a process for each connection.
struct ProcessConnector: TargetConnector {
    let command: [String]
    let cwd: String
    let environment: [String: String]
    let stderrPath: String
    var kind: String { TargetDescriptor.Transport.processKind }

    func connect() throws(HarnessError) -> any ByteStreamTransport {
        try ProcessTransport(command: command, cwd: cwd, environment: environment, stderrPath: stderrPath)
    }
}
