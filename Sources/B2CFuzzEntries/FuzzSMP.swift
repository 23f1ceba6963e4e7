import B2CCBOR
import B2CSMP

/// libFuzzer entry of `FuzzSMPFrame`: see ``fuzzSMPFrame(_:)-([UInt8])``.
public func fuzzSMPFrame(_ data: UnsafeRawBufferPointer) {
    fuzzSMPFrame(Array(data))
}

/// Checks the serial reassembler (`SMPSerialReassembler`) and the raw UART reassembler however the stream is split.
///
/// Input: a control byte (bits 0–2: `maxLineBytes` from ``SMPFuzzChecks/maxLineChoices``; bits 3–5: the largest
/// chunk of the chosen chunking; bits 6–7: `maxMessageBytes` from ``SMPFuzzChecks/maxMessageChoices``), a seed for
/// the chunking, then the stream. Traps on the first violated property; see ``SMPFuzzChecks/frame(_:)``.
public func fuzzSMPFrame(_ bytes: [UInt8]) {
    if let finding = SMPFuzzChecks.frame(bytes) { fuzzFailure("FuzzSMPFrame", finding, bytes) }
}

/// libFuzzer entry of `FuzzSMPMessage`: see ``SMPFuzzChecks/message(_:)``.
public func fuzzSMPMessage(_ data: UnsafeRawBufferPointer) {
    fuzzSMPMessage(Array(data))
}

/// Checks the message decoder and the typed command decoders on one message; traps on the first violated property.
public func fuzzSMPMessage(_ bytes: [UInt8]) {
    if let finding = SMPFuzzChecks.message(bytes) { fuzzFailure("FuzzSMPMessage", finding, bytes) }
}

/// Property checks of the SMP codec: nil, or a description of the first property violated.
public enum SMPFuzzChecks {
    /// `maxLineBytes` values the control byte picks from (3 is the reassembler's floor; 128 Zephyr's buffer).
    static let maxLineChoices = [0, 8, 16, 32, 64, 127, 128, 1024]
    /// `maxMessageBytes` values the control byte picks from.
    static let maxMessageChoices = [0, 16, 380, 4096]

    /// The properties of ``fuzzSMPFrame(_:)-([UInt8])``. For every feeding (all at once, one byte at a time, chosen
    /// chunks), draining after every append and finishing at the end:
    /// - the events are the same, offsets included, however the stream is split;
    /// - a message has at most `maxMessageBytes` bytes; console text holds no newline and fits the line limit; error
    ///   offsets lie in the stream;
    /// - `pendingByteCount` after a drain is at most `maxLineBytes + maxMessageBytes + 2`, and 0 after `finish()`;
    ///   after `finish()` the reassembler gives the same events again for the same stream;
    /// - each message, framed again by `SMPSerial.encode` (fill and Zephyr styles, lines within the limit), comes back
    ///   out of a new reassembler as exactly that message and nothing else;
    /// - the raw UART reassembler fed the stream gives the same events for every feeding, and its messages are
    ///   headers with their data.
    public static func frame(_ bytes: [UInt8]) -> String? {
        let input = StreamFuzzInput(bytes)
        let maxLine = max(3, maxLineChoices[Int(input.control & 7)])
        let bound = StreamFuzzInput.chunkBounds[Int(input.control >> 3 & 7)]
        let maxMessage = maxMessageChoices[Int(input.control >> 6 & 3)]
        let stream = input.stream
        let context = "maxLineBytes \(maxLine), maxMessageBytes \(maxMessage)"

        var outcomes: [(name: String, events: [SMPSerialReassembler.Event])] = []
        var reused = SMPSerialReassembler(maxLineBytes: maxLine, maxMessageBytes: maxMessage)
        for (name, sizes) in input.feedings(bound: bound) {
            var r = SMPSerialReassembler(maxLineBytes: maxLine, maxMessageBytes: maxMessage)
            switch feed(&r, stream, sizes) {
            case .success(let events): outcomes.append((name, events))
            case .failure(let f): return "\(name), \(context): \(f.description)"
            }
            if outcomes.count == 1 { reused = r }
        }
        for o in outcomes.dropFirst() where o.events != outcomes[0].events {
            return "\(o.name) and \(outcomes[0].name) give different events (\(context))"
        }
        switch feed(&reused, stream, [stream.count]) {
        case .success(let again) where again == outcomes[0].events: break
        case .success: return "after finish(), the reassembler gives other events (\(context))"
        case .failure(let f): return "after finish(): \(f.description)"
        }

        for event in outcomes[0].events {
            switch event {
            case .message(let m):
                if m.count > maxMessage { return "a message of \(m.count) bytes, over \(maxMessage)" }
                if let f = reframes(m, maxLine: maxLine, maxMessage: maxMessage) { return f }
            case .console(let l):
                if l.contains(0x0a) { return "console text holds a newline" }
                if l.count > maxLine - 1 { return "console text of \(l.count) bytes, over the line limit \(maxLine)" }
            case .dropped(let e):
                if !(0...stream.count).contains(e.offset) { return "\(e) lies outside the stream" }
            }
        }
        return raw(input, bound: bound, maxMessage: max(8, maxMessage))
    }

    static func feed(_ r: inout SMPSerialReassembler, _ stream: [UInt8], _ sizes: [Int]) -> Result<
        [SMPSerialReassembler.Event], FuzzFinding
    > {
        var events: [SMPSerialReassembler.Event] = []
        var offset = 0
        let limit = r.maxLineBytes + r.maxMessageBytes + 2
        for size in sizes {
            r.append(stream[offset..<(offset + size)])
            offset += size
            while let e = r.next() {
                events.append(e)
                if events.count > 2 * stream.count + 2 { return .failure(FuzzFinding("more events than bytes")) }
            }
            if r.pendingByteCount > limit {
                return .failure(FuzzFinding("pendingByteCount \(r.pendingByteCount) over \(limit) at \(offset)"))
            }
        }
        events += r.finish()
        if r.pendingByteCount != 0 { return .failure(FuzzFinding("pendingByteCount is not 0 after finish()")) }
        if r.hasPacketInProgress { return .failure(FuzzFinding("a packet is in progress after finish()")) }
        return .success(events)
    }

    /// `message` framed again, in both line styles, reassembles to itself alone.
    static func reframes(_ message: [UInt8], maxLine: Int, maxMessage: Int) -> String? {
        guard maxLine >= 19 else { return nil }
        for style in [SMPSerial.LineStyle.fill, .zephyr] {
            let lines = SMPSerial.encode(message, maxLineBytes: min(maxLine, 127), style: style)
            for l in lines where l.count > maxLine { return "\(style) framing made a line of \(l.count) bytes" }
            var r = SMPSerialReassembler(maxLineBytes: maxLine, maxMessageBytes: maxMessage)
            r.append(lines.joined())
            var events: [SMPSerialReassembler.Event] = []
            while let e = r.next() { events.append(e) }
            events += r.finish()
            if events != [.message(message)] {
                return "a \(message.count)-byte message does not survive \(style) framing"
            }
        }
        return nil
    }

    /// The raw reassembler gives the same events for every feeding; its messages decode as one SMP message each.
    static func raw(_ input: StreamFuzzInput, bound: Int, maxMessage: Int) -> String? {
        var first: [SMPRawReassembler.Event]?
        for (name, sizes) in input.feedings(bound: bound) {
            var r = SMPRawReassembler(maxMessageBytes: maxMessage)
            var events: [SMPRawReassembler.Event] = []
            var offset = 0
            for size in sizes {
                r.append(input.stream[offset..<(offset + size)])
                offset += size
                while let e = r.next() { events.append(e) }
                if r.pendingByteCount > maxMessage + size { return "raw, \(name): \(r.pendingByteCount) bytes held" }
            }
            events += r.finish()
            for case .message(let m) in events {
                guard case .success = Result(catching: { () throws(SMPError) in try SMPMessage.decode(m) }) else {
                    return "raw, \(name): a message that does not decode as one"
                }
            }
            if let f = first, f != events { return "raw, \(name): other events than all at once" }
            first = events
        }
        return nil
    }

    /// The properties of ``fuzzSMPMessage(_:)-([UInt8])``:
    /// - a header is any 8 bytes, and encodes back to them;
    /// - a message that decodes encodes back to the input; `decodeAll` covers the input exactly when it succeeds,
    ///   and agrees with `decode` on a single message; UDP decoding is message decoding;
    /// - a typed request that decodes, encoded again with the same header fields, decodes to the same request;
    /// - every typed response body and the status that read the data, written again, read back the same.
    public static func message(_ bytes: [UInt8]) -> String? {
        if bytes.count >= SMPHeader.size {
            guard let h = try? SMPHeader(decoding: bytes) else { return "8 bytes do not decode as a header" }
            if h.encoded != Array(bytes[0..<8]) { return "the header does not encode back to its bytes" }
        }
        let single = Result { () throws(SMPError) in try SMPMessage.decode(bytes) }
        let all = Result { () throws(SMPError) in try SMPMessage.decodeAll(bytes) }
        if case .success(let ms) = all, Array(ms.map(\.encoded).joined()) != bytes {
            return "decodeAll's messages do not join to the input"
        }
        if case .success(let m) = single, case .success(let ms) = all, ms != [m] {
            return "decode and decodeAll disagree"
        }
        let udp = Result { () throws(SMPError) in try SMPUDP.decode(bytes) }
        if udp.map(\.encoded) != single.map(\.encoded) { return "UDP decoding differs from message decoding" }
        guard case .success(let message) = single else { return nil }
        if message.encoded != bytes { return "the message does not encode back to its bytes" }
        if let f = requestRoundTrip(message) { return f }
        return responseRoundTrips(message)
    }

    static func requestRoundTrip(_ message: SMPMessage) -> String? {
        guard let request = try? SMPRequest.decode(message) else { return nil }
        let h = message.header
        guard
            let again = try? SMPMessage(
                header: h,
                body: CBOREncoder.encodeDeterministic(request.body.cbor)
            )
        else { return "a decoded request does not encode" }
        guard let back = try? SMPRequest.decode(again) else { return "\(request) encoded again does not decode" }
        if back != request { return "\(request) encoded again decodes to \(back)" }
        return nil
    }

    static let responseTypes: [any SMPResponseBody.Type] = [
        SMPEchoResponse.self, SMPResetResponse.self, SMPTaskStatsResponse.self, SMPMemoryPoolStatsResponse.self,
        SMPDateTimeReadResponse.self, SMPDateTimeWriteResponse.self, SMPParamsResponse.self, SMPOSInfoResponse.self,
        SMPBootloaderInfoResponse.self, SMPImageStateResponse.self, SMPImageUploadResponse.self,
        SMPImageEraseResponse.self, SMPSlotInfoResponse.self,
    ]

    static func responseRoundTrips(_ message: SMPMessage) -> String? {
        guard let map = try? message.map() else { return nil }
        if let status = try? SMPStatus(map: map), message.header.version != .v1 || !isGroupError(status) {
            let written = status.body(answering: message.header.version)
            guard let back = try? SMPStatus(map: SMPMap(written)) else { return "status \(status) does not read back" }
            if back != status { return "status \(status) reads back as \(back)" }
        }
        for t in responseTypes {
            if let f = roundTrip(t, map) { return f }
        }
        return nil
    }

    static func isGroupError(_ s: SMPStatus) -> Bool {
        if case .group = s { return true }
        return false
    }

    static func roundTrip<T: SMPResponseBody>(_ type: T.Type, _ map: SMPMap) -> String? {
        guard let body = try? T(map: map) else { return nil }
        let encoded = CBOREncoder.encodeDeterministic(body.cbor)
        guard let back = try? T(map: SMPMap(decoding: encoded)) else { return "\(T.self) written again does not read" }
        if back != body { return "\(T.self) written again reads differently" }
        return nil
    }
}
