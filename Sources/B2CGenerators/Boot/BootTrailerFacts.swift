/// What bootutil says about the bytes of an image trailer, typed in as facts from mcu-tools/mcuboot at
/// ``BootVectorGenerator/mcubootCommit`` (`boot/bootutil/src/bootutil_public.c`, `bootutil_misc.h`,
/// `bootutil_priv.h`, `boot/bootutil/include/bootutil/bootutil_public.h`). The generator writes trailers with these
/// and states what `boot_read_swap_state` decodes from them; it never asks the boot model.
enum BootTrailerFacts {
    /// `BOOT_MAGIC_SZ`.
    static let magicByteCount = 16

    /// `boot_img_magic` when `BOOT_MAX_ALIGN` is 8: the 16 bytes compared by `boot_magic_decode`.
    static let magic8: [UInt8] = [
        0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f, 0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80,
    ]
    /// `boot_img_magic` for another `BOOT_MAX_ALIGN`: the alignment as a 16-bit field (little-endian on the targets
    /// MCUboot runs on), then these 14 bytes.
    static let magicTail: [UInt8] = [
        0x2d, 0xe1, 0x5d, 0x29, 0x41, 0x0b, 0x8d, 0x77, 0x67, 0x9c, 0x11, 0x0f, 0x1f, 0x8a,
    ]

    /// The magic a build with `BOOT_MAX_ALIGN` = `maxAlign` writes and accepts.
    static func magic(maxAlign: Int) -> [UInt8] {
        maxAlign == 8 ? magic8 : [UInt8(maxAlign & 0xff), UInt8(maxAlign >> 8)] + magicTail
    }

    /// `BOOT_FLAG_SET`: the one value a flag is written with.
    static let flagSet: UInt8 = 0x01

    /// Offsets from the start of an area of `size` bytes (`boot_magic_off`, `boot_image_ok_off`,
    /// `boot_copy_done_off`, `boot_swap_info_off`; no swap-offset, no encryption keys).
    static func magicOffset(size: Int) -> Int { size - magicByteCount }
    static func imageOKOffset(size: Int, maxAlign: Int) -> Int {
        (magicOffset(size: size) - maxAlign) / maxAlign * maxAlign
    }
    static func copyDoneOffset(size: Int, maxAlign: Int) -> Int {
        imageOKOffset(size: size, maxAlign: maxAlign) - maxAlign
    }
    static func swapInfoOffset(size: Int, maxAlign: Int) -> Int {
        copyDoneOffset(size: size, maxAlign: maxAlign) - maxAlign
    }

    /// `boot_read_flag` / `boot_flag_decode`: an erased byte is UNSET, `BOOT_FLAG_SET` is SET, anything else BAD.
    static func flag(_ byte: UInt8, erased: UInt8) -> String {
        byte == erased ? "unset" : (byte == flagSet ? "set" : "bad")
    }

    /// `boot_read_swap_state` on swap_info: `BOOT_GET_SWAP_TYPE` is the low nibble, `BOOT_GET_IMAGE_NUM` the high one;
    /// an erased byte, or a type above `BOOT_SWAP_TYPE_REVERT` (4), reads as `BOOT_SWAP_TYPE_NONE` (1) with image 0.
    /// A type of 0 is kept as read.
    static func swapInfo(_ byte: UInt8, erased: UInt8) -> (type: UInt8, image: UInt8) {
        let type = byte & 0x0f
        if byte == erased || type > 4 { return (1, 0) }
        return (type, byte >> 4)
    }
}
