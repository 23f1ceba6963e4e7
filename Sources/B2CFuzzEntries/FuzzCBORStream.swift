import B2CCBOR

/// libFuzzer entry of `FuzzCBORStream`: see ``fuzzCBORStream(_:)-([UInt8])``.
public func fuzzCBORStream(_ data: UnsafeRawBufferPointer) {
    fuzzCBORStream(Array(data))
}

/// Checks the CBOR sequence decoder (`CBORStreamDecoder`) however the stream is split, against a model built from
/// `CBORDecoder.decodePrefix` and against repeated `decodePrefix` over the whole buffer.
///
/// Input: a control byte (bits 0–1: the decoder options from ``CBORFuzzChecks/streamOptions``; bits 2–4:
/// `maxItemBytes` from ``CBORFuzzChecks/maxItemChoices``; bits 5–7: the largest chunk of the chosen chunking), a
/// seed for the chunking, then the stream. Traps (via `fatalError`) on the first violated property; see
/// ``CBORFuzzChecks/stream(_:)``.
public func fuzzCBORStream(_ bytes: [UInt8]) {
    if let finding = CBORFuzzChecks.stream(bytes) { fuzzFailure("FuzzCBORStream", finding, bytes) }
}

extension CBORFuzzChecks {
    /// The decoder options the control byte picks from; the last one adds tight resource limits.
    static let streamOptions: [(name: String, options: CBORDecoder.Options)] = [
        ("valid", .valid), ("wellFormed", .wellFormed), ("deterministic", .deterministic),
        ("maxDepth 4, maxLength 8", CBORDecoder.Options(maxDepth: 4, maxLength: 8)),
    ]
    /// `maxItemBytes` values the control byte picks from; 0 checks that the decoder clamps it to 1.
    static let maxItemChoices = [0, 1, 2, 3, 8, 16, 64, 1 << 20]

    /// How feeding a stream ended: the items in order, then the error that ended it, or nil if `finish()` accepted.
    struct StreamOutcome {
        var items: [CBOR] = []
        var error: CBORError?
    }

    /// The properties of ``fuzzCBORStream(_:)-([UInt8])``: nil, or a description of the first one violated.
    ///
    /// The stream is fed all at once, one byte at a time and in the chosen chunks, calling `next()` until nil (or an
    /// error) after every append and `finish()` at the end:
    /// - every feeding gives the same items and ends the same way: accepted, or the same error code at the same
    ///   stream offset;
    /// - that outcome is the model's: walking the stream item by item, each item is what `decodePrefix` (trailing
    ///   bytes allowed) gives on the item's first `maxItemBytes` bytes; `cbor.truncated` there is
    ///   `cbor.limit_exceeded` at the item's start if more than `maxItemBytes` bytes follow that start, else
    ///   `cbor.truncated` at the end of the stream; any other error is final, at the item's start plus its offset;
    /// - against repeated `decodePrefix` over the whole rest of the buffer (no window): the stream's items are a
    ///   prefix of those items; a stream that is accepted has exactly those items and they cover the buffer; if they
    ///   cover it and none is longer than `maxItemBytes`, the stream is accepted; an error other than
    ///   `cbor.limit_exceeded` is the same code on the same item (at the same offset, or at the end of the stream
    ///   for `cbor.truncated`); `cbor.limit_exceeded` is either that same error or at the start of an item with more
    ///   than `maxItemBytes` bytes after it;
    /// - errors are final: once `next()` or `finish()` throws, appends are ignored (`pendingByteCount` does not
    ///   change) and `next()` and `finish()` throw the same error again; `next()` never throws `cbor.truncated`
    ///   (that is nil), and `finish()` throws only `cbor.truncated`, at the end of the stream; error offsets lie in
    ///   the stream;
    /// - `pendingByteCount` is at most `maxItemBytes` after `next()` returns nil (so at most `maxItemBytes` plus the
    ///   chunk after an append), and 0 after an accepting `finish()`; no feeding yields more items than bytes.
    public static func stream(_ bytes: [UInt8]) -> String? {
        let input = StreamFuzzInput(bytes)
        let (optionsName, options) = streamOptions[Int(input.control & 3)]
        let requested = maxItemChoices[Int(input.control >> 2 & 7)]
        let bound = StreamFuzzInput.chunkBounds[Int(input.control >> 5)]
        let stream = input.stream
        let maxItem = CBORStreamDecoder(options: options, maxItemBytes: requested).maxItemBytes
        guard maxItem == max(1, requested) else { return "maxItemBytes \(requested) became \(maxItem)" }
        let context = "options \(optionsName), maxItemBytes \(maxItem)"

        var outcomes: [(name: String, outcome: StreamOutcome)] = []
        for (name, sizes) in input.feedings(bound: bound) {
            var decoder = CBORStreamDecoder(options: options, maxItemBytes: requested)
            switch feed(&decoder, stream, sizes) {
            case .success(let outcome): outcomes.append((name, outcome))
            case .failure(let finding): return "\(name), \(context): \(finding.description)"
            }
        }
        let whole = outcomes[0]
        for o in outcomes.dropFirst() {
            if let d = difference(o.outcome, whole.outcome) { return "\(o.name) and \(whole.name): \(d) (\(context))" }
        }

        var prefixOptions = options
        prefixOptions.allowTrailingBytes = true
        let model = windowModel(stream, prefixOptions, maxItem)
        if let d = difference(whole.outcome, model) { return "\(whole.name) and the model: \(d) (\(context))" }
        if let d = againstWholeBuffer(whole.outcome, stream, prefixOptions, maxItem) { return "\(d) (\(context))" }
        return nil
    }

    /// Feeds `stream` in chunks of `sizes`, draining after each, then finishes; checks finality and
    /// `pendingByteCount` on the way.
    static func feed(_ decoder: inout CBORStreamDecoder, _ stream: [UInt8], _ sizes: [Int]) -> Result<
        StreamOutcome, FuzzFinding
    > {
        let maxItem = decoder.maxItemBytes
        var outcome = StreamOutcome()
        var offset = 0
        for size in sizes {
            decoder.append(stream[offset..<(offset + size)])
            offset += size
            do throws(CBORError) {
                while let item = try decoder.next() {
                    outcome.items.append(item)
                    if outcome.items.count > stream.count {
                        return .failure(FuzzFinding("more items than the stream's \(stream.count) bytes"))
                    }
                }
            } catch {
                if error.code == .truncated { return .failure(FuzzFinding("next() threw \(error)")) }
                outcome.error = error
                if let f = finality(&decoder, error, stream, offset) { return .failure(f) }
                return .success(outcome)
            }
            if decoder.pendingByteCount > maxItem {
                return .failure(FuzzFinding("pendingByteCount \(decoder.pendingByteCount) after a drain at \(offset)"))
            }
        }
        do throws(CBORError) {
            try decoder.finish()
        } catch {
            guard error.code == .truncated, error.offset == stream.count else {
                return .failure(FuzzFinding("finish() threw \(error), not cbor.truncated at \(stream.count)"))
            }
            outcome.error = error
            if let f = finality(&decoder, error, stream, offset) { return .failure(f) }
            return .success(outcome)
        }
        if decoder.pendingByteCount != 0 { return .failure(FuzzFinding("pendingByteCount is not 0 after finish()")) }
        if case .success(.some) = Result(catching: { () throws(CBORError) in try decoder.next() }) {
            return .failure(FuzzFinding("next() after finish() gives an item"))
        }
        return .success(outcome)
    }

    /// After `error`: appends (the rest of the stream and a 0x00) are ignored, and `next()` and `finish()` throw the
    /// same error.
    static func finality(_ decoder: inout CBORStreamDecoder, _ first: CBORError, _ stream: [UInt8], _ offset: Int)
        -> FuzzFinding?
    {
        guard (0...stream.count).contains(first.offset) else {
            return FuzzFinding("\(first): offset outside the stream")
        }
        let pending = decoder.pendingByteCount
        decoder.append(stream[offset...])
        decoder.append([0x00])
        if decoder.pendingByteCount != pending { return FuzzFinding("append after \(first) changed pendingByteCount") }
        for call in ["next()", "next() again", "finish()"] {
            do throws(CBORError) {
                if call == "finish()" { try decoder.finish() } else { _ = try decoder.next() }
                return FuzzFinding("\(call) after \(first) did not throw")
            } catch  where error != first {
                return FuzzFinding("\(call) after \(first) threw \(error)")
            } catch {}
        }
        return nil
    }

    /// The outcome the stream decoder must give (see ``stream(_:)``): `decodePrefix` on each item's first
    /// `maxItem` bytes.
    static func windowModel(_ stream: [UInt8], _ options: CBORDecoder.Options, _ maxItem: Int) -> StreamOutcome {
        var outcome = StreamOutcome()
        var start = 0
        while start < stream.count {
            let window = Array(stream[start..<min(stream.count, start + maxItem)])
            switch prefixResult(window, options) {
            case .success(let r):
                outcome.items.append(r.item)
                start += max(1, r.consumed)  // 0 would be a decoder bug, which againstWholeBuffer reports
            case .failure(let e) where e.code == .truncated:
                outcome.error =
                    stream.count - start > maxItem
                    ? CBORError(.limitExceeded, at: start, "model: over maxItemBytes")
                    : CBORError(.truncated, at: stream.count, "model: the stream ends inside an item")
                return outcome
            case .failure(let e):
                outcome.error = CBORError(e.code, at: start + e.offset, e.reason)
                return outcome
            }
        }
        return outcome
    }

    /// The relations between the stream's outcome and repeated `decodePrefix` over the whole rest of the buffer.
    static func againstWholeBuffer(
        _ outcome: StreamOutcome,
        _ stream: [UInt8],
        _ options: CBORDecoder.Options,
        _ maxItem: Int
    ) -> String? {
        var items: [(item: CBOR, start: Int, length: Int)] = []
        var end: CBORError?  // the error the whole-buffer walk ends with, at its stream offset
        var start = 0
        while start < stream.count, end == nil {
            switch prefixResult(Array(stream[start...]), options) {
            case .success(let r):
                guard r.consumed > 0, r.consumed <= stream.count - start else {
                    return "decodePrefix at \(start) consumed \(r.consumed) of \(stream.count - start) bytes"
                }
                items.append((r.item, start, r.consumed))
                start += r.consumed
            case .failure(let e):
                end = CBORError(e.code, at: start + e.offset, e.reason)
            }
        }
        let m = outcome.items.count
        guard m <= items.count, zip(outcome.items, items).allSatisfy({ $0 == $1.item }) else {
            return "the stream's \(m) items are not a prefix of the whole-buffer decoding's \(items.count)"
        }
        guard let error = outcome.error else {
            if end != nil || m != items.count {
                return
                    "the stream is accepted, but the whole-buffer decoding \(end.map { "fails: \($0)" } ?? "differs")"
            }
            return nil
        }
        if end == nil && items.allSatisfy({ $0.length <= maxItem }) {
            return "the whole buffer decodes into items of at most \(maxItem) bytes, but the stream fails: \(error)"
        }
        let itemStart = m < items.count ? items[m].start : start
        if error.code == .limitExceeded {
            let ownLimit = m == items.count && end?.code == error.code && end?.offset == error.offset
            if !ownLimit && !(error.offset == itemStart && stream.count - itemStart > maxItem) {
                return "the stream's \(error) is neither the decoder's nor at an item over \(maxItem) bytes"
            }
            return nil
        }
        guard m == items.count, let e = end, e.code == error.code,
            error.code == .truncated ? error.offset == stream.count : error.offset == e.offset
        else {
            let whole = m < items.count ? "an item of \(items[m].length) bytes" : end.map { "\($0)" } ?? "the end"
            return "the stream fails with \(error) where the whole-buffer decoding has \(whole)"
        }
        return nil
    }

    /// How two outcomes differ (items, then the error's code and offset), or nil.
    static func difference(_ a: StreamOutcome, _ b: StreamOutcome) -> String? {
        for (i, (x, y)) in zip(a.items, b.items).enumerated() where x != y {
            return "item \(i) differs\(firstDifference(x, y, ""))"
        }
        if a.items.count != b.items.count { return "\(a.items.count) items against \(b.items.count)" }
        switch (a.error, b.error) {
        case (nil, nil): return nil
        case (let x?, let y?) where x.code == y.code && x.offset == y.offset: return nil
        case (let x, let y):
            return
                "after \(a.items.count) items, \(x.map { "\($0)" } ?? "accepted") against \(y.map { "\($0)" } ?? "accepted")"
        }
    }
}
