import B2CCBOR
import B2CGenerators
import B2CSMP
import PropertyBased
import Testing

private let seedGen = Gen.uint64()

/// Feeds `bytes` to a new reassembler in random chunks (sizes drawn from `rng`, empty ones included), then finishes.
private func reassemble(
    _ bytes: [UInt8],
    maxLine: Int,
    maxChunk: Int,
    using rng: inout SeededRNG
) -> [SMPSerialReassembler.Event] {
    var r = SMPSerialReassembler(maxLineBytes: maxLine, maxMessageBytes: 4096)
    var out: [SMPSerialReassembler.Event] = []
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + Int.random(in: 0...maxChunk, using: &rng))
        r.append(bytes[offset..<end])
        offset = end
        while let e = r.next() { out.append(e) }
    }
    return out + r.finish()
}

private func messages(_ events: [SMPSerialReassembler.Event]) -> [[UInt8]] {
    events.compactMap { if case .message(let m) = $0 { return m } else { return nil } }
}

/// Whether `sub` is a subsequence of `all`.
private func isSubsequence(_ sub: [[UInt8]], of all: [[UInt8]]) -> Bool {
    var i = 0
    for m in all where i < sub.count && sub[i] == m { i += 1 }
    return i == sub.count
}

@Suite("SMP properties (seeded generators)")
struct SMPPropertyTests {
    @Test("Well-formed streams in either line style, with console lines, give exactly their events however fed")
    func wellFormed() async {
        await propertyCheck(count: 200, input: seedGen) { seed in
            var rng = SeededRNG(seed: seed)
            let count = Int.random(in: 1...4, using: &rng)
            let ms = (0..<count).map { _ in SMPFrameGenerator.message(using: &rng) }
            let maxLine = [19, 40, 127, 128, 1024][Int.random(in: 0..<5, using: &rng)]
            let (bytes, expected) = SMPFrameGenerator.stream(ms, maxLineBytes: maxLine, using: &rng)
            for maxChunk in [1, 7, bytes.count] {
                #expect(
                    reassemble(bytes, maxLine: maxLine, maxChunk: maxChunk, using: &rng) == expected,
                    "seed \(seed)"
                )
            }
        }
    }

    @Test("One mutated frame among good ones: nothing is delivered that was not sent, and the others arrive")
    func mutated() async {
        await propertyCheck(count: 400, input: seedGen) { seed in
            var rng = SeededRNG(seed: seed)
            let ms = (0..<3).map { _ in SMPFrameGenerator.message(using: &rng) }
            let mutation = SMPFrameGenerator.Mutation.allCases[Int.random(in: 0..<5, using: &rng)]
            let lines = SMPSerial.encode(ms[1], style: Bool.random(using: &rng) ? .fill : .zephyr)
            let bytes =
                SMPSerial.encodeFrame(ms[0]) + SMPFrameGenerator.mutate(lines, mutation, using: &rng)
                + SMPSerial.encodeFrame(ms[2])
            let got = messages(reassemble(bytes, maxLine: 128, maxChunk: 9, using: &rng))
            let context = "seed \(seed), \(mutation.rawValue), \(lines.count) lines"
            #expect(got.allSatisfy { ms.contains($0) }, "\(context): a message that was not sent")
            // A duplicated one-line frame is a replay: its message arrives twice, in order.
            let sent = mutation == .duplicateLine && lines.count == 1 ? [ms[0], ms[1], ms[1], ms[2]] : ms
            #expect(isSubsequence(got, of: sent), "\(context): messages out of order")
            #expect(got.first == ms[0], "\(context): the frame before was lost")
            if mutation != .cutLine { #expect(got.last == ms[2], "\(context): the frame after was lost") }
            let mutatedArrived = got.count == 3 || (got.count == 2 && ms[1] != ms[0] && got.contains(ms[1]))
            switch mutation {
            case .startAsContinuation: #expect(!mutatedArrived, "\(context)")
            case .dropLine where lines.count > 1: #expect(!mutatedArrived, "\(context)")
            default: break
            }
        }
    }

    @Test("A stream cut anywhere delivers a prefix of its messages and never more")
    func truncated() async {
        await propertyCheck(count: 150, input: seedGen) { seed in
            var rng = SeededRNG(seed: seed)
            let ms = (0..<3).map { _ in SMPFrameGenerator.message(using: &rng, maxBytes: 300) }
            let (bytes, _) = SMPFrameGenerator.stream(ms, maxLineBytes: 128, using: &rng)
            let cut = Int.random(in: 0...bytes.count, using: &rng)
            let got = messages(reassemble(Array(bytes[0..<cut]), maxLine: 128, maxChunk: 64, using: &rng))
            #expect(got == Array(ms.prefix(got.count)), "seed \(seed), cut at \(cut)")
            if cut == bytes.count { #expect(got == ms) }
        }
    }

    @Test("Generated requests decode as typed requests and encode back to the same bytes")
    func typedRequests() async {
        await propertyCheck(count: 400, input: seedGen) { seed in
            var rng = SeededRNG(seed: seed)
            let bytes = SMPFrameGenerator.request(using: &rng)
            let message = try? SMPMessage.decode(bytes)
            let request = message.flatMap { try? SMPRequest.decode($0) }
            #expect(request != nil, "seed \(seed): \(bytes.count) bytes do not decode")
            if let message, let request {
                #expect(CBOREncoder.encodeDeterministic(request.body.cbor) == message.body, "seed \(seed)")
            }
        }
    }

    @Test("The message decoder is total: random bytes give a message or an SMPError, and a message encodes back")
    func totality() async {
        await propertyCheck(count: 2000, input: Gen.uint8().array(of: 0...40)) { bytes in
            switch Result(catching: { () throws(SMPError) in try SMPMessage.decode(bytes) }) {
            case .success(let m):
                #expect(m.encoded == bytes)
                _ = try? SMPRequest.decode(m)
                _ = try? m.status()
            case .failure(let e):
                #expect((0...bytes.count).contains(e.offset))
            }
        }
    }
}
