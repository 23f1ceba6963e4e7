/// Splits a byte stream into `\n`-terminated lines, sans-I/O: bytes go in as they arrive, lines come out when they
/// are complete, and "need more bytes" is an answer, never a blocking read.
///
/// The wire protocol's framing (`docs/wire-protocol.md`), shared by the reference device and the harness. It is total
/// over any byte string: NULs and invalid UTF-8 pass through as bytes (the JSON layer rejects them), and a line longer
/// than `maxLineBytes` is reported once as ``Frame/overlong(_:)`` and skipped up to its newline, so a peer that never
/// sends a newline costs at most `maxLineBytes` of memory.
///
/// Each byte is scanned once however the input is split, so feeding a megabyte one byte at a time stays linear.
public struct LineFramer: Sendable {
    /// What the framer has for the reader.
    public enum Frame: Hashable, Sendable {
        /// A complete line, without its `\n`.
        case line([UInt8])
        /// A line of more than `maxLineBytes` bytes was dropped; the count is how many bytes it had when dropped.
        case overlong(Int)
    }

    public let maxLineBytes: Int
    private var buffer: [UInt8] = []
    /// Where the unread part of `buffer` starts.
    private var start = 0
    /// How far past `start` has been scanned without finding a newline.
    private var scanned = 0
    /// Inside a line that was reported overlong: drop bytes up to the next newline.
    private var skipping = false

    public init(maxLineBytes: Int = 16 << 20) {
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// Bytes buffered and not yet returned as a line.
    public var pendingByteCount: Int { buffer.count - start }

    /// Adds bytes read from the stream.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if skipping {
            // Keep only what follows the overlong line's newline.
            var iterator = bytes.makeIterator()
            while let b = iterator.next() {
                if b == 0x0a {
                    skipping = false
                    while let rest = iterator.next() { buffer.append(rest) }
                    return
                }
            }
            return
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next frame, or nil when more bytes are needed.
    public mutating func next() -> Frame? {
        if skipping { return nil }
        var i = start + scanned
        while i < buffer.count {
            if buffer[i] == 0x0a {
                let line = Array(buffer[start..<i])
                start = i + 1
                scanned = 0
                compact()
                return line.count > maxLineBytes ? .overlong(line.count) : .line(line)
            }
            i += 1
        }
        scanned = buffer.count - start
        if scanned > maxLineBytes {
            let dropped = scanned
            buffer.removeAll(keepingCapacity: false)
            start = 0
            scanned = 0
            skipping = true
            return .overlong(dropped)
        }
        return nil
    }

    /// At end of stream, once ``next()`` has returned nil: the unterminated last line, if any bytes are left (the
    /// rest of an overlong line is dropped). The framer is empty afterwards.
    public mutating func finish() -> Frame? {
        let rest = skipping ? [] : Array(buffer[start...])
        buffer.removeAll()
        start = 0
        scanned = 0
        skipping = false
        return rest.isEmpty ? nil : .line(rest)
    }

    /// Drops consumed bytes once they outweigh the rest, so the buffer never grows with the stream.
    private mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 4096 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }
}
