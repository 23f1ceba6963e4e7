import B2CWire
import Testing

/// Feeds `input` to a framer in the chunks `sizes` gives (the rest in one), and collects every frame, the end of
/// stream included — the shape of swift-nio's ByteToMessageDecoderVerifier.
private func frames(_ input: [UInt8], chunks sizes: [Int], max: Int = 1 << 20) -> [LineFramer.Frame] {
    var framer = LineFramer(maxLineBytes: max)
    var out: [LineFramer.Frame] = []
    var offset = 0
    for size in sizes + [input.count] where offset < input.count {
        let end = min(input.count, offset + size)
        framer.append(input[offset..<end])
        offset = end
        while let f = framer.next() { out.append(f) }
    }
    if let last = framer.finish() { out.append(last) }
    return out
}

/// Every way of feeding `input`: all at once, one byte at a time, and split in two at every boundary.
private func everySplit(_ input: [UInt8], max: Int = 1 << 20) -> [(String, [LineFramer.Frame])] {
    var out = [("all at once", frames(input, chunks: [], max: max))]
    out.append(("one byte at a time", frames(input, chunks: Array(repeating: 1, count: input.count), max: max)))
    for i in 0...input.count { out.append(("split at \(i)", frames(input, chunks: [i], max: max))) }
    return out
}

private func line(_ s: String) -> LineFramer.Frame { .line(Array(s.utf8)) }

@Suite("Line framing, sans-I/O")
struct LineFramerTests {
    @Test(
        "The same frames however the bytes arrive",
        arguments: [
            (Array("a\nbb\n\nccc".utf8), [line("a"), line("bb"), line(""), line("ccc")]),
            (Array("{\"v\":1}\n".utf8), [line("{\"v\":1}")]),
            ([0x00, 0x0a, 0xff, 0xfe, 0x0a, 0xc3], [.line([0x00]), .line([0xff, 0xfe]), .line([0xc3])]),
            (Array("crlf\r\n".utf8), [.line(Array("crlf\r".utf8))]),
            ([], []),
            ([0x0a, 0x0a], [.line([]), .line([])]),
        ] as [([UInt8], [LineFramer.Frame])]
    )
    func splits(_ input: [UInt8], _ expected: [LineFramer.Frame]) {
        for (how, got) in everySplit(input) {
            #expect(got == expected, "\(how)")
        }
    }

    @Test("A line of exactly the limit passes; one byte more is overlong, and the next line still arrives")
    func limit() {
        let ok = [UInt8](repeating: 0x61, count: 8) + [0x0a]
        let long = [UInt8](repeating: 0x62, count: 9) + [0x0a]
        let input = ok + long + Array("next\n".utf8)
        for (how, got) in everySplit(input, max: 8) {
            #expect(got.first == .line([UInt8](repeating: 0x61, count: 8)), "\(how)")
            #expect(got.count == 3, "\(how): \(got.count) frames")
            if case .overlong = got.dropFirst().first {} else { Issue.record("\(how): no overlong frame") }
            #expect(got.last == line("next"), "\(how)")
        }
    }

    @Test("Megabytes without a newline cost at most the limit, are reported once, and the stream recovers")
    func hostileNoNewline() {
        var framer = LineFramer(maxLineBytes: 1 << 20)
        var overlong = 0
        let chunk = [UInt8](repeating: 0x41, count: 64 << 10)
        for _ in 0..<(4 * 16) {
            framer.append(chunk)
            while let f = framer.next() {
                if case .overlong = f { overlong += 1 } else { Issue.record("unexpected frame \(f)") }
            }
            #expect(framer.pendingByteCount <= (1 << 20) + chunk.count)
        }
        #expect(overlong == 1)
        framer.append(Array("tail of the long line\n{\"ok\":1}\n".utf8))
        #expect(framer.next() == line("{\"ok\":1}"))
        #expect(framer.next() == nil)
        #expect(framer.finish() == nil)
    }

    @Test("A megabyte line fed one byte at a time comes out whole")
    func dripFeedLongLine() {
        var framer = LineFramer(maxLineBytes: 2 << 20)
        let body = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 % 200) + 0x20 }
        for b in body {
            framer.append(CollectionOfOne(b))
            #expect(framer.next() == nil)
        }
        framer.append([0x0a])
        #expect(framer.next() == .line(body))
        #expect(framer.pendingByteCount == 0)
    }

    @Test("An overlong unterminated line at end of stream is dropped, not returned")
    func overlongAtEnd() {
        var framer = LineFramer(maxLineBytes: 4)
        framer.append(Array("abcdefgh".utf8))
        if case .overlong(let n)? = framer.next() { #expect(n == 8) } else { Issue.record("no overlong frame") }
        framer.append(Array("ijk".utf8))
        #expect(framer.next() == nil)
        #expect(framer.finish() == nil)
    }
}
