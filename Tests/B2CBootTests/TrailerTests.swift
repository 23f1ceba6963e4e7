import B2CBoot
import B2CImage
import Testing

/// Trailer states → swap type, typed in from `boot/bootutil/src/bootutil_public.c` `boot_swap_tables` (builds without
/// swap-offset; first matching row wins, no match is NONE) and notes §14.1.
@Suite("Trailers: bootutil's swap-type table, boot_set_pending / boot_set_confirmed, field offsets")
struct TrailerTests {
    typealias M = ImageTrailer.MagicState
    typealias F = ImageTrailer.FlagState

    /// (primary magic, image_ok, copy_done; secondary magic, image_ok, copy_done) → swap type.
    static let table: [(M, F, F, M, F, F, SwapType)] = [
        (.unset, .unset, .unset, .unset, .unset, .unset, .none),
        (.unset, .unset, .unset, .good, .unset, .unset, .test),
        (.good, .set, .set, .good, .unset, .unset, .test),
        (.bad, .bad, .bad, .good, .unset, .set, .test),
        (.unset, .unset, .unset, .good, .set, .unset, .permanent),
        (.good, .unset, .set, .good, .set, .unset, .permanent),
        (.good, .unset, .set, .unset, .unset, .unset, .revert),
        (.good, .unset, .set, .bad, .unset, .unset, .revert),
        (.good, .unset, .set, .good, .bad, .unset, .revert),
        (.good, .set, .set, .unset, .unset, .unset, .none),
        (.good, .unset, .unset, .unset, .unset, .unset, .none),
        (.good, .bad, .set, .unset, .unset, .unset, .none),
        (.bad, .unset, .set, .unset, .unset, .unset, .none),
        (.unset, .unset, .unset, .good, .bad, .unset, .none),
        (.unset, .unset, .unset, .bad, .set, .unset, .none),
    ]

    @Test("boot_swap_type_multi over the table's rows and their neighbours")
    func swapTable() {
        for (pm, pok, pcd, sm, sok, scd, expected) in Self.table {
            let p = SwapState(magic: pm, copyDone: pcd, imageOK: pok)
            let s = SwapState(magic: sm, copyDone: scd, imageOK: sok)
            #expect(
                SwapTable.swapType(primary: p, secondary: s) == expected,
                "\(pm) \(pok) \(pcd) / \(sm) \(sok) \(scd)"
            )
        }
    }

    @Test("Offsets from the slot end for BOOT_MAX_ALIGN 8 (notes §13.1): magic S-16, image_ok S-24, copy_done S-32")
    func offsets() {
        let l = TrailerLayout(maxAlign: 8, maxImageSectors: 128)
        #expect(l.magicOffset(size: 4096) == 4080)
        #expect(l.imageOKOffset(size: 4096) == 4072)
        #expect(l.copyDoneOffset(size: 4096) == 4064)
        #expect(l.swapInfoOffset(size: 4096) == 4056)
        #expect(l.swapSizeOffset(size: 4096) == 4048)
        #expect(TrailerLayout(maxAlign: 16, maxImageSectors: 128).imageOKOffset(size: 4096) == 4096 - 32)
        #expect(TrailerLayout(maxAlign: 32, maxImageSectors: 128).imageOKOffset(size: 4096) == 4096 - 64)
        // imgtool's measured trailer for --align 8 (notes §13.3): 3120 bytes.
        #expect(l.trailerSize(writeSize: 8) == 3120)
    }

    @Test("boot_set_pending: magic, image_ok only when permanent, swap_info 0x02 / 0x03; the bytes of notes §13.2")
    func setPending() throws {
        let magic: [UInt8] = [
            0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f, 0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80,
        ]
        for permanent in [false, true] {
            var d = try BootFixtures.device(BootFixtures.configuration(.swapUsingMove))
            try d.setPending(permanent: permanent)
            let bytes = d.flash.areas[.secondary]?.bytes ?? []
            let s = bytes.count
            #expect(Array(bytes[(s - 16)...]) == magic)
            #expect(bytes[s - 24] == (permanent ? 0x01 : 0xff))
            #expect(bytes[s - 32] == 0xff)
            #expect(bytes[s - 40] == (permanent ? 0x03 : 0x02))
            #expect(try d.pendingSwapType == (permanent ? .permanent : .test))
            // A second request leaves a good trailer alone.
            try d.setPending(permanent: !permanent)
            #expect(try d.pendingSwapType == (permanent ? .permanent : .test))
        }
    }

    @Test("boot_set_confirmed: nothing without magic, image_ok on a good trailer, bad magic refused")
    func confirm() throws {
        var d = try BootFixtures.device(BootFixtures.configuration(.swapUsingScratch))
        let before = d.flash.areas[.primary]?.bytes
        try d.confirm()
        #expect(d.flash.areas[.primary]?.bytes == before)
        try d.write(slot: .primary, offset: BootFixtures.sectorSize * BootFixtures.slotSectors - 16, bytes: [0x00])
        #expect(throws: BootError.self) { try d.confirm() }
    }

    @Test("Flash: writes are aligned and only onto erased units")
    func flash() throws {
        var d = try BootFixtures.device(BootFixtures.configuration(.overwriteOnly))
        #expect(throws: BootError.self) { try d.write(slot: .secondary, offset: 4, bytes: [1]) }
        #expect(throws: BootError.self) { try d.write(slot: .secondary, offset: 0, bytes: [1]) }
        try d.erase(slot: .secondary)
        try d.write(slot: .secondary, offset: 0, bytes: [1])
        #expect(d.prefix(.secondary, 8) == [1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
    }
}

@Suite("Upgrade policy: invalid candidates, downgrade prevention, the security counter")
struct UpgradePolicyTests {
    @Test(
        "A secondary with a broken signature is erased and the old image keeps booting",
        arguments: BootConfiguration.Strategy.allCases
    )
    func invalidSecondary(strategy: BootConfiguration.Strategy) throws {
        var bad = BootFixtures.new
        bad[0x100 + 10] ^= 0x01
        var d = try BootFixtures.device(BootFixtures.configuration(strategy), secondary: bad)
        try d.setPending(permanent: true)
        let r = try d.boot()
        #expect(r.swapType == .none)
        #expect(d.prefix(.primary, BootFixtures.old.count) == BootFixtures.old)
        #expect(d.flash.areas[.secondary]?.isErased(0..<(BootFixtures.sectorSize * BootFixtures.slotSectors)) == true)
    }

    @Test(
        "Downgrade prevention by version: an older secondary is erased",
        arguments: BootConfiguration.Strategy.allCases
    )
    func downgrade(strategy: BootConfiguration.Strategy) throws {
        var c = BootFixtures.configuration(strategy)
        c.downgradePrevention = .version
        var d = try BootFixtures.device(c, primary: BootFixtures.new, secondary: BootFixtures.old)
        try d.setPending(permanent: true)
        let r = try d.boot()
        #expect(r.version == ImageVersion(major: 1, minor: 1))
        #expect(d.prefix(.primary, BootFixtures.new.count) == BootFixtures.new)
        #expect(d.flash.areas[.secondary]?.isErased(0..<BootFixtures.sectorSize) == true)
        // Without it the same request downgrades.
        var open = try BootFixtures.device(
            BootFixtures.configuration(strategy),
            primary: BootFixtures.new,
            secondary: BootFixtures.old
        )
        try open.setPending(permanent: true)
        #expect(try open.boot().version == ImageVersion(major: 1))
    }

    @Test("Downgrade prevention by security counter (swap strategies): SEC_CNT 1 does not replace 2")
    func counterDowngrade() throws {
        for strategy in [BootConfiguration.Strategy.swapUsingScratch, .swapUsingMove] {
            var c = BootFixtures.configuration(strategy)
            c.downgradePrevention = .securityCounter
            var d = try BootFixtures.device(c, primary: BootFixtures.new, secondary: BootFixtures.old)
            try d.setPending(permanent: true)
            #expect(try d.boot().version == ImageVersion(major: 1, minor: 1))
        }
    }

    @Test(
        "Hardware rollback: the stored counter rises after a permanent upgrade, not after a test, and then rejects the old image"
    )
    func rollback() throws {
        var c = BootFixtures.configuration(.swapUsingMove)
        c.hardwareRollbackProtection = true
        var d = try BootFixtures.device(c, securityCounter: 1)
        try d.setPending(permanent: false)
        _ = try d.boot()
        #expect(d.securityCounter == 1)
        try d.confirm()
        _ = try d.boot()
        #expect(d.securityCounter == 2)
        // The old image (SEC_CNT 1), now in the secondary, no longer validates.
        try d.setPending(permanent: true)
        let r = try d.boot()
        #expect(r.version == ImageVersion(major: 1, minor: 1))
    }
}
