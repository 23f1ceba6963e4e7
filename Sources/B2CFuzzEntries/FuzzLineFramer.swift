import B2CWire

/// libFuzzer entry of `FuzzLineFramer`: see ``fuzzLineFramer(_:)-([UInt8])``.
public func fuzzLineFramer(_ data: UnsafeRawBufferPointer) {
    fuzzLineFramer(Array(data))
}

/// Checks the wire protocol's line framer (`LineFramer`) against a model of its frames, however the stream is split.
///
/// Input: a control byte (bits 0–2: `maxLineBytes` from ``WireFuzzChecks/maxLineChoices``; bits 3–5: the largest
/// chunk of the chosen chunking; bit 6: reuse the framer after `finish()`), a seed for the chunking, then the stream.
/// The stream is fed all at once, one byte at a time and in the chosen chunks, calling `next()` until nil after every
/// append and `finish()` at the end. Traps (via `fatalError`) on the first violated property; see
/// ``WireFuzzChecks/lineFramer(_:)``.
public func fuzzLineFramer(_ bytes: [UInt8]) {
    if let finding = WireFuzzChecks.lineFramer(bytes) { fuzzFailure("FuzzLineFramer", finding, bytes) }
}

/// Property checks of the wire module's sans-I/O parsers: nil, or a description of the first property violated.
public enum WireFuzzChecks {
    /// `maxLineBytes` values the control byte picks from; 0 checks that the framer clamps it to 1.
    static let maxLineChoices = [0, 1, 2, 3, 5, 8, 32, 1 << 20]

    /// The properties of ``fuzzLineFramer(_:)-([UInt8])``.
    ///
    /// Split the stream at its newlines into segments (the last one, after the last newline, may be empty). Then, for
    /// every feeding:
    /// - the frames correspond one to one with the segments, leaving out an empty last segment: a segment of at most
    ///   `maxLineBytes` bytes is `.line` of exactly its bytes; a longer one is a single `.overlong(n)`, where `n` is
    ///   how many of its bytes had arrived at the first drain (the `next()` calls after an append) at which more than
    ///   `maxLineBytes` of them had arrived, or its whole length if its newline had arrived by then. So fed all at
    ///   once `n` is the segment's length, and fed one byte at a time it is `maxLineBytes + 1`;
    /// - hence, and checked on its own: the frames are the same for every feeding apart from the counts of
    ///   `.overlong`; every `.line` has at most `maxLineBytes` bytes and no 0x0a; fed all at once, the bytes of the
    ///   lines, the counts of the `.overlong` frames and one byte per newline add up to the stream's length, and
    ///   when nothing is overlong, the lines joined with `\n` (plus a final `\n` if the stream ends with one) are
    ///   the stream;
    /// - `pendingByteCount` after an append is at most `maxLineBytes` plus the chunk just appended; it never grows
    ///   during a drain; after a drain it is exactly the bytes received of the line in progress, or 0 if that line
    ///   was already reported overlong; after `finish()` it is 0 and `next()` is nil;
    /// - a drain ends: no feeding yields more frames than the stream has bytes plus one;
    /// - after `finish()` the framer behaves like a new one (control bit 6: the stream again, all at once).
    public static func lineFramer(_ bytes: [UInt8]) -> String? {
        let input = StreamFuzzInput(bytes)
        let requested = maxLineChoices[Int(input.control & 7)]
        let bound = StreamFuzzInput.chunkBounds[Int(input.control >> 3 & 7)]
        let stream = input.stream
        let maxLine = LineFramer(maxLineBytes: requested).maxLineBytes
        guard maxLine == max(1, requested) else { return "maxLineBytes \(requested) became \(maxLine)" }

        var outcomes: [(name: String, frames: [LineFramer.Frame])] = []
        var finished = LineFramer(maxLineBytes: requested)  // the framer of the first feeding, once finished
        for (name, sizes) in input.feedings(bound: bound) {
            var framer = LineFramer(maxLineBytes: requested)
            let frames: [LineFramer.Frame]
            switch feed(&framer, stream, sizes) {
            case .success(let f): frames = f
            case .failure(let finding): return "\(name), maxLineBytes \(maxLine): \(finding.description)"
            }
            let expected = modelFrames(stream, maxLine: maxLine, sizes: sizes)
            if frames != expected {
                return "\(name), maxLineBytes \(maxLine): \(mismatch(frames, expected))"
            }
            for f in frames {
                guard case .line(let line) = f else { continue }
                if line.count > maxLine { return "\(name): a line of \(line.count) bytes, over \(maxLine)" }
                if line.contains(0x0a) { return "\(name): a line contains 0x0a" }
            }
            if outcomes.isEmpty { finished = framer }
            outcomes.append((name, frames))
        }

        // The same frames however the bytes arrive, apart from how much of an overlong line had arrived.
        let kinds = outcomes.map { $0.frames.map(withoutCount) }
        for (o, k) in zip(outcomes, kinds).dropFirst() where k != kinds[0] {
            return "\(o.name) and \(outcomes[0].name) give different frames: \(mismatch(k, kinds[0]))"
        }

        // Fed all at once, the frames account for every byte of the stream.
        let whole = outcomes[0].frames
        let newlines = stream.count(where: { $0 == 0x0a })
        var accounted = newlines
        var lines: [[UInt8]] = []
        for f in whole {
            switch f {
            case .line(let l):
                accounted += l.count
                lines.append(l)
            case .overlong(let n): accounted += n
            }
        }
        if accounted != stream.count {
            return "fed all at once, the frames account for \(accounted) of \(stream.count) bytes"
        }
        if lines.count == whole.count {
            var joined = Array(lines.joined(separator: [0x0a]))
            if stream.last == 0x0a { joined.append(0x0a) }
            if joined != stream { return "the lines joined with \\n are not the stream" }
        }

        // finish() leaves a framer that frames the stream again as a new one does.
        if input.control & 0x40 != 0 {
            switch feed(&finished, stream, [stream.count]) {
            case .success(let again) where again == whole: break
            case .success(let again): return "after finish(), the framer gives \(mismatch(again, whole))"
            case .failure(let finding): return "after finish(): \(finding.description)"
            }
        }
        return nil
    }

    /// Feeds `stream` to `framer` in chunks of `sizes`, draining after each, then finishes; checks
    /// `pendingByteCount` on the way.
    static func feed(_ framer: inout LineFramer, _ stream: [UInt8], _ sizes: [Int]) -> Result<
        [LineFramer.Frame], FuzzFinding
    > {
        let maxLine = framer.maxLineBytes
        var frames: [LineFramer.Frame] = []
        var offset = 0
        var lineStart = 0  // just past the last newline received
        for size in sizes {
            let chunk = stream[offset..<(offset + size)]
            framer.append(chunk)
            offset += size
            if let nl = chunk.lastIndex(of: 0x0a) { lineStart = nl + 1 }
            var pending = framer.pendingByteCount
            if pending > maxLine + size {
                return .failure(
                    FuzzFinding("pendingByteCount \(pending) after appending \(size) bytes at \(offset - size)")
                )
            }
            while let f = framer.next() {
                frames.append(f)
                if frames.count > stream.count + 1 {
                    return .failure(FuzzFinding("more frames than the stream's \(stream.count) bytes plus one"))
                }
                let now = framer.pendingByteCount
                if now > pending {
                    return .failure(FuzzFinding("pendingByteCount grew from \(pending) to \(now) in next()"))
                }
                pending = now
            }
            let held = offset - lineStart
            let expected = held > maxLine ? 0 : held
            if pending != expected {
                return .failure(
                    FuzzFinding("after a drain at \(offset): pendingByteCount \(pending), expected \(expected)")
                )
            }
        }
        if let last = framer.finish() { frames.append(last) }
        if framer.pendingByteCount != 0 { return .failure(FuzzFinding("pendingByteCount is not 0 after finish()")) }
        if let f = framer.next() { return .failure(FuzzFinding("next() after finish() gives \(describe(f))")) }
        return .success(frames)
    }

    /// The frames the framer must give for `stream` fed in chunks of `sizes` (see ``lineFramer(_:)``), computed from
    /// the segments between newlines and the drain points.
    static func modelFrames(_ stream: [UInt8], maxLine: Int, sizes: [Int]) -> [LineFramer.Frame] {
        var drains: [Int] = []
        var end = 0
        for s in sizes {
            end += s
            drains.append(end)
        }
        var out: [LineFramer.Frame] = []
        var start = 0
        var d = 0
        while start < stream.count {
            let lineEnd = stream[start...].firstIndex(of: 0x0a) ?? stream.count
            if lineEnd - start <= maxLine {
                out.append(.line(Array(stream[start..<lineEnd])))
            } else {
                // The last drain is at stream.count, past maxLine bytes of this line, so d stays in range.
                while drains[d] - start <= maxLine { d += 1 }
                out.append(.overlong(min(drains[d], lineEnd) - start))
            }
            start = lineEnd + 1
        }
        return out
    }

    static func withoutCount(_ f: LineFramer.Frame) -> LineFramer.Frame {
        if case .overlong = f { return .overlong(0) }
        return f
    }

    static func describe(_ f: LineFramer.Frame) -> String {
        switch f {
        case .line(let l): return "line(\(l.count) bytes)"
        case .overlong(let n): return "overlong(\(n))"
        }
    }

    /// Where two frame lists first differ, for finding messages.
    static func mismatch(_ got: [LineFramer.Frame], _ expected: [LineFramer.Frame]) -> String {
        for (i, (g, e)) in zip(got, expected).enumerated() where g != e {
            return "frame \(i) is \(describe(g)), expected \(describe(e))"
        }
        return "\(got.count) frames, expected \(expected.count)"
    }
}
