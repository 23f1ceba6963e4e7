import B2CCBOR
import Testing

@Suite("CBOR sequences from a stream, sans-I/O")
struct CBORStreamDecoderTests {
    /// 1, [1, 2], {"a": 1}, h'0102' (RFC 8949 §3 encodings, written by hand).
    static let sequence: [UInt8] = [0x01, 0x82, 0x01, 0x02, 0xa1, 0x61, 0x61, 0x01, 0x42, 0x01, 0x02]
    static let items: [CBOR] = [
        .unsigned(1), .array([.unsigned(1), .unsigned(2)]), .map([.init(.text("a"), .unsigned(1))]), .bytes([1, 2]),
    ]

    private func decode(
        _ input: [UInt8],
        chunks sizes: [Int],
        options: CBORDecoder.Options = .valid,
        maxItemBytes: Int = 1 << 20
    ) throws -> [CBOR] {
        var decoder = CBORStreamDecoder(options: options, maxItemBytes: maxItemBytes)
        var out: [CBOR] = []
        var offset = 0
        for size in sizes + [input.count] where offset < input.count {
            let end = min(input.count, offset + size)
            decoder.append(input[offset..<end])
            offset = end
            while let item = try decoder.next() { out.append(item) }
        }
        try decoder.finish()
        return out
    }

    @Test("The same items however the bytes arrive")
    func splits() throws {
        let input = Self.sequence
        #expect(try decode(input, chunks: []) == Self.items)
        #expect(try decode(input, chunks: Array(repeating: 1, count: input.count)) == Self.items)
        for i in 0...input.count {
            #expect(try decode(input, chunks: [i]) == Self.items, "split at \(i)")
        }
    }

    @Test("A stream that ends inside an item is truncated, at the stream's offset")
    func endsInside() throws {
        var decoder = CBORStreamDecoder()
        decoder.append([0x01, 0x83, 0x01])
        #expect(try decoder.next() == .unsigned(1))
        #expect(try decoder.next() == nil)
        #expect(throws: CBORError.self) { try decoder.finish() }
        do {
            try decoder.finish()
        } catch {
            #expect(error.code == .truncated)
            #expect(error.offset == 3)
        }
    }

    @Test("Malformed bytes are final: the error names the stream offset and repeats on every later call")
    func malformedIsFinal() throws {
        var decoder = CBORStreamDecoder()
        decoder.append([0x01, 0x02, 0x1c, 0x01])
        #expect(try decoder.next() == .unsigned(1))
        #expect(try decoder.next() == .unsigned(2))
        for _ in 0..<2 {
            do {
                _ = try decoder.next()
                Issue.record("reserved additional information 28 was accepted")
            } catch {
                #expect(error.code == .reservedAdditionalInfo)
                #expect(error.offset == 2)
            }
        }
        decoder.append([0x01])
        #expect(throws: CBORError.self) { try decoder.next() }
    }

    /// The items and the error of `input` fed all at once, one byte at a time and split in two at every boundary.
    private func everySplit(
        _ input: [UInt8],
        options: CBORDecoder.Options = .valid,
        maxItemBytes: Int
    ) -> [(String, [CBOR], CBORError?)] {
        var ways = [("all at once", [Int]()), ("one byte at a time", Array(repeating: 1, count: input.count))]
        for i in 0...input.count { ways.append(("split at \(i)", [i])) }
        return ways.map { how, sizes in
            var decoder = CBORStreamDecoder(options: options, maxItemBytes: maxItemBytes)
            var items: [CBOR] = []
            var offset = 0
            do throws(CBORError) {
                for size in sizes + [input.count] where offset < input.count {
                    let end = min(input.count, offset + size)
                    decoder.append(input[offset..<end])
                    offset = end
                    while let item = try decoder.next() { items.append(item) }
                }
                try decoder.finish()
                return (how, items, nil)
            } catch {
                return (how, items, error)
            }
        }
    }

    @Test("An item over maxItemBytes is refused at its start however it arrives, even in one append")
    func limitIndependentOfSplit() throws {
        // 1, then a 10-byte string (a 12-byte item) with an 8-byte limit: accepted when it came in one append, refused
        // when it trickled in, until FuzzCBORStream compared the two (corpus/regressions/FuzzCBORStream-crash-420f...).
        let long: [UInt8] = [0x01, 0x4a] + Array(0..<10) + [0x01]
        for (how, items, error) in everySplit(long, maxItemBytes: 8) {
            #expect(items == [.unsigned(1)], "\(how)")
            #expect(error?.code == .limitExceeded && error?.offset == 1, "\(how): \(String(describing: error))")
        }
        // An item of exactly the limit passes, however it arrives.
        let fits: [UInt8] = [0x01, 0x46] + Array(0..<6) + [0x01]
        for (how, items, error) in everySplit(fits, maxItemBytes: 8) {
            #expect(items == [.unsigned(1), .bytes(Array(0..<6)), .unsigned(1)], "\(how)")
            #expect(error == nil, "\(how): \(String(describing: error))")
        }
        // A verdict the decoder reaches only past the limit is the limit too: 300 nested arrays are too deep at byte
        // 256, which an item of at most 16 bytes never gets to.
        let deep = [UInt8](repeating: 0x81, count: 300) + [0x00]
        for (how, _, error) in everySplit(deep, maxItemBytes: 16) {
            #expect(error?.code == .limitExceeded && error?.offset == 0, "\(how): \(String(describing: error))")
        }
    }

    @Test("An error is the same however the bytes arrive, with a count over maxLength too")
    func countOverMaxLength() {
        // 1, [1, 2], then an indefinite array holding a 9-element array (over maxLength 8) that nests too deep
        // (FuzzCBORStream, corpus/regressions/FuzzCBORStream-crash-8e68...): all at once that was limit_exceeded at
        // 5, one byte at a time depth_exceeded at 8.
        let input: [UInt8] = [0x01, 0x82, 0x01, 0x02, 0x9f, 0x89, 0x9f, 0x81, 0x9f, 0x9f, 0xff, 0xff, 0xff, 0xff, 0xf7]
        let options = CBORDecoder.Options(maxDepth: 4, maxLength: 8)
        for (how, items, error) in everySplit(input, options: options, maxItemBytes: 1 << 20) {
            #expect(items.count == 2, "\(how)")
            #expect(error?.code == .limitExceeded && error?.offset == 5, "\(how): \(String(describing: error))")
        }
    }

    @Test("An item that stays incomplete past the limit is refused instead of buffered")
    func boundedBuffer() {
        var decoder = CBORStreamDecoder(maxItemBytes: 100)
        // A byte string that declares 1000 bytes (0x59 0x03 0xe8), then the bytes trickle in.
        decoder.append([0x59, 0x03, 0xe8])
        var failure: CBORError?
        for _ in 0..<200 where failure == nil {
            decoder.append([0x00])
            do { #expect(try decoder.next() == nil) } catch { failure = error }
        }
        #expect(failure?.code == .limitExceeded)
        #expect(decoder.pendingByteCount == 0)
    }
}
