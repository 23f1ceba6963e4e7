/// Judges an image as bootutil's `bootutil_img_validate` does (§10 of the notes), configured like a bootloader
/// build: one signature type, one hash, the accepted keys, the allow list, the security-counter floor, UUIDs,
/// downgrade prevention and the decryption key.
///
/// Structure is checked first (``MCUbootImage``), so the error names the first layer that rejects. Then the TLVs are
/// walked in media order, both areas: every hash TLV must match; a KEYHASH selects a key by prefix; a signature is
/// checked only if a key was selected since the last signature, and the **last** checked signature decides. The
/// build options that add checks are policies, each usable alone: ``ImageAllowListPolicy``,
/// ``SecurityCounterPolicy``, ``ImageUUIDPolicy`` and ``DowngradePolicy``.
public struct ImageVerifier: Sendable {
    public enum SignatureType: String, CaseIterable, Sendable {
        case none, rsa2048 = "rsa-2048", rsa3072 = "rsa-3072", ecdsaP256 = "ecdsa-p256", ecdsaP384 = "ecdsa-p384"
        case ed25519

        public var tlvType: TLVType? {
            switch self {
            case .none: nil
            case .rsa2048: .rsa2048PSS
            case .rsa3072: .rsa3072PSS
            case .ecdsaP256, .ecdsaP384: .ecdsaSig
            case .ed25519: .ed25519
            }
        }

        /// The signature buffer of the build: RSA exactly the modulus, Ed25519 64, ECDSA at most 128 bytes.
        var maxSignatureLength: Int {
            switch self {
            case .none: 0
            case .rsa2048: 256
            case .rsa3072: 384
            case .ecdsaP256, .ecdsaP384: 128
            case .ed25519: 64
            }
        }

        func signatureLengthError(_ length: Int) -> String? {
            switch self {
            case .rsa2048, .rsa3072, .ed25519:
                length == maxSignatureLength
                    ? nil : "\(rawValue) signature is \(length) bytes, not \(maxSignatureLength)"
            case .ecdsaP256, .ecdsaP384:
                length <= maxSignatureLength ? nil : "ECDSA signature of \(length) bytes exceeds \(maxSignatureLength)"
            case .none: nil
            }
        }

        public init(_ key: ImageKeyType) throws(ImageError) {
            guard let s = Self(rawValue: key.rawValue) else {
                throw ImageError(.badKey, "\(key.rawValue) keys do not sign images")
            }
            self = s
        }
    }

    public struct Configuration: Sendable {
        public var signature: SignatureType
        public var hash: ImageHashAlgorithm
        /// `MCUBOOT_SIGN_PURE`: the signature is over the region, SIG_PURE is required, the hash TLV is not checked.
        public var pure = false
        /// `bootutil_keys[]`, in order (the index a zero-length KEYHASH selects is 0).
        public var keys: [ImagePublicKey] = []
        /// `MCUBOOT_HW_KEY`: the image carries PUBKEY, matched against `keys`.
        public var hardwareKey = false
        /// The ECDSA backend's DER parsing: strict (mbedTLS) rejects bytes after the SEQUENCE, as imgtool's
        /// `--pad-sig` writes them; lenient (tinycrypt, PSA) ignores them.
        public var lenientECDSADER = false
        /// `MCUBOOT_USE_TLV_ALLOW_LIST` (Zephyr's default; ``ImageAllowListPolicy``).
        public var allowList = true
        /// `MCUBOOT_HW_ROLLBACK_PROT`: the stored counter; nil turns the check off (``SecurityCounterPolicy``).
        public var securityCounterFloor: UInt32?
        /// UUID checks (`MCUBOOT_UUID_VID`/`_CID`); nil turns a check off (``ImageUUIDPolicy``).
        public var vendorID: [UInt8]?
        public var classID: [UInt8]?
        /// The slot size; bounds the header sum (N2) and, with the trailer the build reserves, the TLV end (N8).
        public var slotSize: Int?
        /// `bootutil_max_image_size`: where the trailer (or swap status) starts, or `app_max_size`; the TLV end must
        /// not pass it (N8). nil: the slot size less the build's trailer (``trailer``), as ``maxTLVEnd`` says.
        public var maxImageSize: Int?
        /// The trailer the build reserves at the end of the slot (`BOOT_MAX_ALIGN`, the write size and
        /// `BOOT_MAX_IMG_SECTORS`); counts only with a slot size and without an explicit `maxImageSize`.
        public var trailer = ImageTrailer.Geometry()
        /// `MCUBOOT_ENC_IMAGES`: the device key; nil is a build without encryption (N3 rejects AES flags).
        public var decryptionKey: DecryptionKey?
        /// The build's AES key size in bits (`MCUBOOT_AES_256` makes it 256): MCUboot's default build is AES-128. The
        /// header's AES flag does not choose it; an image of the other size fails at key load (`encrypted.c`
        /// `boot_enc_load`, `boot_decrypt_key`: N25).
        public var aesKeyBits = 128
        /// Whether the image sits in the secondary slot (encrypted images are decrypted there; a primary-slot image
        /// is plaintext).
        public var secondarySlot = true
        /// Downgrade prevention against the running image; nil turns it off (``DowngradePolicy``).
        public var runningVersion: ImageVersion?
        public var compareBuildNumber = false
        /// Act out imgtool's N4 deviation: lay out the TLVs by the protected area's own total (reference device
        /// `--violate image.ignore-protect-size` only).
        package var trustProtectedInfo = false
        /// Boot an image with `IMAGE_F_NON_BOOTABLE` (reference device `--violate image.boot-non-bootable` only).
        package var bootNonBootable = false
        /// Take the AES key size from the header flag rather than the build (reference device
        /// `--violate image.aes-keylen-from-header` only).
        package var aesKeyBitsFromHeader = false

        public init(signature: SignatureType, hash: ImageHashAlgorithm? = nil, keys: [ImagePublicKey] = []) {
            self.signature = signature
            self.hash = hash ?? (signature == .ecdsaP384 ? .sha384 : .sha256)
            self.keys = keys
        }
    }

    /// What bootutil tolerates but a strict implementation may reject (N7's protected overrun, N13, N28, N29): warnings,
    /// not errors.
    public struct Tolerance: Hashable, Sendable {
        /// The catalogue number, one of ``CatalogueRule``'s.
        public let rule: String
        public let offset: Int?
        public let reason: String
    }

    public struct Verification: Sendable {
        public let image: MCUbootImage
        public let digest: [UInt8]
        /// Index in `keys` of the key whose signature decided (nil for unsigned builds).
        public let keyIndex: Int?
        /// The signature TLV whose check decided (nil for unsigned builds).
        public let signatureTLV: TLVEntry?
        /// The image with its body decrypted (equal to the input when it was not encrypted).
        public let plaintext: [UInt8]
        public let tolerated: [Tolerance]
    }

    public var configuration: Configuration
    public init(_ configuration: Configuration) { self.configuration = configuration }

    /// Validates `bytes` as `bootutil_img_validate` does for this build, or throws the first rejection.
    ///
    /// In order: the header (`boot_validate_slot`'s NON_BOOTABLE, N33, then `boot_check_header_valid`: N1–N3) and the
    /// TLV layout (`bootutil_tlv_iter_begin`: N4–N6, the TLV end against the maximum image size: N8, the entries: N7);
    /// decryption of a secondary-slot image (`boot_enc_load`: N25; never on a pure build, which checks the image as
    /// stored); SIG_PURE on a pure build (N21). Then the walk over every TLV of both areas in media order: the
    /// policies the configuration enables judge each TLV first (the allow list is bootutil's step 4a), then the hash,
    /// key and signature checks (steps 4b–4d). The first failing TLV decides, so a TLV the allow list rejects
    /// wins over a bad hash TLV after it, and a bad hash TLV over a low SEC_CNT after it. After the walk (step 5): a
    /// hash TLV was seen, the last checked signature verifies, then each policy's end-of-walk requirement in list
    /// order (SEC_CNT present, UUIDs present, no downgrade).
    public func verify(_ bytes: [UInt8]) throws(ImageError) -> Verification {
        let c = configuration
        let header = try ImageHeader(parsing: bytes)
        if !c.bootNonBootable { try header.checkBootable() }
        try header.checkLayout(slotSize: c.slotSize)
        try header.checkFlags(encryptionSupported: c.decryptionKey != nil)
        // The TLV end is bounded (N8) before any entry is walked (N7), as `bootutil_img_validate` checks it right after
        // `bootutil_tlv_iter_begin`.
        let image = try MCUbootImage(
            parsing: bytes,
            slotSize: c.slotSize,
            maxTLVEnd: c.maxTLVEnd,
            trustProtectedInfo: c.trustProtectedInfo
        )
        // A pure build verifies the bytes as they sit in flash and loads no image key for it (image_validate.c):
        // an encrypted image is then checked as stored.
        let plaintext = c.pure ? image.bytes : try decryptedImage(image)
        let region = plaintext[image.hashedRegion]
        if c.pure { try Self.checkSigPure(image) }

        var walk = ImageSignatureWalk(c, region: region, digest: c.hash.digest(region))
        let policies = c.policies
        for tlv in image.tlvs {
            // The allow list precedes the integrity checks on the same TLV; the other policies judge only SEC_CNT and
            // UUID TLVs, which the integrity walk ignores, so for every TLV this is bootutil's order.
            for policy in policies { try policy.check(tlv, in: image).enforce() }
            try walk.visit(tlv, in: image)
        }
        let keyIndex = try walk.finish(image)
        for policy in policies { try policy.finish(image).enforce() }
        return Verification(
            image: image,
            digest: walk.digest.bytes,
            keyIndex: keyIndex,
            signatureTLV: walk.lastChecked?.tlv,
            plaintext: plaintext,
            tolerated: Self.tolerances(image) + walk.tolerated
        )
    }

    /// The image with its body decrypted, when the header says encrypted and the image is in the secondary slot.
    public func decryptedImage(_ image: MCUbootImage) throws(ImageError) -> [UInt8] {
        let c = configuration
        let flags = image.header.flags
        guard c.secondarySlot, !flags.isDisjoint(with: [.encryptedAES128, .encryptedAES256]) else {
            return image.bytes
        }
        guard let key = c.decryptionKey else {
            throw ImageError(
                .badFlags,
                at: ImageHeader.Offset.flags,
                "encrypted image but the bootloader has no encryption support"
            )
        }
        let bits = c.aesKeyBitsFromHeader ? flags.aesKeyBits ?? c.aesKeyBits : c.aesKeyBits
        guard let tlv = image.tlvs.first(where: { $0.type == key.tlvType }) else {
            throw ImageError(.encTLVMissing, "encrypted image without a \(key.tlvType) key TLV")
        }
        let imageKey = try ImageCrypto.imageKey(
            from: image.value(of: tlv),
            at: tlv.offset,
            key: key,
            keyLength: bits / 8
        )
        var out = image.bytes
        let body = image.body
        out.replaceSubrange(body, with: try ImageCrypto.aesCTR(out[body], key: imageKey))
        return out
    }

    /// N21: a pure build needs a SIG_PURE TLV (the first, searched in both areas) of one byte 0x01.
    static func checkSigPure(_ image: MCUbootImage) throws(ImageError) {
        let pure = image.entries(.sigPure).first
        guard let pure, pure.length == 1, image.bytes[pure.valueOffset] == 0x01 else {
            throw ImageError(.sigPure, at: pure?.offset, "a pure build needs a SIG_PURE TLV of one byte 0x01")
        }
    }

    /// N7, N28 and N29: what bootutil never checks (a protected TLV running past its area, a header below 32 bytes,
    /// `_pad1`, the PIC flag; unknown protected TLVs, which the walk ignores and the hash covers).
    static func tolerances(_ image: MCUbootImage) -> [Tolerance] {
        var out: [Tolerance] = []
        let h = image.header
        func header(_ offset: Int, _ reason: String) {
            out.append(Tolerance(rule: CatalogueRule.uncheckedHeaderField, offset: offset, reason: reason))
        }
        if h.headerSize < ImageHeader.byteCount {
            header(ImageHeader.Offset.headerSize, "header size \(h.headerSize) is below \(ImageHeader.byteCount)")
        }
        if h.pad1 != 0 { header(ImageHeader.Offset.pad1, "_pad1 is not zero") }
        if h.flags.contains(.pic) { header(ImageHeader.Offset.flags, "PIC flag (unsupported)") }
        if let t = image.protectedEntryOverrun {
            let reason =
                "protected TLV \(t.type) at \(t.offset) runs past the protected area's end (\(image.protectedArea.upperBound))"
            out.append(Tolerance(rule: CatalogueRule.protectedTLVOverrun, offset: t.offset, reason: reason))
        }
        for tlv in image.tlvs where tlv.isProtected && tlv.type.name == nil {
            let reason = "unknown protected TLV \(tlv.type)"
            out.append(Tolerance(rule: CatalogueRule.unknownProtectedTLV, offset: tlv.offset, reason: reason))
        }
        return out
    }
}

extension ImageVerifier.Configuration {
    /// Where the TLV area must end at the latest (`image_validate.c`: `it.tlv_end` against `bootutil_max_image_size`,
    /// "TLV beyond image size"): `maxImageSize` when given, else the slot size less the trailer the build reserves
    /// (`bootutil_misc.c` `boot_status_off`: the slot size less `boot_trailer_sz`, with the two key slots of an
    /// encryption build), nil without a slot size.
    public var maxTLVEnd: Int? {
        if let maxImageSize { return maxImageSize }
        guard let slotSize else { return nil }
        return slotSize - trailer.size(encryptionKeyBytes: decryptionKey == nil ? nil : aesKeyBits / 8)
    }

    /// The policies this build enables, in the order bootutil applies them: the unprotected-TLV allow list
    /// (`MCUBOOT_USE_TLV_ALLOW_LIST`), the security-counter floor (`MCUBOOT_HW_ROLLBACK_PROT`), the UUID checks
    /// (`MCUBOOT_UUID_VID` / `_CID`) and downgrade prevention (`MCUBOOT_DOWNGRADE_PREVENTION`).
    package var policies: [any ImagePolicy] {
        var out: [any ImagePolicy] = []
        if allowList {
            let sha512: Bool = if case .x25519(_, hmacSHA512: true)? = decryptionKey { true } else { false }
            out.append(ImageAllowListPolicy(pure: pure, x25519HMACSHA512: sha512))
        }
        if let securityCounterFloor { out.append(SecurityCounterPolicy(floor: securityCounterFloor)) }
        if vendorID != nil || classID != nil { out.append(ImageUUIDPolicy(vendorID: vendorID, classID: classID)) }
        if let runningVersion {
            out.append(DowngradePolicy(runningVersion: runningVersion, compareBuildNumber: compareBuildNumber))
        }
        return out
    }
}
