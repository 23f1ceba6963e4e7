/// A 16-bit TLV type (`IMAGE_TLV_*`).
public struct TLVType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let keyHash = TLVType(0x01)
    public static let publicKey = TLVType(0x02)
    public static let sha256 = TLVType(0x10)
    public static let sha384 = TLVType(0x11)
    public static let sha512 = TLVType(0x12)
    public static let rsa2048PSS = TLVType(0x20)
    public static let ecdsa224 = TLVType(0x21)
    public static let ecdsaSig = TLVType(0x22)
    public static let rsa3072PSS = TLVType(0x23)
    public static let ed25519 = TLVType(0x24)
    public static let sigPure = TLVType(0x25)
    public static let encRSA2048 = TLVType(0x30)
    public static let encKW = TLVType(0x31)
    public static let encEC256 = TLVType(0x32)
    public static let encX25519 = TLVType(0x33)
    public static let encX25519SHA512 = TLVType(0x34)
    public static let dependency = TLVType(0x40)
    public static let securityCounter = TLVType(0x50)
    public static let bootRecord = TLVType(0x60)
    public static let decompressedSize = TLVType(0x70)
    public static let decompressedSHA = TLVType(0x71)
    public static let decompressedSignature = TLVType(0x72)
    public static let compressedDecryptedSize = TLVType(0x73)
    public static let uuidVID = TLVType(0x74)
    public static let uuidCID = TLVType(0x75)
    /// The iterator's wildcard; never valid on media.
    public static let any = TLVType(0xffff)

    static let names: [UInt16: String] = [
        0x01: "KEYHASH", 0x02: "PUBKEY", 0x10: "SHA256", 0x11: "SHA384", 0x12: "SHA512", 0x20: "RSA2048_PSS",
        0x21: "ECDSA224", 0x22: "ECDSASIG", 0x23: "RSA3072_PSS", 0x24: "ED25519", 0x25: "SIG_PURE",
        0x30: "ENCRSA2048", 0x31: "ENCKW", 0x32: "ENCEC256", 0x33: "ENCX25519", 0x34: "ENCX25519_SHA512",
        0x40: "DEPENDENCY", 0x50: "SEC_CNT", 0x60: "BOOT_RECORD", 0x70: "DECOMP_SIZE", 0x71: "DECOMP_SHA",
        0x72: "DECOMP_SIGNATURE", 0x73: "COMP_DEC_SIZE", 0x74: "UUID_VID", 0x75: "UUID_CID",
    ]

    /// The bootloader's name, `VENDOR` for the vendor range, or nil.
    public var name: String? {
        if let n = Self.names[rawValue] { return n }
        return isVendor ? "VENDOR" : nil
    }

    /// imgtool's custom-TLV range 0x00a0–0xfffe.
    public var isVendor: Bool { rawValue >= 0xa0 && rawValue <= 0xfffe }

    public var description: String {
        let hex = String(rawValue, radix: 16)
        let code = "0x" + String(repeating: "0", count: max(0, 2 - hex.count)) + hex
        return name.map { "\($0) (\(code))" } ?? code
    }

    /// Types the unprotected-area allow list (`MCUBOOT_USE_TLV_ALLOW_LIST`) lets through, before the build-specific
    /// SIG_PURE and X25519 variant.
    static let unprotectedAllowList: Set<TLVType> = [
        .keyHash, .publicKey, .sha256, .sha384, .sha512, .rsa2048PSS, .ecdsa224, .ecdsaSig, .rsa3072PSS, .ed25519,
        .encRSA2048, .encKW, .encEC256,
    ]

    /// The signature TLV types, whichever the build checks.
    static let signatureTypes: Set<TLVType> = [.rsa2048PSS, .ecdsa224, .ecdsaSig, .rsa3072PSS, .ed25519]
}

/// One TLV entry as found in an image.
public struct TLVEntry: Hashable, Sendable {
    public var type: TLVType
    /// Offset of the 4-byte entry header in the image.
    public var offset: Int
    /// Payload length (`it_len`).
    public var length: Int
    public var isProtected: Bool

    /// `struct image_tlv`: a u16 type and a u16 length (at this offset in the entry), then the value.
    package static let headerByteCount = 4
    package static let lengthOffset = 2

    /// Offset of the payload in the image, where a problem with the value (not the entry) is reported.
    package var valueOffset: Int { offset + Self.headerByteCount }
    public var valueRange: Range<Int> { valueOffset..<(valueOffset + length) }
}
