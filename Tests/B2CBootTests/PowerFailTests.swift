import B2CBoot
import B2CImage
import Testing

/// MCUboot's guarantee, checked the way its simulator checks it (`sim/src/image.rs` `run_perm_with_fails`,
/// `try_revert_with_fail_at`): count the flash operations of an uninterrupted upgrade, then for every count cut the
/// power after that many writes and erases, boot again, and compare the slots with the images as built.
@Suite("Power-fail sweep: every write and erase of an upgrade interrupted, then a reboot")
struct PowerFailTests {
    static let strategies = BootConfiguration.Strategy.allCases

    /// The operations of one uninterrupted boot from `base`.
    static func operations(from base: BootDevice) throws -> Int {
        var d = base
        return try d.boot().operations
    }

    /// Cuts the power after `k` operations of a boot from `base`, then boots to the end.
    static func interrupted(_ base: BootDevice, after k: Int) throws -> (BootDevice, BootResult) {
        var d = base
        d.flash.powerFailBudget = k
        #expect(throws: BootError.self) { try d.boot() }
        d.flash.powerFailBudget = nil
        let r = try d.boot()
        return (d, r)
    }

    @Test("Permanent upgrade: after any interruption the primary holds exactly the new image", arguments: strategies)
    func permanent(strategy: BootConfiguration.Strategy) throws {
        var base = try BootFixtures.device(BootFixtures.configuration(strategy))
        try base.setPending(permanent: true)
        let total = try Self.operations(from: base)
        #expect(total > 10)
        for k in 0..<total {
            let (d, r) = try Self.interrupted(base, after: k)
            #expect(
                d.prefix(.primary, BootFixtures.new.count) == BootFixtures.new,
                "primary after cut at \(k)/\(total)"
            )
            #expect(r.version == ImageVersion(major: 1, minor: 1))
            #expect(r.confirmed, "cut at \(k)")
            if strategy != .overwriteOnly {
                #expect(d.prefix(.secondary, BootFixtures.old.count) == BootFixtures.old, "secondary at \(k)")
                #expect(d.trailer(.primary)?.copyDone == .set)
                #expect(d.trailer(.primary)?.imageOK == .set)
                #expect(d.trailer(.secondary)?.magic == .unset)
            }
            // Nothing further happens: the next boot swaps nothing.
            var again = d
            #expect(try again.boot().swapType == .none)
            #expect(again.prefix(.primary, BootFixtures.new.count) == BootFixtures.new)
        }
        print("power-fail sweep \(strategy.rawValue) permanent: \(total) interruption points")
    }

    @Test(
        "Test upgrade then revert: every cut of the upgrade ends in the new image, every cut of the revert in the old",
        arguments: [BootConfiguration.Strategy.swapUsingScratch, .swapUsingMove]
    )
    func testThenRevert(strategy: BootConfiguration.Strategy) throws {
        var base = try BootFixtures.device(BootFixtures.configuration(strategy))
        try base.setPending(permanent: false)
        let total = try Self.operations(from: base)
        for k in 0..<total {
            let (d, r) = try Self.interrupted(base, after: k)
            #expect(
                d.prefix(.primary, BootFixtures.new.count) == BootFixtures.new,
                "primary after cut at \(k)/\(total)"
            )
            #expect(d.prefix(.secondary, BootFixtures.old.count) == BootFixtures.old, "secondary after cut at \(k)")
            #expect(!r.confirmed)
            #expect(d.trailer(.primary)?.magic == .good)
            #expect(d.trailer(.primary)?.copyDone == .set)
            #expect(d.trailer(.primary)?.imageOK == .unset)
            #expect(d.trailer(.secondary)?.magic == .unset)
        }
        // The unconfirmed image reverts on the next boot; cut that one everywhere too.
        var tested = base
        #expect(try tested.boot().swapType == .test)
        let revertTotal = try Self.operations(from: tested)
        for k in 0..<revertTotal {
            let (d, r) = try Self.interrupted(tested, after: k)
            #expect(d.prefix(.primary, BootFixtures.old.count) == BootFixtures.old, "primary after revert cut at \(k)")
            #expect(d.prefix(.secondary, BootFixtures.new.count) == BootFixtures.new, "secondary after revert cut \(k)")
            #expect(r.version == ImageVersion(major: 1))
            #expect(r.confirmed)
            var again = d
            #expect(try again.boot().swapType == .none)
        }
        print("power-fail sweep \(strategy.rawValue) test: \(total) interruption points, revert: \(revertTotal)")
    }

    @Test("A confirmed test upgrade stays: no revert on the next boot", arguments: strategies)
    func confirmed(strategy: BootConfiguration.Strategy) throws {
        var d = try BootFixtures.device(BootFixtures.configuration(strategy))
        try d.setPending(permanent: false)
        _ = try d.boot()
        try d.confirm()
        let r = try d.boot()
        #expect(r.swapType == .none)
        #expect(r.confirmed)
        #expect(d.prefix(.primary, BootFixtures.new.count) == BootFixtures.new)
    }

    @Test("Interrupted twice: a cut during the resumed swap still ends on the new image", arguments: strategies)
    func doubleFault(strategy: BootConfiguration.Strategy) throws {
        var base = try BootFixtures.device(BootFixtures.configuration(strategy))
        try base.setPending(permanent: true)
        let total = try Self.operations(from: base)
        for k in stride(from: 1, to: total, by: 3) {
            var d = base
            d.flash.powerFailBudget = k
            #expect(throws: BootError.self) { try d.boot() }
            d.flash.powerFailBudget = 2
            _ = try? d.boot()
            d.flash.powerFailBudget = nil
            _ = try d.boot()
            #expect(d.prefix(.primary, BootFixtures.new.count) == BootFixtures.new, "cut at \(k), then after 2")
        }
    }
}
