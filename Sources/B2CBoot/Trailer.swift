import B2CImage

/// `BOOT_SWAP_TYPE_*` (`bootutil_public.h`).
public enum SwapType: UInt8, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case none = 1, test = 2, permanent = 3, revert = 4, fail = 5, panic = 0xff

    /// The name `boot.swap-type` answers with.
    public var description: String {
        switch self {
        case .none: "none"
        case .test: "test"
        case .permanent: "perm"
        case .revert: "revert"
        case .fail: "fail"
        case .panic: "panic"
        }
    }

    /// `BOOT_IS_UPGRADE`: test, permanent and revert move images.
    public var isUpgrade: Bool { self == .test || self == .permanent || self == .revert }
}

/// What a boot model build uses of the trailer geometry: `BOOT_MAX_ALIGN`, the status records per sector and
/// `BOOT_MAX_IMG_SECTORS` (the status area is sized for that many sectors whatever the slot has).
public struct TrailerLayout: Hashable, Sendable {
    public static let magicByteCount = 16
    /// Status records per sector index: `BOOT_STATUS_STATE_COUNT` for swap-scratch; swap-move keeps
    /// `BOOT_STATUS_MOVE_STATE_COUNT` (1) move records for every sector first, then 2 swap records per sector
    /// (`bootutil_area.h`); both total 3.
    public static let statusStates = 3
    public static let moveStates = 1
    public static let swapStates = 2

    public var maxAlign: Int
    public var maxImageSectors: Int

    public init(maxAlign: Int = 8, maxImageSectors: Int) {
        self.maxAlign = maxAlign
        self.maxImageSectors = maxImageSectors
    }

    /// `BOOT_MAGIC_ALIGN_SIZE`: the magic's write, aligned up to `BOOT_MAX_ALIGN`.
    public var magicWriteSize: Int { alignUp(Self.magicByteCount, maxAlign) }

    /// `boot_magic_off`, `boot_image_ok_off`, `boot_copy_done_off`, `boot_swap_info_off` and `boot_swap_size_off`
    /// (`bootutil_misc.h`, `bootutil_public.c`) in an area of `size` bytes, without encryption keys.
    public func magicOffset(size: Int) -> Int { size - Self.magicByteCount }
    public func imageOKOffset(size: Int) -> Int { alignDown(magicOffset(size: size) - maxAlign, maxAlign) }
    public func copyDoneOffset(size: Int) -> Int { imageOKOffset(size: size) - maxAlign }
    public func swapInfoOffset(size: Int) -> Int { copyDoneOffset(size: size) - maxAlign }
    public func swapSizeOffset(size: Int) -> Int { swapInfoOffset(size: size) - maxAlign }

    /// `boot_trailer_sz(write size)` (`bootutil_area.c`): the status records, four fields of `BOOT_MAX_ALIGN` and the
    /// aligned magic. The same as ``ImageTrailer/Geometry/size(encryptionKeyBytes:)`` with no encryption.
    public func trailerSize(writeSize: Int) -> Int {
        ImageTrailer.Geometry(maxAlign: maxAlign, writeSize: writeSize, maxImageSectors: maxImageSectors)
            .size(encryptionKeyBytes: nil)
    }

    /// `boot_status_off`: where the status records start in an image slot.
    public func statusOffset(size: Int, writeSize: Int) -> Int { size - trailerSize(writeSize: writeSize) }
}

/// `struct boot_swap_state`: one area's trailer as `boot_read_swap_state` (`bootutil_public.c`) decodes it.
public struct SwapState: Hashable, Sendable {
    public var magic: ImageTrailer.MagicState
    /// The swap type recorded in swap_info (NONE when erased or above REVERT); the low nibble, kept as read.
    public var swapType: UInt8
    /// The image number in swap_info's high nibble (0 when the type was replaced by NONE).
    public var imageNumber: UInt8
    public var copyDone: ImageTrailer.FlagState
    public var imageOK: ImageTrailer.FlagState

    public init(
        magic: ImageTrailer.MagicState,
        swapType: UInt8 = SwapType.none.rawValue,
        imageNumber: UInt8 = 0,
        copyDone: ImageTrailer.FlagState,
        imageOK: ImageTrailer.FlagState
    ) {
        self.magic = magic
        self.swapType = swapType
        self.imageNumber = imageNumber
        self.copyDone = copyDone
        self.imageOK = imageOK
    }

    /// Decodes the trailer at the end of `area`: magic all-erased UNSET, the build's magic GOOD, else BAD
    /// (`boot_magic_decode`); a flag byte erased UNSET, 0x01 SET, else BAD (`boot_flag_decode`); swap_info's low
    /// nibble above REVERT, or the byte erased, reads as NONE with image 0.
    public init(reading area: FlashArea, layout: TrailerLayout) {
        let s = area.size
        let m = layout.magicOffset(size: s)
        let magicRange = m..<(m + TrailerLayout.magicByteCount)
        if area.isErased(magicRange) {
            magic = .unset
        } else {
            magic = Array(area.bytes[magicRange]) == ImageTrailer.magic(maxAlign: layout.maxAlign) ? .good : .bad
        }
        let info = area.bytes[layout.swapInfoOffset(size: s)]
        let type = info & 0x0f
        if info == area.erasedValue || type > SwapType.revert.rawValue {
            swapType = SwapType.none.rawValue
            imageNumber = 0
        } else {
            swapType = type
            imageNumber = info >> 4
        }
        func flag(_ b: UInt8) -> ImageTrailer.FlagState {
            b == area.erasedValue ? .unset : (b == BootTrailer.flagSet ? .set : .bad)
        }
        copyDone = flag(area.bytes[layout.copyDoneOffset(size: s)])
        imageOK = flag(area.bytes[layout.imageOKOffset(size: s)])
    }
}

/// The swap-type decision of `boot_swap_type_multi` (`bootutil_public.c`), for the builds without swap-offset: the
/// rows of `boot_swap_tables`, first match wins. nil in a cell is ANY.
public enum SwapTable {
    public struct Row: Hashable, Sendable {
        public let primaryMagic: ImageTrailer.MagicState?
        public let secondaryMagic: ImageTrailer.MagicState?
        public let primaryImageOK: ImageTrailer.FlagState?
        public let secondaryImageOK: ImageTrailer.FlagState?
        public let primaryCopyDone: ImageTrailer.FlagState?
        public let swapType: SwapType
    }

    /// `boot_swap_tables` without `MCUBOOT_SWAP_USING_OFFSET`: a secondary with good magic and image_ok unset is a
    /// test, with image_ok set permanent; a primary with good magic, image_ok unset and copy_done set reverts.
    public static let rows: [Row] = [
        Row(
            primaryMagic: nil,
            secondaryMagic: .good,
            primaryImageOK: nil,
            secondaryImageOK: .unset,
            primaryCopyDone: nil,
            swapType: .test
        ),
        Row(
            primaryMagic: nil,
            secondaryMagic: .good,
            primaryImageOK: nil,
            secondaryImageOK: .set,
            primaryCopyDone: nil,
            swapType: .permanent
        ),
        Row(
            primaryMagic: .good,
            secondaryMagic: nil,
            primaryImageOK: .unset,
            secondaryImageOK: nil,
            primaryCopyDone: .set,
            swapType: .revert
        ),
    ]

    /// The swap type for these two trailers; NONE when no row matches.
    public static func swapType(primary: SwapState, secondary: SwapState) -> SwapType {
        func ok<T: Equatable>(_ cell: T?, _ value: T) -> Bool { cell.map { $0 == value } ?? true }
        for r in rows
        where ok(r.primaryMagic, primary.magic) && ok(r.secondaryMagic, secondary.magic)
            && ok(r.primaryImageOK, primary.imageOK) && ok(r.secondaryImageOK, secondary.imageOK)
            && ok(r.primaryCopyDone, primary.copyDone)
        {
            return r.swapType
        }
        return .none
    }
}

/// Writes of trailer fields, as bootutil issues them (one flash operation each).
enum BootTrailer {
    /// `BOOT_FLAG_SET`.
    static let flagSet: UInt8 = 0x01

    /// `boot_write_trailer`: `data` padded with the erased value up to the flash write size (at most
    /// `BOOT_MAX_ALIGN`), one write.
    static func write(_ data: [UInt8], at offset: Int, in id: FlashAreaID, flash: inout Flash) throws(BootError) {
        let a = try flash.area(id)
        let padded = data + [UInt8](repeating: a.erasedValue, count: alignUp(data.count, a.writeSize) - data.count)
        try flash.write(id, at: offset, padded)
    }

    /// `boot_write_magic`: the magic at the end of its `BOOT_MAX_ALIGN` block, the block's start erased padding.
    static func writeMagic(_ id: FlashAreaID, layout: TrailerLayout, flash: inout Flash) throws(BootError) {
        let a = try flash.area(id)
        let magic = ImageTrailer.magic(maxAlign: layout.maxAlign)
        let block = [UInt8](repeating: a.erasedValue, count: layout.magicWriteSize - magic.count) + magic
        try flash.write(id, at: alignDown(layout.magicOffset(size: a.size), layout.maxAlign), block)
    }

    /// `boot_write_image_ok`.
    static func writeImageOK(_ id: FlashAreaID, layout: TrailerLayout, flash: inout Flash) throws(BootError) {
        let a = try flash.area(id)
        try write([flagSet], at: layout.imageOKOffset(size: a.size), in: id, flash: &flash)
    }

    /// `boot_write_copy_done`.
    static func writeCopyDone(_ id: FlashAreaID, layout: TrailerLayout, flash: inout Flash) throws(BootError) {
        let a = try flash.area(id)
        try write([flagSet], at: layout.copyDoneOffset(size: a.size), in: id, flash: &flash)
    }

    /// `boot_write_swap_info`: `BOOT_SET_SWAP_INFO` puts the image number in the high nibble.
    static func writeSwapInfo(_ id: FlashAreaID, _ type: SwapType, layout: TrailerLayout, flash: inout Flash)
        throws(BootError)
    {
        let a = try flash.area(id)
        try write([type.rawValue & 0x0f], at: layout.swapInfoOffset(size: a.size), in: id, flash: &flash)
    }

    /// `boot_write_swap_size`: a u32, little-endian.
    static func writeSwapSize(_ id: FlashAreaID, _ size: UInt32, layout: TrailerLayout, flash: inout Flash)
        throws(BootError)
    {
        let a = try flash.area(id)
        let bytes = (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) }
        try write(bytes, at: layout.swapSizeOffset(size: a.size), in: id, flash: &flash)
    }

    /// `boot_read_swap_size`.
    static func readSwapSize(_ area: FlashArea, layout: TrailerLayout) -> Int {
        let off = layout.swapSizeOffset(size: area.size)
        return Int(area.bytes.le32(at: off) ?? 0)
    }
}

func alignUp(_ value: Int, _ alignment: Int) -> Int { (value + alignment - 1) / alignment * alignment }
func alignDown(_ value: Int, _ alignment: Int) -> Int { value / alignment * alignment }
