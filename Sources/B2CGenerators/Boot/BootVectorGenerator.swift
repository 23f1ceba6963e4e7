import B2CHex
import B2CImage
import B2CVectors
import B2CWire

/// Builds `vectors/boot/boot_swap_test.json`: trailer states and the swap type bootutil decides from them
/// (`BootSwapType` groups, one per `BOOT_MAX_ALIGN`), and what a boot does with a candidate image (`BootUpgrade`
/// groups, one per upgrade strategy).
///
/// Every expected answer is a fact of mcu-tools/mcuboot at ``mcubootCommit``: the swap types are typed in per case
/// from `boot_swap_tables` (first matching row wins, none matching is NONE), the decoded trailer fields follow
/// ``BootTrailerFacts``, and the upgrade outcomes are typed in from `loader.c`. Nothing here runs the boot model.
package enum BootVectorGenerator {
    package static let schema = "boot_swap_test_schema_v1"
    package static let path = "boot/boot_swap_test.json"
    static let version = "1"
    /// The MCUboot commit the facts were read at.
    package static let mcubootCommit = "2d4bacc3c15ebb6f91c28807fe6eb38b4ba98f77"
    static let slotSize = 4096
    static let erased: UInt8 = 0xff

    package static func files() throws(VectorError) -> [(path: String, file: VectorFile)] {
        var groups: [VectorFile.TestGroup] = []
        var tcId = 0
        for align in [8, 16, 32] {
            let tests = swapCases.filter { $0.maxAlign == align }.map { c in
                tcId += 1
                return swapTest(c, tcId: tcId)
            }
            groups.append(
                VectorFile.TestGroup(
                    type: "BootSwapType",
                    source: .init(name: "b2c-boot-swap", version: version),
                    parameters: [
                        "maxAlign": .int(Int64(align)), "slotSize": .int(Int64(slotSize)),
                        "erasedValue": .int(Int64(erased)),
                    ],
                    tests: tests
                )
            )
        }
        for strategy in ["overwrite-only", "swap-scratch", "swap-move"] {
            var tests: [VectorFile.TestCase] = []
            for c in upgradeCases where c.strategies.contains(strategy) {
                tcId += 1
                tests.append(try upgradeTest(c, tcId: tcId))
            }
            groups.append(
                VectorFile.TestGroup(
                    type: "BootUpgrade",
                    source: .init(name: "b2c-boot-upgrade", version: version),
                    parameters: [
                        "strategy": .string(strategy), "maxAlign": .int(8),
                        "sectorSize": .int(Int64(Upgrade.sectorSize)), "slotSectors": .int(Int64(Upgrade.slotSectors)),
                        "writeSize": .int(8), "signature": .string("none"), "hash": .string("sha256"),
                    ],
                    tests: tests
                )
            )
        }
        let used = Set(groups.flatMap { $0.tests.flatMap(\.flags) })
        let file = VectorFile(
            schema: schema,
            area: "boot",
            algorithm: "MCUboot image trailer: swap-type decision and upgrade outcome (bootutil)",
            header: [
                "BootSwapType: the last bytes of each slot (from swap_info's offset to the slot's end, for the group's",
                "BOOT_MAX_ALIGN, erased value and slot size), the fields boot_read_swap_state decodes from them and the",
                "swap type of boot_swap_type_multi (builds without swap-offset). BootUpgrade: two images, a pending",
                "request and the build's downgrade prevention; the swap type the boot takes and the version it starts.",
                "Facts of mcu-tools/mcuboot \(mcubootCommit).",
            ],
            notes: notes.filter { used.contains($0.key) },
            testGroups: groups
        )
        return [(path, file)]
    }

    // MARK: Trailer states

    /// How the 16 magic bytes of a slot are written.
    enum Magic {
        /// All erased (`bootutil_buffer_is_erased`).
        case erased
        /// The magic of a build with this `BOOT_MAX_ALIGN`.
        case align(Int)
        /// The A=8 magic with its last byte changed.
        case corrupt
        /// All zero bytes.
        case zeros
    }

    /// One slot's trailer: the magic and the three one-byte fields (erased by default), and any other bytes placed
    /// by their distance from the slot's end.
    struct Slot {
        var magic: Magic = .erased
        var imageOK: UInt8 = 0xff
        var copyDone: UInt8 = 0xff
        var swapInfo: UInt8 = 0xff
        var extra: [(fromEnd: Int, byte: UInt8)] = []
    }

    struct SwapCase {
        var maxAlign = 8
        var comment: String
        var primary: Slot
        var secondary: Slot
        /// The swap type, typed in from `boot_swap_tables`.
        var expected: String
        var flags: [String]
    }

    static func erasedSlot() -> Slot { Slot() }

    /// The trailer after `boot_set_pending(0)`: magic and swap_info TEST.
    static func pendingTest(_ a: Int = 8) -> Slot { Slot(magic: .align(a), swapInfo: 0x02) }
    /// After `boot_set_pending(1)`: magic, image_ok and swap_info PERM.
    static func pendingPerm(_ a: Int = 8) -> Slot { Slot(magic: .align(a), imageOK: 0x01, swapInfo: 0x03) }
    /// A primary after a test swap, before its confirm: magic and copy_done, image_ok unset.
    static func swappedUnconfirmed(_ a: Int = 8) -> Slot { Slot(magic: .align(a), copyDone: 0x01, swapInfo: 0x02) }
    /// A primary after a confirmed (or permanent) swap: magic, copy_done and image_ok.
    static func swappedConfirmed(_ a: Int = 8) -> Slot {
        Slot(magic: .align(a), imageOK: 0x01, copyDone: 0x01, swapInfo: 0x03)
    }

    static let tableRef = "bootutil_public.c boot_swap_type_multi, boot_swap_tables"
    static let readRef = "bootutil_public.c boot_read_swap_state"

    /// The cases, typed in: (primary, secondary) → the swap type bootutil's table gives.
    static let swapCases: [SwapCase] = [
        // Row TEST: secondary magic GOOD, secondary image_ok UNSET; primary ANY.
        .init(
            comment: "row TEST: an empty primary, a secondary after boot_set_pending(0)",
            primary: erasedSlot(),
            secondary: pendingTest(),
            expected: "test",
            flags: ["SwapTest"]
        ),
        .init(
            comment: "row TEST: a confirmed primary, a new secondary after boot_set_pending(0)",
            primary: swappedConfirmed(),
            secondary: pendingTest(),
            expected: "test",
            flags: ["SwapTest"]
        ),
        .init(
            comment: "row TEST before REVERT: the secondary's request wins over an unconfirmed primary",
            primary: swappedUnconfirmed(),
            secondary: pendingTest(),
            expected: "test",
            flags: ["SwapTest"]
        ),
        .init(
            comment:
                "row TEST: primary magic, image_ok and copy_done BAD do not matter; secondary copy_done is ignored",
            primary: Slot(magic: .zeros, imageOK: 0x00, copyDone: 0x00, swapInfo: 0x00),
            secondary: Slot(magic: .align(8), copyDone: 0x01, swapInfo: 0x02),
            expected: "test",
            flags: ["SwapTest", "BadMagic", "BadFlag", "SwapInfo"]
        ),
        .init(
            comment: "row TEST: imgtool --pad's trailer, swap_info left erased (boot_swap_type_multi does not read it)",
            primary: erasedSlot(),
            secondary: Slot(magic: .align(8)),
            expected: "test",
            flags: ["SwapTest"]
        ),
        // Row PERM: secondary magic GOOD, secondary image_ok SET.
        .init(
            comment: "row PERM: an empty primary, a secondary after boot_set_pending(1)",
            primary: erasedSlot(),
            secondary: pendingPerm(),
            expected: "perm",
            flags: ["SwapPerm"]
        ),
        .init(
            comment: "row PERM before REVERT: a permanent request over an unconfirmed primary",
            primary: swappedUnconfirmed(),
            secondary: pendingPerm(),
            expected: "perm",
            flags: ["SwapPerm"]
        ),
        .init(
            comment: "row PERM: imgtool --confirm's trailer, image_ok only (swap_info erased)",
            primary: swappedConfirmed(),
            secondary: Slot(magic: .align(8), imageOK: 0x01),
            expected: "perm",
            flags: ["SwapPerm"]
        ),
        // Row REVERT: primary magic GOOD, primary image_ok UNSET, primary copy_done SET; secondary ANY.
        .init(
            comment: "row REVERT: a test image booted and not confirmed, the secondary erased",
            primary: swappedUnconfirmed(),
            secondary: erasedSlot(),
            expected: "revert",
            flags: ["Revert"]
        ),
        .init(
            comment:
                "row REVERT: secondary magic is ANY in this row (it was UNSET before mcuboot 4f393563), BAD matches",
            primary: swappedUnconfirmed(),
            secondary: Slot(magic: .corrupt, swapInfo: 0x02),
            expected: "revert",
            flags: ["Revert", "BadMagic"]
        ),
        .init(
            comment: "row REVERT: a GOOD secondary whose image_ok is BAD matches neither TEST nor PERM",
            primary: swappedUnconfirmed(),
            secondary: Slot(magic: .align(8), imageOK: 0x02),
            expected: "revert",
            flags: ["Revert", "BadFlag"]
        ),
        .init(
            comment:
                "row PERM before REVERT: a GOOD secondary with image_ok and copy_done SET is PERM over an unconfirmed primary",
            primary: swappedUnconfirmed(),
            secondary: Slot(magic: .align(8), imageOK: 0x01, copyDone: 0x01),
            expected: "perm",
            flags: ["SwapPerm"]
        ),
        .init(
            comment: "row REVERT: swap_info REVERT recorded in the primary is not what decides",
            primary: Slot(magic: .align(8), copyDone: 0x01, swapInfo: 0x04),
            secondary: erasedSlot(),
            expected: "revert",
            flags: ["Revert", "SwapInfo"]
        ),
        // No row matches: NONE.
        .init(
            comment: "no row: both slots erased",
            primary: erasedSlot(),
            secondary: erasedSlot(),
            expected: "none",
            flags: ["NoMatch"]
        ),
        .init(
            comment: "no row: a confirmed primary and an erased secondary",
            primary: swappedConfirmed(),
            secondary: erasedSlot(),
            expected: "none",
            flags: ["NoMatch"]
        ),
        .init(
            comment:
                "no row: primary magic GOOD, image_ok and copy_done UNSET (an imgtool --pad image flashed as primary)",
            primary: Slot(magic: .align(8)),
            secondary: erasedSlot(),
            expected: "none",
            flags: ["NoMatch"]
        ),
        .init(
            comment: "no row: primary image_ok BAD (0x00) is not UNSET, so no REVERT",
            primary: Slot(magic: .align(8), imageOK: 0x00, copyDone: 0x01),
            secondary: erasedSlot(),
            expected: "none",
            flags: ["NoMatch", "BadFlag"]
        ),
        .init(
            comment: "no row: primary copy_done BAD (0x02) is not SET, so no REVERT",
            primary: Slot(magic: .align(8), copyDone: 0x02),
            secondary: erasedSlot(),
            expected: "none",
            flags: ["NoMatch", "BadFlag"]
        ),
        .init(
            comment: "no row: primary magic BAD (one byte changed) with the revert flags",
            primary: Slot(magic: .corrupt, copyDone: 0x01),
            secondary: erasedSlot(),
            expected: "none",
            flags: ["NoMatch", "BadMagic"]
        ),
        .init(
            comment: "no row: secondary GOOD with image_ok BAD (0x00)",
            primary: erasedSlot(),
            secondary: Slot(magic: .align(8), imageOK: 0x00, swapInfo: 0x02),
            expected: "none",
            flags: ["NoMatch", "BadFlag"]
        ),
        .init(
            comment: "no row: secondary GOOD with image_ok 0x80 (only 0x01 is SET)",
            primary: erasedSlot(),
            secondary: Slot(magic: .align(8), imageOK: 0x80),
            expected: "none",
            flags: ["NoMatch", "BadFlag"]
        ),
        .init(
            comment: "no row: secondary GOOD with image_ok 0xfe (one bit off erased is not erased)",
            primary: swappedConfirmed(),
            secondary: Slot(magic: .align(8), imageOK: 0xfe),
            expected: "none",
            flags: ["NoMatch", "BadFlag"]
        ),
        .init(
            comment: "no row: secondary magic BAD (one byte changed) with image_ok SET",
            primary: erasedSlot(),
            secondary: Slot(magic: .corrupt, imageOK: 0x01, swapInfo: 0x03),
            expected: "none",
            flags: ["NoMatch", "BadMagic"]
        ),
        .init(
            comment: "no row: secondary magic all zero bytes",
            primary: swappedConfirmed(),
            secondary: Slot(magic: .zeros, swapInfo: 0x02),
            expected: "none",
            flags: ["NoMatch", "BadMagic"]
        ),
        .init(
            comment: "no row: the secondary carries the magic of a BOOT_MAX_ALIGN 16 build, BAD for this one",
            primary: erasedSlot(),
            secondary: Slot(magic: .align(16), swapInfo: 0x02),
            expected: "none",
            flags: ["NoMatch", "BadMagic", "MagicAlign"]
        ),
        .init(
            comment: "no row: the primary's revert flags under the magic of a BOOT_MAX_ALIGN 32 build",
            primary: Slot(magic: .align(32), copyDone: 0x01),
            secondary: erasedSlot(),
            expected: "none",
            flags: ["NoMatch", "BadMagic", "MagicAlign"]
        ),
        .init(
            comment: "no row: a swap_info TEST with the magic erased does not make a request",
            primary: erasedSlot(),
            secondary: Slot(imageOK: 0x01, swapInfo: 0x02),
            expected: "none",
            flags: ["NoMatch", "SwapInfo"]
        ),
        // swap_info decoding (boot_read_swap_state); the table does not read it.
        .init(
            comment: "swap_info 0x05 (FAIL, above REVERT) reads as NONE, image 0",
            primary: erasedSlot(),
            secondary: Slot(magic: .align(8), swapInfo: 0x05),
            expected: "test",
            flags: ["SwapInfo", "SwapTest"]
        ),
        .init(
            comment: "swap_info 0x00: type 0 is not above REVERT and is kept as read",
            primary: erasedSlot(),
            secondary: Slot(magic: .align(8), swapInfo: 0x00),
            expected: "test",
            flags: ["SwapInfo", "SwapTest"]
        ),
        .init(
            comment: "swap_info 0x12: TEST for image 1 (image number in the high nibble)",
            primary: erasedSlot(),
            secondary: Slot(magic: .align(8), swapInfo: 0x12),
            expected: "test",
            flags: ["SwapInfo", "SwapTest"]
        ),
        .init(
            comment: "swap_info 0x1f: type 15 reads as NONE and the image number is dropped to 0",
            primary: erasedSlot(),
            secondary: Slot(magic: .align(8), imageOK: 0x01, swapInfo: 0x1f),
            expected: "perm",
            flags: ["SwapInfo", "SwapPerm"]
        ),
        .init(
            comment: "swap_info 0x0f in the primary (type 15): NONE, image 0",
            primary: Slot(magic: .align(8), copyDone: 0x01, swapInfo: 0x0f),
            secondary: erasedSlot(),
            expected: "revert",
            flags: ["SwapInfo", "Revert"]
        ),
        .init(
            comment: "swap_info 0x34: REVERT for image 3",
            primary: Slot(magic: .align(8), imageOK: 0x01, copyDone: 0x01, swapInfo: 0x34),
            secondary: erasedSlot(),
            expected: "none",
            flags: ["SwapInfo", "NoMatch"]
        ),
        // BOOT_MAX_ALIGN 16.
        .init(
            maxAlign: 16,
            comment: "BOOT_MAX_ALIGN 16: row TEST with that build's magic (alignment 0x0010 first)",
            primary: erasedSlot(),
            secondary: pendingTest(16),
            expected: "test",
            flags: ["SwapTest", "MaxAlign"]
        ),
        .init(
            maxAlign: 16,
            comment: "BOOT_MAX_ALIGN 16: row PERM, image_ok at S-32",
            primary: swappedConfirmed(16),
            secondary: pendingPerm(16),
            expected: "perm",
            flags: ["SwapPerm", "MaxAlign"]
        ),
        .init(
            maxAlign: 16,
            comment: "BOOT_MAX_ALIGN 16: row REVERT, copy_done at S-48",
            primary: swappedUnconfirmed(16),
            secondary: erasedSlot(),
            expected: "revert",
            flags: ["Revert", "MaxAlign"]
        ),
        .init(
            maxAlign: 16,
            comment: "BOOT_MAX_ALIGN 16: the BOOT_MAX_ALIGN 8 magic is BAD",
            primary: erasedSlot(),
            secondary: Slot(magic: .align(8), swapInfo: 0x02),
            expected: "none",
            flags: ["NoMatch", "BadMagic", "MagicAlign"]
        ),
        .init(
            maxAlign: 16,
            comment: "BOOT_MAX_ALIGN 16: the BOOT_MAX_ALIGN 32 magic (0x0020 first) is BAD",
            primary: erasedSlot(),
            secondary: Slot(magic: .align(32), imageOK: 0x01),
            expected: "none",
            flags: ["NoMatch", "BadMagic", "MagicAlign"]
        ),
        .init(
            maxAlign: 16,
            comment:
                "BOOT_MAX_ALIGN 16: image_ok written at S-24 (an 8-aligned trailer's place) is not read; S-32 is UNSET",
            primary: erasedSlot(),
            secondary: Slot(magic: .align(16), extra: [(24, 0x01)]),
            expected: "test",
            flags: ["SwapTest", "MaxAlign", "TrailerOffsets"]
        ),
        // BOOT_MAX_ALIGN 32.
        .init(
            maxAlign: 32,
            comment: "BOOT_MAX_ALIGN 32: row TEST with that build's magic",
            primary: erasedSlot(),
            secondary: pendingTest(32),
            expected: "test",
            flags: ["SwapTest", "MaxAlign"]
        ),
        .init(
            maxAlign: 32,
            comment: "BOOT_MAX_ALIGN 32: row PERM, image_ok at ALIGN_DOWN(S-48, 32) = S-64",
            primary: erasedSlot(),
            secondary: pendingPerm(32),
            expected: "perm",
            flags: ["SwapPerm", "MaxAlign"]
        ),
        .init(
            maxAlign: 32,
            comment: "BOOT_MAX_ALIGN 32: row REVERT (copy_done at S-96) over a secondary with the 8 magic",
            primary: swappedUnconfirmed(32),
            secondary: Slot(magic: .align(8), swapInfo: 0x02),
            expected: "revert",
            flags: ["Revert", "MaxAlign", "BadMagic", "MagicAlign"]
        ),
        .init(
            maxAlign: 32,
            comment: "BOOT_MAX_ALIGN 32: the BOOT_MAX_ALIGN 16 magic is BAD",
            primary: erasedSlot(),
            secondary: Slot(magic: .align(16), swapInfo: 0x02),
            expected: "none",
            flags: ["NoMatch", "BadMagic", "MagicAlign"]
        ),
        .init(
            maxAlign: 32,
            comment: "BOOT_MAX_ALIGN 32: image_ok written at S-48 (unaligned S-16-32) is not read; S-64 is UNSET",
            primary: erasedSlot(),
            secondary: Slot(magic: .align(32), extra: [(48, 0x01)]),
            expected: "test",
            flags: ["SwapTest", "MaxAlign", "TrailerOffsets"]
        ),
    ]

    /// The last bytes of a slot of ``slotSize`` written as `slot` says, from swap_info's offset to the end.
    static func tail(_ slot: Slot, maxAlign a: Int) -> [UInt8] {
        let s = slotSize
        let start = BootTrailerFacts.swapInfoOffset(size: s, maxAlign: a)
        var bytes = [UInt8](repeating: erased, count: s - start)
        func put(_ off: Int, _ b: [UInt8]) { bytes.replaceSubrange((off - start)..<(off - start + b.count), with: b) }
        switch slot.magic {
        case .erased: break
        case .align(let n): put(BootTrailerFacts.magicOffset(size: s), BootTrailerFacts.magic(maxAlign: n))
        case .corrupt:
            var m = BootTrailerFacts.magic8
            m[15] ^= 0x01
            put(BootTrailerFacts.magicOffset(size: s), m)
        case .zeros: put(BootTrailerFacts.magicOffset(size: s), [UInt8](repeating: 0, count: 16))
        }
        put(BootTrailerFacts.imageOKOffset(size: s, maxAlign: a), [slot.imageOK])
        put(BootTrailerFacts.copyDoneOffset(size: s, maxAlign: a), [slot.copyDone])
        put(BootTrailerFacts.swapInfoOffset(size: s, maxAlign: a), [slot.swapInfo])
        for (fromEnd, b) in slot.extra { put(s - fromEnd, [b]) }
        return bytes
    }

    /// What `boot_read_swap_state` decodes from a tail made by ``tail(_:maxAlign:)``, as the one-line form the
    /// suite compares: `magic=good image_ok=unset copy_done=set swap_type=2 image_num=0`.
    static func state(of tail: [UInt8], maxAlign a: Int) -> String {
        let s = slotSize
        let start = s - tail.count
        func at(_ off: Int) -> UInt8 { tail[off - start] }
        let m = BootTrailerFacts.magicOffset(size: s)
        let magicBytes = Array(tail[(m - start)..<(m - start + BootTrailerFacts.magicByteCount)])
        let magic =
            magicBytes.allSatisfy { $0 == erased }
            ? "unset" : (magicBytes == BootTrailerFacts.magic(maxAlign: a) ? "good" : "bad")
        let ok = BootTrailerFacts.flag(at(BootTrailerFacts.imageOKOffset(size: s, maxAlign: a)), erased: erased)
        let cd = BootTrailerFacts.flag(at(BootTrailerFacts.copyDoneOffset(size: s, maxAlign: a)), erased: erased)
        let info = BootTrailerFacts.swapInfo(at(BootTrailerFacts.swapInfoOffset(size: s, maxAlign: a)), erased: erased)
        return "magic=\(magic) image_ok=\(ok) copy_done=\(cd) swap_type=\(info.type) image_num=\(info.image)"
    }

    static func swapTest(_ c: SwapCase, tcId: Int) -> VectorFile.TestCase {
        let p = tail(c.primary, maxAlign: c.maxAlign)
        let s = tail(c.secondary, maxAlign: c.maxAlign)
        return VectorFile.TestCase(
            tcId: tcId,
            comment: c.comment + " (\(tableRef); \(readRef))",
            flags: c.flags,
            result: .valid,
            fields: [
                "primary": .string(Hex.encode(p)),
                "secondary": .string(Hex.encode(s)),
                "primaryState": .string(state(of: p, maxAlign: c.maxAlign)),
                "secondaryState": .string(state(of: s, maxAlign: c.maxAlign)),
                "swapType": .string(c.expected),
            ]
        )
    }

    // MARK: Upgrades

    enum Upgrade {
        static let sectorSize = 1024
        static let slotSectors = 4
    }

    struct UpgradeCase {
        var comment: String
        var strategies: Set<String> = ["overwrite-only", "swap-scratch", "swap-move"]
        var primary: (version: ImageVersion, counter: UInt32?)
        var secondary: (version: ImageVersion, counter: UInt32?)
        /// Flip a byte of the secondary's body: its hash TLV no longer matches.
        var corrupt = false
        var permanent: Bool
        var downgradePrevention = "off"
        /// Typed in from `loader.c`: the swap type this boot takes, the version it starts, and (when the secondary is
        /// scrambled) that the secondary slot ends erased.
        var swapType: String
        var booted: ImageVersion
        var secondaryErased = false
        var flags: [String]
    }

    static let v090 = ImageVersion(major: 0, minor: 9)
    static let v100 = ImageVersion(major: 1)
    static let v110 = ImageVersion(major: 1, minor: 1)

    static let upgradeCases: [UpgradeCase] = [
        .init(
            comment: "a valid newer candidate, boot_set_pending(0): the swap type is TEST and the new image starts"
                + " (loader.c boot_validated_swap_type, boot_perform_update)",
            primary: (v100, nil),
            secondary: (v110, nil),
            permanent: false,
            swapType: "test",
            booted: v110,
            flags: ["Upgrade"]
        ),
        .init(
            comment: "a valid newer candidate, boot_set_pending(1): PERM, the new image starts"
                + " (loader.c boot_validated_swap_type, boot_perform_update)",
            primary: (v100, nil),
            secondary: (v110, nil),
            permanent: true,
            swapType: "perm",
            booted: v110,
            flags: ["Upgrade"]
        ),
        .init(
            comment: "a candidate whose hash does not match fails validation: the slot is scrambled, the swap type"
                + " NONE, the old image starts (loader.c boot_validate_slot, boot_validated_swap_type)",
            primary: (v100, nil),
            secondary: (v110, nil),
            corrupt: true,
            permanent: true,
            swapType: "none",
            booted: v100,
            secondaryErased: true,
            flags: ["InvalidCandidate"]
        ),
        .init(
            comment: "downgrade prevention by version: an older candidate is scrambled and the swap type is NONE"
                + " (loader.c boot_validate_slot (overwrite-only), check_downgrade_prevention (swap))",
            primary: (v100, nil),
            secondary: (v090, nil),
            permanent: true,
            downgradePrevention: "version",
            swapType: "none",
            booted: v100,
            secondaryErased: true,
            flags: ["Downgrade"]
        ),
        .init(
            comment: "downgrade prevention by version lets an equal version through: boot_compare_version is 0, not"
                + " below (bootutil_loader.c boot_compare_version, loader.c check_downgrade_prevention)",
            primary: (v100, nil),
            secondary: (v100, nil),
            permanent: true,
            downgradePrevention: "version",
            swapType: "perm",
            booted: v100,
            flags: ["Upgrade"]
        ),
        .init(
            comment: "without downgrade prevention an older candidate is installed (loader.c context_boot_go)",
            primary: (v100, nil),
            secondary: (v090, nil),
            permanent: true,
            swapType: "perm",
            booted: v090,
            flags: ["Upgrade"]
        ),
        .init(
            comment: "downgrade prevention by security counter (swap only): a lower protected SEC_CNT is scrambled,"
                + " NONE, even with a newer version (loader.c check_downgrade_prevention)",
            strategies: ["swap-scratch", "swap-move"],
            primary: (v100, 2),
            secondary: (v110, 1),
            permanent: true,
            downgradePrevention: "security-counter",
            swapType: "none",
            booted: v100,
            secondaryErased: true,
            flags: ["Downgrade"]
        ),
    ]

    /// A hash-only image (SHA-256, no signature) of `version`, its body seeded so two versions differ.
    static func image(_ version: ImageVersion, counter: UInt32?, seed: UInt8) throws(VectorError) -> [UInt8] {
        var o = ImageSignOptions(headerSize: 0x20, version: version, slotSize: Upgrade.sectorSize * Upgrade.slotSectors)
        o.padHeader = true
        o.securityCounter = counter
        let payload = (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }
        do {
            return try ImageBuilder.sign(payload, options: o)
        } catch {
            throw VectorError(file: path, location: "image \(version)", reason: "\(error)")
        }
    }

    static func upgradeTest(_ c: UpgradeCase, tcId: Int) throws(VectorError) -> VectorFile.TestCase {
        let primary = try image(c.primary.version, counter: c.primary.counter, seed: 1)
        var secondary = try image(c.secondary.version, counter: c.secondary.counter, seed: 2)
        if c.corrupt { secondary[0x20 + 100] ^= 0x01 }
        var fields: [String: JSONValue] = [
            "primary": .string(Hex.encode(primary)),
            "secondary": .string(Hex.encode(secondary)),
            "pending": .string(c.permanent ? "perm" : "test"),
            "downgradePrevention": .string(c.downgradePrevention),
            "swapType": .string(c.swapType),
            "booted": .string(c.booted.description),
        ]
        if c.secondaryErased { fields["secondaryAfter"] = .string("erased") }
        return VectorFile.TestCase(tcId: tcId, comment: c.comment, flags: c.flags, result: .valid, fields: fields)
    }

    // MARK: Notes

    static let source = "mcu-tools/mcuboot boot/bootutil/src/"
    static let notes: [String: VectorFile.Note] = [
        "SwapTest": .init(
            bugType: "FUNCTIONALITY",
            description: "boot_swap_tables row TEST: secondary magic GOOD and image_ok UNSET, whatever the primary.",
            specRefs: [source + "bootutil_public.c boot_swap_type_multi"]
        ),
        "SwapPerm": .init(
            bugType: "FUNCTIONALITY",
            description: "boot_swap_tables row PERM: secondary magic GOOD and image_ok SET, whatever the primary.",
            specRefs: [source + "bootutil_public.c boot_swap_type_multi"]
        ),
        "Revert": .init(
            bugType: "FUNCTIONALITY",
            description: "boot_swap_tables row REVERT: primary magic GOOD, image_ok UNSET, copy_done SET; the secondary"
                + " any (after TEST and PERM did not match).",
            specRefs: [source + "bootutil_public.c boot_swap_type_multi"]
        ),
        "NoMatch": .init(
            bugType: "FUNCTIONALITY",
            description: "No row of boot_swap_tables matches: the swap type is NONE.",
            specRefs: [source + "bootutil_public.c boot_swap_type_multi"]
        ),
        "BadMagic": .init(
            bugType: "MALFORMED_INPUT",
            description: "Trailer magic neither all erased nor the build's exact 16 bytes reads BAD.",
            specRefs: [source + "bootutil_public.c boot_read_swap_state", source + "bootutil_misc.h boot_magic_decode"]
        ),
        "MagicAlign": .init(
            bugType: "MALFORMED_INPUT",
            description: "The magic depends on BOOT_MAX_ALIGN: another build's magic reads BAD.",
            specRefs: [source + "bootutil_public.c boot_img_magic", source + "bootutil_priv.h boot_img_magic_t"]
        ),
        "BadFlag": .init(
            bugType: "MALFORMED_INPUT",
            description: "A flag byte (image_ok, copy_done) other than erased or 0x01 reads BAD and matches no row"
                + " that needs SET or UNSET.",
            specRefs: [source + "bootutil_public.c boot_read_flag, boot_flag_decode"]
        ),
        "SwapInfo": .init(
            bugType: "FUNCTIONALITY",
            description: "swap_info: low nibble the swap type, high nibble the image; erased or a type above REVERT"
                + " reads NONE with image 0. The swap-type table does not read it.",
            specRefs: [source + "bootutil_public.c boot_read_swap_state"]
        ),
        "MaxAlign": .init(
            bugType: "FUNCTIONALITY",
            description: "Trailer fields sit at offsets that depend on BOOT_MAX_ALIGN (8, 16 or 32).",
            specRefs: [source + "bootutil_misc.h boot_image_ok_off, boot_copy_done_off"]
        ),
        "TrailerOffsets": .init(
            bugType: "FUNCTIONALITY",
            description: "A byte outside the build's field offsets is not read as that field.",
            specRefs: [source + "bootutil_misc.h boot_image_ok_off"]
        ),
        "Upgrade": .init(
            bugType: "FUNCTIONALITY",
            description: "A valid candidate with a pending request is installed with the table's swap type.",
            specRefs: [source + "loader.c boot_validated_swap_type, context_boot_go"]
        ),
        "InvalidCandidate": .init(
            bugType: "AUTH_BYPASS",
            description: "A candidate that fails validation is scrambled and the boot takes swap type NONE.",
            specRefs: [source + "loader.c boot_validate_slot, boot_validated_swap_type"]
        ),
        "Downgrade": .init(
            bugType: "ROLLBACK",
            description: "Under downgrade prevention an older candidate (version, or protected security counter) is"
                + " scrambled and the boot takes swap type NONE.",
            specRefs: [source + "loader.c check_downgrade_prevention, boot_validate_slot"]
        ),
    ]
}
