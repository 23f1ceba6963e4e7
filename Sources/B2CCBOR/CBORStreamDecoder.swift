/// Decodes a sequence of CBOR items from a byte stream (RFC 8742 CBOR sequences, as SMP frames carry them),
/// sans-I/O: bytes go in as they arrive, items come out when they are complete.
///
/// An item that ends past the bytes received so far is "need more bytes" (``next()`` returns nil); any other error
/// is final for the stream, because CBOR has no resynchronisation point, and every later call reports it again.
/// Offsets in errors count from the start of the stream. An item is judged on at most its first `maxItemBytes`
/// bytes: one that needs more is `cbor.limit_exceeded` at its start rather than an ever-growing buffer, whether its
/// bytes arrive in one append or a few at a time, so the items and the error never depend on how the stream was
/// split.
public struct CBORStreamDecoder: Sendable {
    public let options: CBORDecoder.Options
    public let maxItemBytes: Int
    private var buffer: [UInt8] = []
    /// Bytes of the stream consumed by earlier items.
    private var consumed = 0
    private var failure: CBORError?

    public init(options: CBORDecoder.Options = .valid, maxItemBytes: Int = 1 << 20) {
        self.options = options
        self.maxItemBytes = max(1, maxItemBytes)
    }

    /// Bytes received and not yet returned as an item.
    public var pendingByteCount: Int { buffer.count }

    /// Adds bytes read from the stream.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        guard failure == nil else { return }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete item, nil when more bytes are needed, or the stream's error.
    public mutating func next() throws(CBORError) -> CBOR? {
        if let failure { throw failure }
        guard !buffer.isEmpty else { return nil }
        var prefix = options
        prefix.allowTrailingBytes = true
        // Only the first maxItemBytes bytes are read: judging a longer item by whatever happens to be buffered would
        // accept it when it arrives in one append and refuse it when it trickles in.
        let window = min(buffer.count, maxItemBytes)
        let result = buffer.withUnsafeBufferPointer {
            CBORDecoder.decodePrefix(UnsafeBufferPointer(rebasing: $0[..<window]), options: prefix)
        }
        switch result {
        case .success(let (item, length)):
            buffer.removeFirst(length)
            consumed += length
            return item
        case .failure(let error) where error.code == .truncated && buffer.count <= maxItemBytes:
            return nil
        case .failure(let error):
            let e =
                error.code == .truncated
                ? CBORError(.limitExceeded, at: consumed, "an item needs more than the \(maxItemBytes)-byte limit")
                : CBORError(error.code, at: consumed + error.offset, error.reason)
            failure = e
            buffer.removeAll()
            throw e
        }
    }

    /// At end of stream: an error if an item was left incomplete.
    public mutating func finish() throws(CBORError) {
        if let failure { throw failure }
        guard buffer.isEmpty else {
            let e = CBORError(.truncated, at: consumed + buffer.count, "the stream ended inside an item")
            failure = e
            throw e
        }
    }
}
