/// Judges an image as bootutil's `bootutil_img_validate` does (§10 of the notes), configured like a bootloader
/// build: one signature type, one hash, the accepted keys, the allow list, the security-counter floor, UUIDs,
/// downgrade prevention and the decryption key.
///
/// Structure is checked first (``MCUbootImage``), so the error names the first layer that rejects. Then the TLVs are
/// walked in media order, both areas: every hash TLV must match; a KEYHASH selects a key by prefix; a signature is
/// checked only if a key was selected since the last signature, and the **last** checked signature decides.
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
                length == maxSignatureLength ? nil : "\(rawValue) signature is \(length) bytes, not \(maxSignatureLength)"
            case .ecdsaP256, .ecdsaP384:
                length <= 128 ? nil : "ECDSA signature of \(length) bytes exceeds 128"
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
        /// `MCUBOOT_USE_TLV_ALLOW_LIST` (Zephyr's default).
        public var allowList = true
        /// `MCUBOOT_HW_ROLLBACK_PROT`: the stored counter; nil turns the check off.
        public var securityCounterFloor: UInt32?
        /// UUID checks (`MCUBOOT_UUID_VID`/`_CID`); nil turns a check off.
        public var vendorID: [UInt8]?
        public var classID: [UInt8]?
        /// The slot size; bounds the header sum (N2) and, unless `maxImageSize` is set, the TLV end.
        public var slotSize: Int?
        /// `bootutil_max_image_size`: where the trailer (or swap status) starts, or `app_max_size`; the TLV end must
        /// not pass it (N8). nil: the slot size.
        public var maxImageSize: Int?
        /// `MCUBOOT_ENC_IMAGES`: the device key; nil is a build without encryption (N3 rejects AES flags).
        public var decryptionKey: DecryptionKey?
        /// The build's AES key size in bits; nil takes the header flag's.
        public var aesKeyBits: Int?
        /// Whether the image sits in the secondary slot (encrypted images are decrypted there; a primary-slot image
        /// is plaintext).
        public var secondarySlot = true
        /// Downgrade prevention against the running image; nil turns it off.
        public var runningVersion: ImageVersion?
        public var compareBuildNumber = false
        /// Act out imgtool's N4 deviation: lay out the TLVs by the protected area's own total (reference device
        /// `--violate image.ignore-protect-size` only).
        package var trustProtectedInfo = false

        public init(signature: SignatureType, hash: ImageHashAlgorithm? = nil, keys: [ImagePublicKey] = []) {
            self.signature = signature
            self.hash = hash ?? (signature == .ecdsaP384 ? .sha384 : .sha256)
            self.keys = keys
        }
    }

    /// What bootutil tolerates but a strict implementation may reject (N13, N28, N29): warnings, not errors.
    public struct Tolerance: Hashable, Sendable {
        public let rule: String
        public let offset: Int?
        public let reason: String
    }

    public struct Verification: Sendable {
        public let image: MCUbootImage
        public let digest: [UInt8]
        /// Index in `keys` of the key whose signature decided (nil for unsigned builds).
        public let keyIndex: Int?
        /// The image with its body decrypted (equal to the input when it was not encrypted).
        public let plaintext: [UInt8]
        public let tolerated: [Tolerance]
    }

    public var configuration: Configuration
    public init(_ configuration: Configuration) { self.configuration = configuration }

    public func verify(_ bytes: [UInt8]) throws(ImageError) -> Verification {
        let c = configuration
        let header = try ImageHeader(parsing: bytes)
        try header.check(slotSize: c.slotSize, encryptionSupported: c.decryptionKey != nil)
        let image = try MCUbootImage(parsing: bytes, slotSize: c.slotSize, trustProtectedInfo: c.trustProtectedInfo)
        if let max = c.maxImageSize, image.tlvEnd > max {
            throw ImageError(
                .tlvBeyondMaxSize, at: image.unprotectedArea.lowerBound + 2,
                "the TLV area ends at \(image.tlvEnd), past the maximum image size \(max)")
        }
        var tolerated = Self.tolerances(image)
        // A pure build verifies the bytes as they sit in flash and loads no image key for it (image_validate.c):
        // an encrypted image is then checked as stored.
        let plaintext = c.pure ? image.bytes : try decryptedImage(image)
        let region = plaintext[image.hashedRegion]
        let digest = c.hash.digest(region)
        let digestBytes = digest.bytes

        if c.pure {
            let pure = image.entries(.sigPure).first
            guard let pure, pure.length == 1, image.bytes[pure.offset + 4] == 0x01 else {
                throw ImageError(.sigPure, at: pure?.offset, "a pure build needs a SIG_PURE TLV of one byte 0x01")
            }
        }
        var allowed = TLVType.unprotectedAllowList
        if c.pure { allowed.insert(.sigPure) }
        if case .x25519(_, let sha512)? = c.decryptionKey {
            allowed.insert(sha512 ? .encX25519SHA512 : .encX25519)
        } else {
            allowed.insert(.encX25519)
        }
        let keyTLV: TLVType = c.hardwareKey ? .publicKey : .keyHash
        let keyHashes = c.keys.map { c.hardwareKey ? $0.embeddedBytes : $0.keyHash(c.hash) }

        var hashFound = false
        var selected: Int?
        var valid: Bool?
        var decided: Int?
        var lastSignature: TLVEntry?
        var derPadding = 0
        var counterFound = false
        var vidFound = false
        var cidFound = false
        for tlv in image.tlvs {
            let value = image.value(of: tlv)
            if c.allowList && !tlv.isProtected && !allowed.contains(tlv.type) {
                throw ImageError(
                    .tlvNotAllowed, at: tlv.offset, "\(tlv.type) is not allowed in the unprotected TLV area")
            }
            switch tlv.type {
            case c.hash.tlvType where !c.pure:
                guard tlv.length == c.hash.byteCount else {
                    throw ImageError(
                        .hashLength, at: tlv.offset, "\(tlv.type) is \(tlv.length) bytes, not \(c.hash.byteCount)")
                }
                guard value.elementsEqual(digestBytes) else {
                    throw ImageError(.hashMismatch, at: tlv.offset + 4, "\(tlv.type) does not match the image hash")
                }
                hashFound = true
            case keyTLV where c.signature != .none:
                if c.hardwareKey {
                    // The key is copied into a buffer of the signature's size plus 24 bytes.
                    let limit = c.signature.maxSignatureLength + 24
                    guard tlv.length <= limit else {
                        throw ImageError(.keyLength, at: tlv.offset, "PUBKEY is \(tlv.length) bytes, over \(limit)")
                    }
                    selected = keyHashes.firstIndex { $0.elementsEqual(value) }
                } else {
                    guard tlv.length <= c.hash.byteCount else {
                        throw ImageError(
                            .keyHashLength, at: tlv.offset,
                            "KEYHASH is \(tlv.length) bytes, longer than the \(c.hash.byteCount)-byte hash")
                    }
                    selected = keyHashes.firstIndex { $0.starts(with: value) }
                    if selected != nil && tlv.length < c.hash.byteCount {
                        tolerated.append(
                            Tolerance(
                                rule: "N13", offset: tlv.offset,
                                reason: "KEYHASH of \(tlv.length) bytes matched a key by prefix"))
                    }
                }
            case c.signature.tlvType:
                guard let index = selected else { continue }
                let key = c.keys[index]
                // The length rule is the build's (an RSA build knows its modulus size), then the key's.
                if let problem = c.signature.signatureLengthError(tlv.length) ?? key.signatureLengthError(tlv.length) {
                    throw ImageError(.signatureLength, at: tlv.offset, problem)
                }
                var signature = value
                let padding = Self.bytesAfterDER(value)
                if c.lenientECDSADER && (c.signature == .ecdsaP256 || c.signature == .ecdsaP384) && padding > 0 {
                    signature = value.dropLast(padding)
                }
                valid = key.isValidSignature(signature, region: region, digest: digest, pure: c.pure)
                decided = index
                lastSignature = tlv
                derPadding = (c.signature == .ecdsaP256 || c.signature == .ecdsaP384) && !c.lenientECDSADER ? padding : 0
                selected = nil
            case .securityCounter where c.securityCounterFloor != nil:
                guard tlv.length == 4, let v = image.bytes.le32(at: tlv.offset + 4) else {
                    throw ImageError(.securityCounter, at: tlv.offset, "SEC_CNT is \(tlv.length) bytes, not 4")
                }
                if let floor = c.securityCounterFloor, v < floor {
                    throw ImageError(
                        .securityCounter, at: tlv.offset + 4, "security counter \(v) is below the stored \(floor)")
                }
                counterFound = true
            case .uuidVID where c.vendorID != nil, .uuidCID where c.classID != nil:
                let expected = tlv.type == .uuidVID ? c.vendorID : c.classID
                guard tlv.length == 16, value.elementsEqual(expected ?? []) else {
                    throw ImageError(.uuidMismatch, at: tlv.offset, "\(tlv.type) does not match the device's UUID")
                }
                if tlv.type == .uuidVID { vidFound = true } else { cidFound = true }
            default:
                continue
            }
        }
        if !c.pure && !hashFound {
            throw ImageError(.hashMissing, "no \(c.hash.tlvType) TLV")
        }
        if c.signature != .none {
            guard let valid else {
                throw ImageError(
                    .noValidSignature,
                    "no \(c.signature.tlvType.map(\.description) ?? "") signature follows a \(keyTLV.name ?? "") of a known key")
            }
            guard valid else {
                let hint =
                    derPadding > 0
                    ? "; its DER is followed by \(derPadding) padding bytes (imgtool --pad-sig), which mbedTLS builds reject (tinycrypt and PSA ignore them)"
                    : ""
                throw ImageError(
                    .signatureInvalid, at: lastSignature.map { $0.offset + 4 },
                    "the last signature checked (key \(decided ?? 0)) does not verify" + hint)
            }
        }
        if c.securityCounterFloor != nil && !counterFound {
            throw ImageError(.securityCounter, "no SEC_CNT TLV and hardware rollback protection is on")
        }
        if (c.vendorID != nil && !vidFound) || (c.classID != nil && !cidFound) {
            throw ImageError(.uuidMismatch, "a UUID TLV the device checks is missing")
        }
        if let running = c.runningVersion,
            image.header.version.compare(to: running, useBuildNumber: c.compareBuildNumber) < 0
        {
            throw ImageError(
                .downgrade, at: 20, "version \(image.header.version) is older than the running \(running)")
        }
        return Verification(
            image: image, digest: digestBytes, keyIndex: c.signature == .none ? nil : decided, plaintext: plaintext,
            tolerated: tolerated)
    }

    /// The image with its body decrypted, when the header says encrypted and the image is in the secondary slot.
    public func decryptedImage(_ image: MCUbootImage) throws(ImageError) -> [UInt8] {
        let c = configuration
        let flags = image.header.flags
        guard c.secondarySlot, !flags.isDisjoint(with: [.encryptedAES128, .encryptedAES256]) else {
            return image.bytes
        }
        guard let key = c.decryptionKey else {
            throw ImageError(.badFlags, at: 16, "encrypted image but the bootloader has no encryption support")
        }
        let bits = c.aesKeyBits ?? (flags.contains(.encryptedAES256) ? 256 : 128)
        guard let tlv = image.tlvs.first(where: { $0.type == key.tlvType }) else {
            throw ImageError(.encTLVMissing, "encrypted image without a \(key.tlvType) key TLV")
        }
        let imageKey = try ImageCrypto.imageKey(
            from: image.value(of: tlv), at: tlv.offset, key: key, keyLength: bits / 8)
        var out = image.bytes
        let body = image.body
        out.replaceSubrange(body, with: try ImageCrypto.aesCTR(out[body], key: imageKey))
        return out
    }

    /// How many bytes follow a DER SEQUENCE with a short-form length (ECDSA signatures are under 128 bytes).
    static func bytesAfterDER(_ value: ArraySlice<UInt8>) -> Int {
        guard value.count >= 2, value[value.startIndex] == 0x30, value[value.startIndex + 1] < 0x80 else { return 0 }
        return max(0, value.count - 2 - Int(value[value.startIndex + 1]))
    }

    /// N28 and N29: what bootutil never checks.
    static func tolerances(_ image: MCUbootImage) -> [Tolerance] {
        var out: [Tolerance] = []
        let h = image.header
        if h.headerSize < 32 {
            out.append(Tolerance(rule: "N28", offset: 8, reason: "header size \(h.headerSize) is below 32"))
        }
        if h.pad1 != 0 { out.append(Tolerance(rule: "N28", offset: 28, reason: "_pad1 is not zero")) }
        if h.flags.contains(.pic) { out.append(Tolerance(rule: "N28", offset: 16, reason: "PIC flag (unsupported)")) }
        for tlv in image.tlvs where tlv.isProtected && tlv.type.name == nil {
            out.append(Tolerance(rule: "N29", offset: tlv.offset, reason: "unknown protected TLV \(tlv.type)"))
        }
        return out
    }
}
