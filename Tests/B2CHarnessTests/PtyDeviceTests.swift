import B2CDevice
import B2CHarness
import B2CWire
import Foundation
import Testing

/// Upper-cases what it reads; `!` ends it.
private struct Shout: LineService {
    mutating func receive(_ bytes: [UInt8]) -> [DeviceCore.Action] {
        if bytes.contains(UInt8(ascii: "!")) { return [.exit] }
        return [.write(Array(String(decoding: bytes, as: UTF8.self).uppercased().utf8))]
    }
}

@Suite("A simulated device on a pseudo-terminal")
struct PtyDeviceTests {
    /// The pacer's arithmetic with a clock the test holds (no timing in the test).
    @Test("The line pacer allows baud/10 bytes a second, at most a FIFO's worth at once")
    func pacer() {
        var p = LinePacer(baud: 115_200, burst: 64)
        #expect(p.bytesPerSecond == 11_520)
        #expect(p.allowance(now: 1_000_000_000) == 64)
        p.spend(64)
        #expect(p.allowance(now: 1_000_000_000) == 0)
        // 11,520 bytes a second: one byte every 86.8 µs, so 5 ms later 57 bytes.
        #expect(p.allowance(now: 1_005_000_000) == 57)
        #expect(p.wait(for: 64) > 0 && p.wait(for: 57) == 0)
        p.spend(57)
        // A long pause refills only up to the burst.
        #expect(p.allowance(now: 9_000_000_000) == 64)
        var slow = LinePacer(baud: 9600, burst: 16)
        _ = slow.allowance(now: 0)
        slow.spend(16)
        #expect(slow.wait(for: 16) == 16_666_667)
    }

    @Test("It announces its line, serves what a client writes on it, and ends when the service says so")
    func serves() throws {
        let announced = DispatchSemaphore(value: 0)
        let path = Locked<String>("")
        let ended = DispatchSemaphore(value: 0)
        let thread = Thread {
            var device = PtyDevice(service: Shout(), baud: 115_200, link: nil)
            _ = device.serve { p in
                path.set(p)
                announced.signal()
            }
            ended.signal()
        }
        thread.start()
        #expect(announced.wait(timeout: .now() + 5) == .success)
        let line = try SerialTransport(path: path.get(), options: SerialOptions())
        defer { line.close() }
        #expect(line.write(Array("hello pty".utf8)))
        var got: [UInt8] = []
        let deadline = MonotonicClock.deadline(milliseconds: 3000)
        while got.count < 9, case .bytes(let b) = line.read(deadline: deadline) { got += b }
        #expect(String(decoding: got, as: UTF8.self) == "HELLO PTY")
        #expect(line.write(Array("!".utf8)))
        #expect(ended.wait(timeout: .now() + 5) == .success)
    }
}

/// A value shared between the test and the device's thread.
final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ value: T) { self.value = value }
    func get() -> T { lock.withLock { value } }
    func set(_ v: T) { lock.withLock { value = v } }
}
