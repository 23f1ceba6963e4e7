import B2CImage

/// A device running MCUboot, as an SMP server or a test sees it: the flash areas, the stored security counter, and
/// the operations an application and the bootloader perform on them.
///
/// Sans-I/O: a value. Every program and erase goes through ``Flash``, whose power-fail budget interrupts any of them;
/// ``snapshot()`` and ``init(configuration:restoring:securityCounter:)`` move the flash contents to and from files
/// named by area.
public struct BootDevice: Sendable {
    public var flash: Flash
    public let configuration: BootConfiguration
    /// `boot_nv_security_counter_get` for image 0.
    public internal(set) var securityCounter: UInt32
    /// The last boot's result; nil before the first boot and after a failed one.
    public internal(set) var running: BootResult?

    /// A device with erased areas: two slots of `slotSectors` sectors and, for swap-scratch, a one-sector scratch.
    public init(
        configuration: BootConfiguration,
        sectorSize: Int,
        slotSectors: Int,
        writeSize: Int,
        erasedValue: UInt8 = 0xff,
        securityCounter: UInt32 = 0
    ) throws(BootError) {
        guard writeSize <= configuration.layout.maxAlign, [8, 16, 32].contains(configuration.layout.maxAlign) else {
            throw BootError(.geometry, "the write size must not exceed BOOT_MAX_ALIGN (8, 16 or 32)")
        }
        let slot = try FlashArea(
            sectorSize: sectorSize,
            sectorCount: slotSectors,
            writeSize: writeSize,
            erasedValue: erasedValue
        )
        var areas: [FlashAreaID: FlashArea] = [.primary: slot, .secondary: slot]
        if configuration.strategy == .swapUsingScratch { areas[.scratch] = slot.resized(sectorCount: 1) }
        self.init(configuration: configuration, flash: Flash(areas: areas), securityCounter: securityCounter)
    }

    public init(configuration: BootConfiguration, flash: Flash, securityCounter: UInt32 = 0) {
        self.configuration = configuration
        self.flash = flash
        self.securityCounter = securityCounter
    }

    /// The flash contents by file name (`primary.bin`, `secondary.bin`, `scratch.bin`), for `--flash-dir`.
    public func snapshot() -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for (id, a) in flash.areas { out[Self.fileName(id)] = a.bytes }
        return out
    }

    /// A device whose areas are those of a fresh one with `files` (from ``snapshot()``) copied in; a file of the
    /// wrong size is a geometry error.
    public init(
        configuration: BootConfiguration,
        sectorSize: Int,
        slotSectors: Int,
        writeSize: Int,
        erasedValue: UInt8 = 0xff,
        restoring files: [String: [UInt8]],
        securityCounter: UInt32 = 0
    ) throws(BootError) {
        try self.init(
            configuration: configuration,
            sectorSize: sectorSize,
            slotSectors: slotSectors,
            writeSize: writeSize,
            erasedValue: erasedValue,
            securityCounter: securityCounter
        )
        for (id, a) in flash.areas {
            guard let bytes = files[Self.fileName(id)] else { continue }
            guard bytes.count == a.size else {
                throw BootError(.geometry, "\(Self.fileName(id)) is \(bytes.count) bytes, not \(a.size)")
            }
            flash.areas[id]?.bytes = bytes
        }
    }

    public static func fileName(_ id: FlashAreaID) -> String { "\(id.rawValue).bin" }

    // MARK: What an application (or an SMP server) does

    /// Programs `bytes` into an image slot at `offset` (a multiple of the write size); the last unit is padded with
    /// the erased value. The slot must be erased there (``erase(slot:)`` first, as SMP's upload does).
    public mutating func write(slot: FlashAreaID, offset: Int, bytes: [UInt8]) throws(BootError) {
        let a = try flash.area(slot)
        let padding = (a.writeSize - bytes.count % a.writeSize) % a.writeSize
        try flash.write(slot, at: offset, bytes + [UInt8](repeating: a.erasedValue, count: padding))
    }

    /// Erases a whole slot (one erase).
    public mutating func erase(slot: FlashAreaID) throws(BootError) {
        try flash.erase(slot, 0..<(try flash.area(slot).size))
    }

    /// `boot_set_pending(permanent)` (`bootutil_public.c` `boot_set_next` on the secondary, not active): an
    /// unset trailer gets the magic, image_ok when permanent, and swap_info TEST or PERM; a good one is left as it
    /// is (a swap is already requested); a bad one is ``BootError/Code/badImage``.
    public mutating func setPending(permanent: Bool) throws(BootError) {
        let layout = configuration.layout
        switch SwapState(reading: try flash.area(.secondary), layout: layout).magic {
        case .good: return
        case .bad: throw BootError(.badImage, "the secondary slot's trailer magic is bad")
        case .unset:
            try BootTrailer.writeMagic(.secondary, layout: layout, flash: &flash)
            if permanent { try BootTrailer.writeImageOK(.secondary, layout: layout, flash: &flash) }
            try BootTrailer.writeSwapInfo(.secondary, permanent ? .permanent : .test, layout: layout, flash: &flash)
        }
    }

    /// `boot_set_confirmed` (`boot_set_next` on the primary, active): image_ok when the magic is good and image_ok
    /// unset (copy_done deliberately not checked); nothing without magic; a bad magic is
    /// ``BootError/Code/badVector``.
    public mutating func confirm() throws(BootError) {
        let layout = configuration.layout
        let state = SwapState(reading: try flash.area(.primary), layout: layout)
        switch state.magic {
        case .unset: return
        case .bad: throw BootError(.badVector, "the primary slot's trailer magic is bad")
        case .good:
            guard state.imageOK == .unset else { return }
            try BootTrailer.writeImageOK(.primary, layout: layout, flash: &flash)
        }
    }

    /// A reset: the bootloader runs (`context_boot_go`) and starts the primary slot's image. A power failure
    /// (``Flash/powerFailBudget``) leaves the flash as far as it got and throws ``BootError/Code/powerFail``.
    public mutating func boot() throws(BootError) -> BootResult {
        running = nil
        var loader = BootLoader(flash: flash, configuration: configuration, securityCounter: securityCounter)
        defer {
            flash = loader.flash
            securityCounter = loader.securityCounter
        }
        let result = try loader.boot()
        running = result
        return result
    }

    /// `boot_swap_type`: what the next boot would decide from the trailers alone.
    public var pendingSwapType: SwapType {
        get throws(BootError) {
            let layout = configuration.layout
            return SwapTable.swapType(
                primary: SwapState(reading: try flash.area(.primary), layout: layout),
                secondary: SwapState(reading: try flash.area(.secondary), layout: layout)
            )
        }
    }

    // MARK: What SMP reports

    public struct SlotInfo: Hashable, Sendable {
        public let slot: FlashAreaID
        public let size: Int
        public let sectorSize: Int
        public let sectorCount: Int
        /// The largest image the slot takes: up to its status area.
        public let maxImageSize: Int
    }

    public var slotInfo: [SlotInfo] {
        [FlashAreaID.primary, .secondary].compactMap { id in
            guard let a = flash.areas[id] else { return nil }
            let limit = configuration.layout.statusOffset(size: a.size, writeSize: a.writeSize)
            return SlotInfo(
                slot: id,
                size: a.size,
                sectorSize: a.sectorSize,
                sectorCount: a.sectorCount,
                maxImageSize: limit
            )
        }
    }

    /// SMP's image state flags, with the values of Zephyr's `IMG_MGMT_STATE_F_*` (`img_mgmt.h`: pending 0x01,
    /// confirmed 0x02, active 0x04, permanent 0x08), which `img_mgmt_state_flags` returns. "bootable" is not one of
    /// them: `img_mgmt_state_read` reports it from the image header (``ImageState/bootable``).
    public struct ImageFlags: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let pending = ImageFlags(rawValue: 0x01)
        public static let confirmed = ImageFlags(rawValue: 0x02)
        public static let active = ImageFlags(rawValue: 0x04)
        public static let permanent = ImageFlags(rawValue: 0x08)
    }

    public struct ImageState: Hashable, Sendable {
        public let slot: FlashAreaID
        public let version: ImageVersion
        /// The hash TLV's value (SHA-256 or what the image carries); empty when it has none.
        public let hash: [UInt8]
        /// SMP's "bootable": the header lacks `IMAGE_F_NON_BOOTABLE` (`img_mgmt_state_encode_slot`).
        public let bootable: Bool
        public let flags: ImageFlags
    }

    /// Each slot holding an image header, with its flags as Zephyr's `img_mgmt_state_read` sets them from the swap
    /// type (`img_mgmt_get_next_boot_slot`): the primary is active once booted, and confirmed unless a REVERT is due;
    /// the secondary is pending for TEST, pending and permanent for PERM, and confirmed for REVERT (the image a revert
    /// returns to); NONE gives it no flag.
    public var imageStates: [ImageState] {
        get throws(BootError) {
            let swapType = try pendingSwapType
            var out: [ImageState] = []
            for id in [FlashAreaID.primary, .secondary] {
                let bytes = try flash.area(id).bytes
                guard bytes.le32(at: 0) == ImageHeader.magic,
                    let header = try? ImageHeader(parsing: Array(bytes[0..<ImageHeader.byteCount]))
                else { continue }
                var flags: ImageFlags = []
                let hash = (try? MCUbootImage(parsing: bytes)).flatMap { image in
                    image.tlvs.first { [.sha256, .sha384, .sha512].contains($0.type) }.map {
                        Array(image.value(of: $0))
                    }
                }
                if id == .primary {
                    if running != nil { flags.insert(.active) }
                    if swapType != .revert { flags.insert(.confirmed) }
                } else {
                    switch swapType {
                    case .test: flags.insert(.pending)
                    case .permanent: flags.formUnion([.pending, .permanent])
                    case .revert: flags.insert(.confirmed)
                    default: break
                    }
                }
                out.append(
                    ImageState(
                        slot: id,
                        version: header.version,
                        hash: hash ?? [],
                        bootable: !header.flags.contains(.nonBootable),
                        flags: flags
                    )
                )
            }
            return out
        }
    }
}

extension FlashArea {
    /// The same device's area with another sector count, erased.
    func resized(sectorCount: Int) -> FlashArea {
        var a = self
        a.bytes = [UInt8](repeating: erasedValue, count: sectorSize * sectorCount)
        return FlashArea(copying: a, sectorCount: sectorCount)
    }

    private init(copying a: FlashArea, sectorCount: Int) {
        self.sectorSize = a.sectorSize
        self.sectorCount = sectorCount
        self.writeSize = a.writeSize
        self.erasedValue = a.erasedValue
        self.bytes = a.bytes
    }
}
