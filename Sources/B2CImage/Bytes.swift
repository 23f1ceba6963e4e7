/// Little-endian field access that never traps: out-of-range reads return nil.
extension Array where Element == UInt8 {
    @inlinable
    package func le16(at offset: Int) -> UInt16? {
        guard offset >= 0, offset <= count - 2 else { return nil }
        return UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    @inlinable
    package func le32(at offset: Int) -> UInt32? {
        guard offset >= 0, offset <= count - 4 else { return nil }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(self[offset + i]) << (8 * i) }
        return v
    }

    mutating func appendLE16(_ v: UInt16) {
        append(UInt8(truncatingIfNeeded: v))
        append(UInt8(truncatingIfNeeded: v >> 8))
    }

    mutating func appendLE32(_ v: UInt32) {
        for i in 0..<4 { append(UInt8(truncatingIfNeeded: v >> (8 * i))) }
    }
}

/// Rounds `value` up to a multiple of `alignment` (a positive power of two or any positive value).
@inlinable
func alignUp(_ value: Int, _ alignment: Int) -> Int {
    guard alignment > 1 else { return value }
    return (value + alignment - 1) / alignment * alignment
}
