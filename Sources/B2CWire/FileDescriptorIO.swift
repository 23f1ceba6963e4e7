#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes to POSIX file descriptors without stdio buffering, for protocol lines and console output alike.
public enum FileDescriptorIO {
    /// Waits until `fd` has something to read (or an end or an error, which the next read reports) or `deadline`
    /// (``MonotonicClock`` nanoseconds) passes: true when it is readable, false at the deadline. Polls in slices of
    /// at most a second and retries interruptions, so a caller's loop sees its deadline even on a quiet descriptor.
    public static func waitReadable(_ fd: Int32, until deadline: UInt64) -> Bool {
        while true {
            let now = MonotonicClock.now()
            if now >= deadline { return false }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let waitMs = Int32(min((deadline - now) / 1_000_000 + 1, 1000))
            if poll(&pfd, 1, waitMs) > 0 { return true }
        }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and EINTR; false if the descriptor stopped taking bytes.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw -> Bool in
            guard let base = raw.baseAddress else { return true }
            var offset = 0
            while offset < raw.count {
                let n = write(fd, base + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }
}
