import B2CImage

/// How a boot model build is configured: the upgrade strategy, the trailer geometry and the image checks.
public struct BootConfiguration: Sendable {
    /// `MCUBOOT_OVERWRITE_ONLY`, `MCUBOOT_SWAP_USING_SCRATCH`, `MCUBOOT_SWAP_USING_MOVE`.
    public enum Strategy: String, CaseIterable, Hashable, Sendable {
        case overwriteOnly = "overwrite-only"
        case swapUsingScratch = "swap-scratch"
        case swapUsingMove = "swap-move"
    }

    /// `MCUBOOT_DOWNGRADE_PREVENTION`, and with `MCUBOOT_DOWNGRADE_PREVENTION_SECURITY_COUNTER` the protected
    /// SEC_CNT of the two slots instead of their versions (swap strategies only; notes §4.3).
    public enum DowngradePrevention: String, Hashable, Sendable {
        case off, version, securityCounter = "security-counter"
    }

    public var strategy: Strategy
    /// The image checks of `boot_validate_slot` (`bootutil_img_validate`); nil accepts any image with a header, as a
    /// hash-less test build would. The slot size and the maximum image size are filled in per slot.
    public var verifier: ImageVerifier.Configuration?
    /// `BOOT_MAX_ALIGN` and `BOOT_MAX_IMG_SECTORS`.
    public var layout: TrailerLayout
    public var downgradePrevention: DowngradePrevention = .off
    /// `MCUBOOT_VERSION_CMP_USE_BUILD_NUMBER`.
    public var compareBuildNumber = false
    /// `MCUBOOT_HW_ROLLBACK_PROT`: candidates are checked against the stored counter, which rises after a
    /// non-test boot (`boot_update_hw_rollback_protection`).
    public var hardwareRollbackProtection = false
    /// `MCUBOOT_VALIDATE_PRIMARY_SLOT`: the primary is validated before it boots.
    public var validatePrimarySlot = true

    public init(strategy: Strategy, verifier: ImageVerifier.Configuration?, layout: TrailerLayout) {
        self.strategy = strategy
        self.verifier = verifier
        self.layout = layout
    }
}

/// What one run of the bootloader did and which image it started.
public struct BootResult: Hashable, Sendable {
    /// The swap type decided this boot (for a resumed swap, the one recorded in the trailer).
    public let swapType: SwapType
    /// Whether this boot finished a swap an earlier one had started (`boot_complete_partial_swap`).
    public let resumed: Bool
    /// The header version of the image in the primary slot, which now runs.
    public let version: ImageVersion
    /// The image's hash (the digest its hash TLV carries, as SMP's image state reports it).
    public let hash: [UInt8]
    /// The primary trailer's image_ok is set, or it has no trailer magic: nothing will revert it.
    public let confirmed: Bool
    /// Flash writes and erases this boot performed.
    public let operations: Int
}

/// `struct boot_status`: where a swap is, and what it is.
struct BootStatus: Hashable, Sendable {
    enum Op: Hashable, Sendable { case move, swap }
    enum Source: Hashable, Sendable { case none, primary, scratch }
    /// `BOOT_STATUS_IDX_0` and `BOOT_STATUS_STATE_0`.
    static let firstIndex = 1
    static let firstState = 1

    var op = Op.move
    var idx = firstIndex
    var state = firstState
    var swapType = SwapType.none
    var swapSize = 0
    var source = Source.none

    /// `boot_status_is_reset`.
    var isReset: Bool { op == .move && idx == Self.firstIndex && state == Self.firstState }
}

/// The single-image loader of `loader.c` (`context_boot_go`) for the three strategies, acting on a ``Flash``.
struct BootLoader {
    var flash: Flash
    let configuration: BootConfiguration
    var securityCounter: UInt32

    /// `BUF_SZ` of `boot_copy_region` (`loader.c`): one write per 1024 bytes copied.
    static let copyChunk = 1024
    /// `IMAGE_MAGIC` and the header fields the loader reads before validating (`struct image_header`).
    static let headerMagicRange = 0..<4
    static let unprotectedInfoByteCount = 4

    var layout: TrailerLayout { configuration.layout }

    func area(_ id: FlashAreaID) throws(BootError) -> FlashArea { try flash.area(id) }

    func swapState(_ id: FlashAreaID) throws(BootError) -> SwapState {
        SwapState(reading: try area(id), layout: layout)
    }

    /// `boot_check_header_erased` is the negation: the slot starts with `IMAGE_MAGIC`.
    func hasHeader(_ id: FlashAreaID) throws(BootError) -> Bool {
        try area(id).bytes.le32(at: 0) == ImageHeader.magic
    }

    func header(_ id: FlashAreaID) throws(BootError) -> ImageHeader? {
        let a = try area(id)
        return try? ImageHeader(parsing: Array(a.bytes[0..<ImageHeader.byteCount]))
    }

    /// `boot_read_image_size`: header, body and protected TLVs, then the unprotected area's total.
    func imageSize(_ id: FlashAreaID) throws(BootError) -> Int? {
        guard try hasHeader(id), let h = try header(id) else { return nil }
        let a = try area(id)
        let off = Int(h.headerSize) + Int(h.imageSize) + Int(h.protectedTLVSize)
        guard off + Self.unprotectedInfoByteCount <= a.size, a.bytes.le16(at: off) == MCUbootImage.unprotectedInfoMagic,
            let total = a.bytes.le16(at: off + 2)
        else { return nil }
        return off + Int(total)
    }

    // MARK: Region operations

    /// `boot_erase_region`: one erase, or one per sector from the last when `backwards`.
    mutating func eraseRegion(_ id: FlashAreaID, _ range: Range<Int>, backwards: Bool = false) throws(BootError) {
        guard !range.isEmpty else { return }
        guard backwards else { return try flash.erase(id, range) }
        let s = try area(id).sectorSize
        var end = range.upperBound
        while end > range.lowerBound {
            let start = max(range.lowerBound, alignDown(end - 1, s))
            try flash.erase(id, start..<end)
            end = start
        }
    }

    /// `boot_copy_region`: reads and writes in chunks of `BUF_SZ`.
    mutating func copyRegion(from src: FlashAreaID, _ srcOff: Int, to dst: FlashAreaID, _ dstOff: Int, _ count: Int)
        throws(BootError)
    {
        var done = 0
        while done < count {
            let n = min(Self.copyChunk, count - done)
            let chunk = try flash.read(src, (srcOff + done)..<(srcOff + done + n))
            try flash.write(dst, at: dstOff + done, chunk)
            done += n
        }
    }

    /// `swap_scramble_trailer_sectors` on a device that needs erasing: from the sector holding the trailer's start
    /// (`boot_trailer_scramble_offset`) to the end, backwards.
    mutating func scrambleTrailerSectors(_ id: FlashAreaID) throws(BootError) {
        let a = try area(id)
        let start = alignDown(a.size - layout.trailerSize(writeSize: a.writeSize), a.sectorSize)
        try eraseRegion(id, start..<a.size, backwards: true)
    }

    /// `boot_scramble_slot` without `MCUBOOT_MINIMAL_SCRAMBLE`: the whole area.
    mutating func scrambleSlot(_ id: FlashAreaID) throws(BootError) {
        try eraseRegion(id, 0..<(try area(id).size))
    }

    // MARK: Validation

    enum Validity { case valid, noBootableImage }

    /// The verifier for `slot`: the build's, bounded by the slot and its status area, with the stored counter.
    func verifier(for id: FlashAreaID) throws(BootError) -> ImageVerifier? {
        guard var c = configuration.verifier else { return nil }
        let a = try area(id)
        c.slotSize = a.size
        if c.maxImageSize == nil { c.maxImageSize = layout.statusOffset(size: a.size, writeSize: a.writeSize) }
        c.secondarySlot = id == .secondary
        if configuration.hardwareRollbackProtection { c.securityCounterFloor = securityCounter }
        return ImageVerifier(c)
    }

    /// The image's hash and whether it passes: `boot_check_image` through ``ImageVerifier``.
    func check(_ id: FlashAreaID) throws(BootError) -> [UInt8]? {
        let bytes = try area(id).bytes
        guard let v = try verifier(for: id) else { return [] }
        return try? v.verify(bytes).digest
    }

    /// `boot_validate_slot` (`loader.c`) for the secondary slot, with its side effects: an erased or non-bootable
    /// header scrambles a leftover trailer (swap strategies; swap-move also the primary's during a revert);
    /// overwrite-only downgrade prevention and a failed validation scramble the whole slot.
    mutating func validateSecondary(status: BootStatus) throws(BootError) -> Validity {
        let nonBootable = try header(.secondary)?.flags.contains(.nonBootable) ?? false
        let erased = try !hasHeader(.secondary)
        if erased || nonBootable {
            if configuration.strategy != .overwriteOnly {
                try scrambleTrailerSectors(.secondary)
                let tableType = try tableSwapType()
                let reverting = status.swapType == .revert || tableType == .revert
                if configuration.strategy == .swapUsingMove, reverting { try scrambleTrailerSectors(.primary) }
            }
            return .noBootableImage
        }
        if configuration.strategy == .overwriteOnly, configuration.downgradePrevention != .off,
            let candidate = try header(.secondary), let running = try header(.primary), try hasHeader(.primary)
        {
            let policy = DowngradePolicy(
                runningVersion: running.version,
                compareBuildNumber: configuration.compareBuildNumber
            )
            if policy.evaluate(version: candidate.version).failure != nil {
                try scrambleSlot(.secondary)
                return .noBootableImage
            }
        }
        guard try check(.secondary) != nil else {
            try scrambleSlot(.secondary)
            return .noBootableImage
        }
        return .valid
    }

    /// `boot_swap_type_multi`.
    func tableSwapType() throws(BootError) -> SwapType {
        SwapTable.swapType(primary: try swapState(.primary), secondary: try swapState(.secondary))
    }

    /// `boot_validated_swap_type`: the table's answer, NONE when an upgrade's secondary does not validate.
    mutating func validatedSwapType(status: BootStatus) throws(BootError) -> SwapType {
        let t = try tableSwapType()
        guard t.isUpgrade else { return t }
        return try validateSecondary(status: status) == .valid ? t : .none
    }

    /// The protected SEC_CNT (`bootutil_get_img_security_cnt`: the protected area only).
    func protectedSecurityCounter(_ id: FlashAreaID) throws(BootError) -> UInt32? {
        guard let image = try? MCUbootImage(parsing: try area(id).bytes) else { return nil }
        guard let tlv = image.tlvs.first(where: { $0.type == .securityCounter && $0.isProtected }),
            tlv.length == SecurityCounterPolicy.valueByteCount
        else { return nil }
        return image.bytes.le32(at: tlv.valueOffset)
    }

    /// `check_downgrade_prevention` (swap strategies): versions, or the two protected counters (a primary without one
    /// lets anything through; a secondary without one, or lower, is refused). A refused secondary is scrambled.
    mutating func downgradePrevented() throws(BootError) -> Bool {
        guard configuration.strategy != .overwriteOnly else { return false }
        let refused: Bool
        switch configuration.downgradePrevention {
        case .off: return false
        case .version:
            guard let candidate = try header(.secondary), let running = try header(.primary) else { return false }
            let policy = DowngradePolicy(
                runningVersion: running.version,
                compareBuildNumber: configuration.compareBuildNumber
            )
            refused = policy.evaluate(version: candidate.version).failure != nil
        case .securityCounter:
            guard let running = try protectedSecurityCounter(.primary) else { return false }
            if let candidate = try protectedSecurityCounter(.secondary) {
                refused = SecurityCounterPolicy(floor: running).evaluate(counter: candidate).failure != nil
            } else {
                refused = true
            }
        }
        if refused { try scrambleSlot(.secondary) }
        return refused
    }

    // MARK: Boot

    /// `context_boot_go` for one image: finish an interrupted swap or decide and perform a new one, then validate the
    /// primary and raise the stored security counter.
    mutating func boot() throws(BootError) -> BootResult {
        let start = flash.operationCount
        var resumed = false
        var type: SwapType
        if configuration.strategy == .overwriteOnly {
            type = try validatedSwapType(status: BootStatus())
            if type == .test || type == .permanent || type == .revert { try copyImage() }
        } else {
            try checkSwapGeometry()
            var bs = try readStatus()
            if !bs.isReset {
                resumed = true
                type = bs.swapType
                try swapImage(&bs)
                try finishSwap(bs.swapType)
            } else {
                if bs.swapType == .none {
                    type = try validatedSwapType(status: bs)
                } else {
                    type = try validateSecondary(status: bs) == .valid ? bs.swapType : .fail
                }
                bs.swapType = type
                switch type {
                case .none: break
                case .test, .permanent, .revert:
                    if type != .revert, try downgradePrevented() {
                        type = .none
                        break
                    }
                    try swapImage(&bs)
                    if bs.swapType == .none {
                        type = .none
                        break
                    }
                    try finishSwap(type)
                case .fail:
                    try setPrimaryImageOK()
                case .panic:
                    throw BootError(.panic, "swap type \(type) cannot be acted on")
                }
            }
        }
        guard let h = try header(.primary), try hasHeader(.primary) else {
            throw BootError(.noBootableImage, "the primary slot holds no image header")
        }
        var hash: [UInt8] = []
        if configuration.validatePrimarySlot {
            guard let digest = try check(.primary) else {
                throw BootError(.noBootableImage, "the image in the primary slot does not validate")
            }
            hash = digest
        }
        let primary = try swapState(.primary)
        if configuration.hardwareRollbackProtection, primary.magic != .good || primary.imageOK == .set,
            let counter = try protectedSecurityCounter(.primary), counter > securityCounter
        {
            securityCounter = counter
        }
        return BootResult(
            swapType: type,
            resumed: resumed,
            version: h.version,
            hash: hash,
            confirmed: primary.magic != .good || primary.imageOK == .set,
            operations: flash.operationCount - start
        )
    }

    /// After a swap (`boot_perform_update`, `boot_complete_partial_swap`): image_ok for a revert or permanent swap
    /// (`swap_set_image_ok`), then copy_done for every upgrade (`swap_set_copy_done`).
    mutating func finishSwap(_ type: SwapType) throws(BootError) {
        if type == .revert || type == .permanent { try setPrimaryImageOK() }
        if type.isUpgrade { try BootTrailer.writeCopyDone(.primary, layout: layout, flash: &flash) }
    }

    /// `swap_set_image_ok`: only when unset.
    mutating func setPrimaryImageOK() throws(BootError) {
        guard try swapState(.primary).imageOK == .unset else { return }
        try BootTrailer.writeImageOK(.primary, layout: layout, flash: &flash)
    }

    /// Slots of equal uniform sectors, and for swap-scratch a scratch of one sector of that size.
    func checkSwapGeometry() throws(BootError) {
        let p = try area(.primary)
        let s = try area(.secondary)
        guard p.sectorSize == s.sectorSize, p.sectorCount == s.sectorCount, p.writeSize <= layout.maxAlign else {
            throw BootError(.geometry, "the model swaps slots of equal uniform sectors, written at most BOOT_MAX_ALIGN")
        }
        guard p.sectorCount <= layout.maxImageSectors else {
            throw BootError(.geometry, "more sectors than BOOT_MAX_IMG_SECTORS (boot_slots_compatible)")
        }
        if configuration.strategy == .swapUsingScratch {
            let c = try area(.scratch)
            guard c.size >= p.sectorSize else { throw BootError(.geometry, "the scratch area holds no sector") }
        }
    }
}
