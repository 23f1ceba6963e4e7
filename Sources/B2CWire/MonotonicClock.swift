#if canImport(Glibc)
    import Glibc
#endif

/// Monotonic time in nanoseconds, for deadlines.
public enum MonotonicClock {
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// The deadline `milliseconds` from now.
    public static func deadline(milliseconds: Int) -> UInt64 { now() + UInt64(max(0, milliseconds)) * 1_000_000 }
}
