/// The image trailer at the end of a slot (§13 of the notes): magic, image_ok, copy_done, swap_info, swap_size.
public enum ImageTrailer {
    /// The 16-byte magic for `BOOT_MAX_ALIGN` 8.
    public static let magic8: [UInt8] = [
        0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f, 0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80,
    ]
    /// The last 14 bytes of the magic for larger alignments (preceded by the alignment as u16 LE).
    static let magicTail: [UInt8] = [
        0x2d, 0xe1, 0x5d, 0x29, 0x41, 0x0b, 0x8d, 0x77, 0x67, 0x9c, 0x11, 0x0f, 0x1f, 0x8a,
    ]

    /// The magic a bootloader with `BOOT_MAX_ALIGN` = `maxAlign` writes and expects.
    public static func magic(maxAlign: Int) -> [UInt8] {
        guard maxAlign != 8 else { return magic8 }
        var out: [UInt8] = []
        out.appendLE16(UInt16(truncatingIfNeeded: maxAlign))
        return out + magicTail
    }

    /// The trailer a bootloader build reserves at the end of each slot, as `bootutil_area.c` `boot_trailer_sz`
    /// computes it: the swap status (`boot_status_sz`: `BOOT_MAX_IMG_SECTORS` entries of `BOOT_STATUS_STATE_COUNT`
    /// records of the write size), then `boot_trailer_info_sz` (two key slots of `ALIGN_UP(key size, BOOT_MAX_ALIGN)`
    /// on an encryption build, four fields of `BOOT_MAX_ALIGN` for swap_info, copy_done, image_ok and swap_size, and
    /// the magic aligned up to `BOOT_MAX_ALIGN`).
    ///
    /// The defaults are MCUboot's and Zephyr's: `BOOT_MAX_ALIGN` 8, a write size of 8 and `CONFIG_BOOT_MAX_IMG_SECTORS`
    /// 128, with the 3 status states of swap-scratch and swap-move (swap-offset keeps 2 and one more field; its
    /// bound is better given as `maxImageSize`). The size is 3120 bytes without encryption.
    public struct Geometry: Hashable, Sendable {
        /// `BOOT_MAX_ALIGN`: 8, 16 or 32.
        public var maxAlign = 8
        /// `BOOT_WRITE_SZ`: the flash write size, one swap-status record.
        public var writeSize = 8
        /// `BOOT_MAX_IMG_SECTORS`.
        public var maxImageSectors = 128
        /// `BOOT_STATUS_STATE_COUNT` for swap-scratch and swap-move.
        public static let statusStates = 3
        /// Fields of one `BOOT_MAX_ALIGN` each: swap_info, copy_done, image_ok, swap_size.
        static let alignedFields = 4
        /// Key slots of an encryption build (`MCUBOOT_ENC_IMAGES`, without `MCUBOOT_SWAP_SAVE_ENCTLV`).
        static let keySlots = 2
        static let magicByteCount = 16

        public init(maxAlign: Int = 8, writeSize: Int = 8, maxImageSectors: Int = 128) {
            self.maxAlign = maxAlign
            self.writeSize = writeSize
            self.maxImageSectors = maxImageSectors
        }

        /// `boot_trailer_sz(writeSize)`; `encryptionKeyBytes` is `BOOT_ENC_KEY_SIZE` on an encryption build (16 or 32),
        /// nil without encryption.
        public func size(encryptionKeyBytes: Int?) -> Int {
            let status = maxImageSectors * Self.statusStates * writeSize
            let keys = encryptionKeyBytes.map { Self.keySlots * alignUp($0, maxAlign) } ?? 0
            return status + keys + Self.alignedFields * maxAlign + alignUp(Self.magicByteCount, maxAlign)
        }
    }

    /// Offset of image_ok from the slot end: the aligned magic block, then one alignment unit.
    public static func imageOKOffsetFromEnd(maxAlign: Int) -> Int { alignUp(16, maxAlign) + maxAlign }

    /// imgtool's trailer size, used for its slot-overflow check and its padding: `max_sectors × 3 × align` of swap
    /// status, two key slots when encrypting (16 bytes aligned, or the ENC TLV with `--save-enctlv` — imgtool
    /// reserves 16 even for AES-256), four flag/size fields and the aligned magic. Overwrite-only: two fields and
    /// the magic.
    public static func imgtoolTrailerSize(options o: ImageSignOptions, encTLVLength: Int) -> Int {
        let a = o.effectiveMaxAlign
        let magicBlock = alignUp(16, a)
        if o.overwriteOnly { return 2 * a + magicBlock }
        var size = o.maxSectors * 3 * o.align
        if o.encryption != nil {
            size += 2 * alignUp(o.encryption?.saveEncTLV == true ? encTLVLength : 16, a)
        }
        return size + 4 * a + magicBlock
    }

    /// What `--pad` appends: erased bytes up to the magic at the slot end, and image_ok = 1 with `--confirm`
    /// (not with overwrite-only).
    static func imgtoolPadding(imageLength: Int, trailerSize: Int, options o: ImageSignOptions) -> [UInt8] {
        let total = o.slotSize - imageLength
        let m = magic(maxAlign: o.effectiveMaxAlign)
        var out = [UInt8](repeating: o.erasedValue, count: total - m.count) + m
        if o.confirm && !o.overwriteOnly {
            out[total - imageOKOffsetFromEnd(maxAlign: o.effectiveMaxAlign)] = 0x01
        }
        return out
    }

    /// Trailer fields to write (nil leaves a field erased).
    public struct Fields: Sendable, Equatable {
        public var magic = true
        public var imageOK: Bool?
        public var copyDone: Bool?
        /// swap_info: swap type (2 TEST, 3 PERM, 4 REVERT) and image index.
        public var swapType: UInt8?
        public var imageIndex: UInt8 = 0
        public var swapSize: UInt32?
        public init() {}
    }

    /// Writes `fields` into the trailer at the end of `slot`, as the bootloader lays it out for `maxAlign`: magic at
    /// S-16, image_ok at S-align_up(16, A)-A, then copy_done, swap_info and swap_size (u32 LE) one unit of A lower
    /// each. Flags are written as 0x01 (set) or left erased; the rest of each unit stays erased.
    public static func write(_ fields: Fields, into slot: inout [UInt8], maxAlign: Int = 8, erasedValue: UInt8 = 0xff)
        throws(ImageError)
    {
        guard [8, 16, 32].contains(maxAlign) else { throw ImageError(.badArgument, "BOOT_MAX_ALIGN is 8, 16 or 32") }
        let s = slot.count
        let okOff = s - imageOKOffsetFromEnd(maxAlign: maxAlign)
        let sizeOff = okOff - 3 * maxAlign
        guard sizeOff >= 0 else { throw ImageError(.badArgument, "a \(s)-byte slot has no room for a trailer") }
        let m = magic(maxAlign: maxAlign)
        slot.replaceSubrange((s - 16)..<s, with: fields.magic ? m : [UInt8](repeating: erasedValue, count: 16))
        if fields.imageOK == true { slot[okOff] = 0x01 }
        if fields.copyDone == true { slot[okOff - maxAlign] = 0x01 }
        if let t = fields.swapType { slot[okOff - 2 * maxAlign] = (fields.imageIndex << 4) | (t & 0x0f) }
        if let size = fields.swapSize {
            for i in 0..<4 { slot[sizeOff + i] = UInt8(truncatingIfNeeded: size >> (8 * i)) }
        }
    }

    /// The BOOT_MAX_ALIGN a slot's trailer magic was written for: 8 for the 16-byte magic, the u16 in front of the
    /// 14-byte tail otherwise; nil when there is no recognisable magic.
    public static func maxAlign(ofSlot slot: [UInt8]) -> Int? {
        guard slot.count >= 16 else { return nil }
        let stored = Array(slot[(slot.count - 16)...])
        if stored == magic8 { return 8 }
        guard Array(stored[2...]) == magicTail, let a = stored.le16(at: 0), [16, 32].contains(Int(a)) else {
            return nil
        }
        return Int(a)
    }

    /// The trailer bytes as stored, field by field (what imgtool's dumpinfo prints).
    public struct Raw: Sendable {
        public var magic: [UInt8]
        public var imageOK: UInt8
        public var copyDone: UInt8
        public var swapInfo: UInt8
        public var swapSize: UInt32

        public init?(slot: [UInt8], maxAlign: Int) {
            let okOff = slot.count - imageOKOffsetFromEnd(maxAlign: maxAlign)
            let sizeOff = okOff - 3 * maxAlign
            guard sizeOff >= 0, let size = slot.le32(at: sizeOff) else { return nil }
            magic = Array(slot[(slot.count - 16)...])
            imageOK = slot[okOff]
            copyDone = slot[okOff - maxAlign]
            swapInfo = slot[okOff - 2 * maxAlign]
            swapSize = size
        }
    }

    /// A trailer field's state as the bootloader reads it.
    public enum FlagState: String, Sendable { case unset, set, bad }
    public enum MagicState: String, Sendable { case unset, good, bad }

    /// The trailer fields of a slot image (`slot` is the whole slot, trailer at its end).
    public struct State: Sendable, Equatable {
        public var magic: MagicState
        public var imageOK: FlagState
        public var copyDone: FlagState
        /// swap_info: (swap type 1–4 or nil for NONE, image index).
        public var swapType: UInt8?
        public var imageIndex: UInt8

        /// Reads the trailer as a bootloader with `maxAlign` and `erasedValue` would. nil if the slot is too short.
        public init?(slot: [UInt8], maxAlign: Int = 8, erasedValue: UInt8 = 0xff) {
            let s = slot.count
            let okOff = s - imageOKOffsetFromEnd(maxAlign: maxAlign)
            let swapInfoOff = okOff - 2 * maxAlign
            guard swapInfoOff >= 0 else { return nil }
            let stored = Array(slot[(s - 16)...])
            if stored.allSatisfy({ $0 == erasedValue }) {
                magic = .unset
            } else {
                magic = stored == ImageTrailer.magic(maxAlign: maxAlign) ? .good : .bad
            }
            func flag(_ b: UInt8) -> FlagState { b == erasedValue ? .unset : (b == 0x01 ? .set : .bad) }
            imageOK = flag(slot[okOff])
            copyDone = flag(slot[okOff - maxAlign])
            let info = slot[swapInfoOff]
            let type = info & 0x0f
            swapType = info == erasedValue || type > 4 || type == 0 ? nil : type
            imageIndex = info == erasedValue ? 0 : info >> 4
        }
    }
}
