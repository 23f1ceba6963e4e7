/// The 32-byte MCUboot image header (`struct image_header`), little-endian.
///
/// Only the fields are modelled here; what the bootloader accepts is in ``ImageHeader/check(slotSize:)`` and in the
/// verifier. The header padding between byte 32 and `headerSize` belongs to the image, not to this struct.
public struct ImageHeader: Hashable, Sendable {
    public static let magic: UInt32 = 0x96f3_b83d
    /// `IMAGE_MAGIC_V1`: defined by the bootloader, never accepted by its validator.
    public static let legacyMagic: UInt32 = 0x96f3_b83c
    public static let byteCount = 32

    /// Byte offsets of the `struct image_header` fields (notes §2), where parsing reads and errors point.
    package enum Offset {
        package static let magic = 0
        package static let loadAddress = 4
        package static let headerSize = 8
        package static let protectedTLVSize = 10
        package static let imageSize = 12
        package static let flags = 16
        /// `iv_major`, the version's first byte: where a version error points.
        package static let version = 20
        package static let minor = 21
        package static let revision = 22
        package static let build = 24
        package static let pad1 = 28
    }

    public var magic: UInt32
    public var loadAddress: UInt32
    public var headerSize: UInt16
    public var protectedTLVSize: UInt16
    public var imageSize: UInt32
    public var flags: ImageFlags
    public var version: ImageVersion
    public var pad1: UInt32

    public init(
        magic: UInt32 = ImageHeader.magic,
        loadAddress: UInt32 = 0,
        headerSize: UInt16,
        protectedTLVSize: UInt16 = 0,
        imageSize: UInt32,
        flags: ImageFlags = [],
        version: ImageVersion,
        pad1: UInt32 = 0
    ) {
        self.magic = magic
        self.loadAddress = loadAddress
        self.headerSize = headerSize
        self.protectedTLVSize = protectedTLVSize
        self.imageSize = imageSize
        self.flags = flags
        self.version = version
        self.pad1 = pad1
    }

    /// Reads the 32 header bytes at the start of `bytes`; only a short input is an error here.
    public init(parsing bytes: [UInt8]) throws(ImageError) {
        guard bytes.count >= Self.byteCount, let magic = bytes.le32(at: Offset.magic),
            let load = bytes.le32(at: Offset.loadAddress), let hdr = bytes.le16(at: Offset.headerSize),
            let prot = bytes.le16(at: Offset.protectedTLVSize), let img = bytes.le32(at: Offset.imageSize),
            let flags = bytes.le32(at: Offset.flags), let revision = bytes.le16(at: Offset.revision),
            let build = bytes.le32(at: Offset.build), let pad1 = bytes.le32(at: Offset.pad1)
        else {
            throw ImageError(
                .truncated,
                at: bytes.count,
                "\(bytes.count) bytes is shorter than the 32-byte image header"
            )
        }
        self.magic = magic
        self.loadAddress = load
        self.headerSize = hdr
        self.protectedTLVSize = prot
        self.imageSize = img
        self.flags = ImageFlags(rawValue: flags)
        self.version = ImageVersion(
            major: bytes[Offset.version],
            minor: bytes[Offset.minor],
            revision: revision,
            build: build
        )
        self.pad1 = pad1
    }

    /// The 32 header bytes as written to flash.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.byteCount)
        out.appendLE32(magic)
        out.appendLE32(loadAddress)
        out.appendLE16(headerSize)
        out.appendLE16(protectedTLVSize)
        out.appendLE32(imageSize)
        out.appendLE32(flags.rawValue)
        out.append(version.major)
        out.append(version.minor)
        out.appendLE16(version.revision)
        out.appendLE32(version.build)
        out.appendLE32(pad1)
        return out
    }

    /// `hdr_size + img_size + protect_tlv_size`: the end of the hashed region, without wrapping.
    public var hashedRegionEnd: Int { Int(headerSize) + Int(imageSize) + Int(protectedTLVSize) }

    /// The header checks of the loader, in its order: `loader.c` `boot_validate_slot` takes an erased header or one
    /// with `IMAGE_F_NON_BOOTABLE` as no bootable image (N33) before `boot_check_header_valid` looks at the magic (N1),
    /// the size sum strictly below the slot size (N2), at most one AES flag and AES only on an encryption build, and
    /// no compression flags without decompression (N3). An erased magic stays N1 ("no image").
    public func check(slotSize: Int?, encryptionSupported: Bool) throws(ImageError) {
        try checkBootable()
        try checkLayout(slotSize: slotSize)
        try checkFlags(encryptionSupported: encryptionSupported)
    }

    /// N33: the loader boots no image whose header carries `IMAGE_F_NON_BOOTABLE` (`loader.c` `boot_validate_slot`,
    /// and `bootutil_public.c` `boot_image_load_header` for the single-slot loaders). A header without the image
    /// magic is left to N1: bytes that are no image (erased flash, a raw binary) are named as such, whatever their
    /// flag bits say; bootutil refuses both alike.
    public func checkBootable() throws(ImageError) {
        guard flags.contains(.nonBootable), magic == Self.magic else { return }
        throw ImageError(.nonBootable, at: Offset.flags, "IMAGE_F_NON_BOOTABLE is set: the loader does not boot it")
    }

    /// Magic (N1) and the size sum (N2): what any reader needs before it can find the TLV areas.
    public func checkLayout(slotSize: Int?) throws(ImageError) {
        guard magic == Self.magic else {
            let what = magic == Self.legacyMagic ? "the legacy IMAGE_MAGIC_V1 0x96f3b83c" : "0x\(hex32(magic))"
            throw ImageError(.badMagic, at: Offset.magic, "header magic is \(what), not 0x96f3b83d")
        }
        // bootutil adds the u32 fields with an overflow check; on a 32-bit device the sum must fit in u32.
        let sum = UInt64(headerSize) + UInt64(imageSize) + UInt64(protectedTLVSize)
        if sum > UInt64(UInt32.max) {
            throw ImageError(
                .sizeOverflow,
                at: Offset.imageSize,
                "header + image + protected TLV size (\(sum)) overflows 32 bits"
            )
        }
        if let slotSize, sum >= UInt64(max(0, slotSize)) {
            throw ImageError(
                .sizeOverflow,
                at: Offset.imageSize,
                "header + image + protected TLV size (\(sum)) is not below the slot size (\(slotSize))"
            )
        }
    }

    /// N3 for a build without decompression: at most one AES flag, AES only with encryption support, no compression.
    public func checkFlags(encryptionSupported: Bool) throws(ImageError) {
        if flags.contains(.encryptedAES128) && flags.contains(.encryptedAES256) {
            throw ImageError(.badFlags, at: Offset.flags, "both AES-128 and AES-256 encryption flags are set")
        }
        if !encryptionSupported && !flags.isDisjoint(with: [.encryptedAES128, .encryptedAES256]) {
            throw ImageError(
                .badFlags,
                at: Offset.flags,
                "encryption flag set but the bootloader has no encryption support"
            )
        }
        if !flags.isDisjoint(with: [.compressedLZMA1, .compressedLZMA2, .compressedARMThumb]) {
            throw ImageError(
                .badFlags,
                at: Offset.flags,
                "compression flag set but the bootloader has no decompression"
            )
        }
    }
}

/// `IMAGE_F_*` header flags.
public struct ImageFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let pic = ImageFlags(rawValue: 0x001)
    public static let encryptedAES128 = ImageFlags(rawValue: 0x004)
    public static let encryptedAES256 = ImageFlags(rawValue: 0x008)
    public static let nonBootable = ImageFlags(rawValue: 0x010)
    public static let ramLoad = ImageFlags(rawValue: 0x020)
    public static let romFixed = ImageFlags(rawValue: 0x100)
    public static let compressedLZMA1 = ImageFlags(rawValue: 0x200)
    public static let compressedLZMA2 = ImageFlags(rawValue: 0x400)
    public static let compressedARMThumb = ImageFlags(rawValue: 0x800)

    /// The AES key size the flags name (256 for `ENCRYPTED_AES256`, 128 for `ENCRYPTED_AES128`), nil when neither is
    /// set. What an image says, not what a build decrypts with (``ImageVerifier/Configuration/aesKeyBits``).
    public var aesKeyBits: Int? {
        if contains(.encryptedAES256) { return 256 }
        return contains(.encryptedAES128) ? 128 : nil
    }

    static let names: [(ImageFlags, String)] = [
        (.pic, "PIC"), (.encryptedAES128, "ENCRYPTED_AES128"), (.encryptedAES256, "ENCRYPTED_AES256"),
        (.nonBootable, "NON_BOOTABLE"), (.ramLoad, "RAM_LOAD"), (.romFixed, "ROM_FIXED"),
        (.compressedLZMA1, "COMPRESSED_LZMA1"), (.compressedLZMA2, "COMPRESSED_LZMA2"),
        (.compressedARMThumb, "COMPRESSED_ARM_THUMB_FLT"),
    ]

    /// Names of the set flags, with unknown bits as hex.
    public var names: [String] {
        var out = Self.names.filter { contains($0.0) }.map(\.1)
        let known = Self.names.reduce(UInt32(0)) { $0 | $1.0.rawValue }
        if rawValue & ~known != 0 { out.append("0x\(hex32(rawValue & ~known))") }
        return out
    }
}

func hex32(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: max(0, 8 - s.count)) + s
}
