import B2CHarness
import Testing

@Suite("Transports")
struct TransportTests {
    @Test("An in-memory datagram pair delivers each datagram whole and in order, both ways")
    func datagramPair() {
        let (a, b) = InMemoryDatagramTransport.pair(maxDatagramBytes: 8)
        #expect(a.send([1, 2, 3]))
        #expect(a.send([]))
        #expect(a.send([4]))
        #expect(b.receive(deadline: 0) == .datagram([1, 2, 3]))
        #expect(b.receive(deadline: 0) == .datagram([]))
        #expect(b.receive(deadline: 0) == .datagram([4]))
        #expect(b.receive(deadline: 0) == .timeout)
        #expect(b.send([9, 9]))
        #expect(a.receive(deadline: 0) == .datagram([9, 9]))
    }

    @Test("A datagram over the limit is refused, not cut; a closed peer ends the exchange")
    func datagramLimitsAndClose() {
        let (a, b) = InMemoryDatagramTransport.pair(maxDatagramBytes: 4)
        #expect(!a.send([1, 2, 3, 4, 5]))
        #expect(b.receive(deadline: 0) == .timeout)
        #expect(a.send([1, 2, 3, 4]))
        b.close()
        #expect(!a.send([1]))
        #expect(a.receive(deadline: 0) == .closed("peer closed"))
        #expect(b.receive(deadline: 0) == .datagram([1, 2, 3, 4]))
    }

    @Test("The in-memory byte stream hands writes to its handler and the handler's bytes to reads")
    func streamToHandler() {
        var seen: [[UInt8]] = []
        let t = InMemoryTransport { bytes in
            seen.append(bytes)
            return bytes == [0xff] ? [.close("signal 6")] : [.send(bytes.reversed()), .send([])]
        }
        #expect(t.read(deadline: 0) == .timeout)
        #expect(t.write([1, 2]))
        #expect(t.read(deadline: 0) == .bytes([2, 1]))
        #expect(t.read(deadline: 0) == .timeout)
        #expect(t.write([0xff]))
        #expect(t.read(deadline: 0) == .closed("signal 6"))
        #expect(t.endDescription() == "signal 6")
        #expect(!t.write([3]))
        #expect(seen == [[1, 2], [0xff]])
        #expect(t.written == [1, 2, 0xff])
    }
}
