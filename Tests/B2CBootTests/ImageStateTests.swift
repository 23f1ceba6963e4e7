import B2CBoot
import B2CImage
import Testing

/// SMP's image state list against Zephyr's (zephyrproject-rtos/zephyr
/// `subsys/mgmt/mcumgr/grp/img_mgmt/src/img_mgmt_state.c` `img_mgmt_state_flags`, `img_mgmt_state_read`,
/// `img_mgmt_get_next_boot_slot`; flag values from `include/zephyr/mgmt/mcumgr/grp/img_mgmt/img_mgmt.h`).
@Suite("Image states: the flags of Zephyr's img_mgmt")
struct ImageStateTests {
    typealias F = BootDevice.ImageFlags

    @Test("The flag values are IMG_MGMT_STATE_F_*: pending 0x01, confirmed 0x02, active 0x04, permanent 0x08")
    func values() {
        #expect(F.pending.rawValue == 0x01)
        #expect(F.confirmed.rawValue == 0x02)
        #expect(F.active.rawValue == 0x04)
        #expect(F.permanent.rawValue == 0x08)
    }

    func states(_ d: BootDevice) throws -> [FlashAreaID: (bootable: Bool, flags: F)] {
        var out: [FlashAreaID: (Bool, F)] = [:]
        for s in try d.imageStates { out[s.slot] = (s.bootable, s.flags) }
        return out
    }

    @Test(
        "NONE: active confirmed, the other slot nothing; TEST: the other pending; PERM: pending and permanent; REVERT: the active not confirmed, the other confirmed"
    )
    func bySwapType() throws {
        var d = try BootFixtures.device(BootFixtures.configuration(.swapUsingMove))
        _ = try d.boot()
        // NONE (img_mgmt_get_next_boot_slot gives the active slot): only the active slot has flags.
        var s = try states(d)
        #expect(s[.primary]?.flags == [.active, .confirmed])
        #expect(s[.secondary]?.flags == [])
        #expect(s[.primary]?.bootable == true && s[.secondary]?.bootable == true)
        // TEST: NEXT_BOOT_TYPE_TEST for the other slot, REPORT_SLOT_PENDING.
        try d.setPending(permanent: false)
        s = try states(d)
        #expect(s[.primary]?.flags == [.active, .confirmed])
        #expect(s[.secondary]?.flags == [.pending])
        // The test image booted and not confirmed: REVERT (NEXT_BOOT_TYPE_REVERT), so the active slot is not
        // confirmed and the other one, which a revert returns to, is.
        #expect(try d.boot().swapType == .test)
        s = try states(d)
        #expect(s[.primary]?.flags == [.active])
        #expect(s[.secondary]?.flags == [.confirmed])
        // Confirmed: NONE again.
        try d.confirm()
        s = try states(d)
        #expect(s[.primary]?.flags == [.active, .confirmed])
        #expect(s[.secondary]?.flags == [])
        // PERM: NEXT_BOOT_TYPE_NORMAL on the other slot, REPORT_SLOT_PENDING | REPORT_SLOT_PERMANENT.
        var p = try BootFixtures.device(BootFixtures.configuration(.swapUsingMove))
        _ = try p.boot()
        try p.setPending(permanent: true)
        s = try states(p)
        #expect(s[.primary]?.flags == [.active, .confirmed])
        #expect(s[.secondary]?.flags == [.pending, .permanent])
    }

    @Test("bootable is the header's IMAGE_F_NON_BOOTABLE, not a state flag (img_mgmt_state_encode_slot)")
    func bootable() throws {
        var o = ImageSignOptions(headerSize: 0x100, version: ImageVersion(major: 2), slotSize: 8192)
        o.padHeader = true
        o.key = BootFixtures.key
        o.nonBootable = true
        let image = try ImageBuilder.sign([UInt8](repeating: 0x5a, count: 500), options: o)
        let d = try BootFixtures.device(BootFixtures.configuration(.swapUsingMove), secondary: image)
        let s = try states(d)
        #expect(s[.secondary]?.bootable == false)
        #expect(s[.primary]?.bootable == true)
        #expect(s[.secondary]?.flags == [])
    }
}
