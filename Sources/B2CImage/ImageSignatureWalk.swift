/// The integrity part of bootutil's TLV walk (`bootutil_img_validate`, notes §10 steps 4b–4d and 5) as a value: the
/// hash TLVs, the key TLVs that select a key, and the signatures. ``ImageVerifier`` feeds it every TLV in media order,
/// after its policies saw the TLV, then asks for the verdict.
///
/// Every hash TLV of the build's type must match the computed digest (N9–N11). A KEYHASH (PUBKEY with
/// `MCUBOOT_HW_KEY`) selects a key, or none; a signature of the build's type is checked only when a key was selected
/// since the last signature (N14), and bootutil keeps one `valid_signature`, overwritten by each later check: the
/// **last** checked signature decides (N17). Signatures are checked against the computed digest, never the hash TLV.
struct ImageSignatureWalk {
    /// `MCUBOOT_HW_KEY` copies PUBKEY into a buffer of the signature's size plus this many bytes.
    static let hardwareKeySlack = 24

    /// The signature bootutil checked last, whose result stands.
    struct Checked {
        let keyIndex: Int
        let isValid: Bool
        let tlv: TLVEntry
        /// Bytes after the DER SEQUENCE of an ECDSA signature a strict (mbedTLS) build rejected, for the reason.
        let derPadding: Int
    }

    let configuration: ImageVerifier.Configuration
    /// What the hash and a pure signature cover, decrypted when the image is.
    let region: ArraySlice<UInt8>
    let digest: ImageDigest
    /// KEYHASH, or PUBKEY with a hardware key.
    let keyTLV: TLVType
    /// Per key of the configuration, what its key TLV carries: the key hash (matched by prefix) or the key itself.
    let keyIDs: [[UInt8]]

    /// bootutil's `key_id`: the key the latest key TLV selected, reset by each checked signature.
    private(set) var selected: Int?
    private(set) var lastChecked: Checked?
    /// N13: KEYHASHes that matched a key by a proper prefix.
    private(set) var tolerated: [ImageVerifier.Tolerance] = []

    init(_ configuration: ImageVerifier.Configuration, region: ArraySlice<UInt8>, digest: ImageDigest) {
        let c = configuration
        self.configuration = c
        self.region = region
        self.digest = digest
        keyTLV = c.hardwareKey ? .publicKey : .keyHash
        keyIDs = c.keys.map { c.hardwareKey ? $0.embeddedBytes : $0.keyHash(c.hash) }
    }

    mutating func visit(_ tlv: TLVEntry, in image: MCUbootImage) throws(ImageError) {
        let c = configuration
        switch tlv.type {
        case c.hash.tlvType where !c.pure:
            try checkHash(tlv, in: image)
        case keyTLV where c.signature != .none:
            selected = try selectKey(tlv, in: image)
        case c.signature.tlvType:
            guard let index = selected else { return }
            lastChecked = try checkSignature(tlv, key: index, in: image)
            selected = nil
        default:
            return
        }
    }

    /// After the walk: a hash TLV was there (each one matched), and the last checked signature verifies. Returns the
    /// index of its key (nil for an unsigned build).
    func finish(_ image: MCUbootImage) throws(ImageError) -> Int? {
        let c = configuration
        if !c.pure && !image.tlvs.contains(where: { $0.type == c.hash.tlvType }) {
            throw ImageError(.hashMissing, "no \(c.hash.tlvType) TLV")
        }
        guard c.signature != .none else { return nil }
        guard let last = lastChecked else {
            let signature = c.signature.tlvType.map(\.description) ?? ""
            throw ImageError(
                .noValidSignature,
                "no \(signature) signature follows a \(keyTLV.name ?? "") of a known key"
            )
        }
        guard last.isValid else {
            let hint =
                last.derPadding > 0
                ? "; its DER is followed by \(last.derPadding) padding bytes (imgtool --pad-sig), which mbedTLS builds"
                    + " reject (tinycrypt and PSA ignore them)"
                : ""
            throw ImageError(
                .signatureInvalid,
                at: last.tlv.valueOffset,
                "the last signature checked (key \(last.keyIndex)) does not verify" + hint
            )
        }
        return last.keyIndex
    }

    private func checkHash(_ tlv: TLVEntry, in image: MCUbootImage) throws(ImageError) {
        let hash = configuration.hash
        guard tlv.length == hash.byteCount else {
            throw ImageError(.hashLength, at: tlv.offset, "\(tlv.type) is \(tlv.length) bytes, not \(hash.byteCount)")
        }
        guard image.value(of: tlv).elementsEqual(digest.bytes) else {
            throw ImageError(.hashMismatch, at: tlv.valueOffset, "\(tlv.type) does not match the image hash")
        }
    }

    /// The key a KEYHASH (by prefix, N12/N13) or PUBKEY (exactly) selects; nil when none matches, which is no error.
    private mutating func selectKey(_ tlv: TLVEntry, in image: MCUbootImage) throws(ImageError) -> Int? {
        let c = configuration
        let value = image.value(of: tlv)
        if c.hardwareKey {
            let limit = c.signature.maxSignatureLength + Self.hardwareKeySlack
            guard tlv.length <= limit else {
                throw ImageError(.keyLength, at: tlv.offset, "PUBKEY is \(tlv.length) bytes, over \(limit)")
            }
            return keyIDs.firstIndex { $0.elementsEqual(value) }
        }
        guard tlv.length <= c.hash.byteCount else {
            throw ImageError(
                .keyHashLength,
                at: tlv.offset,
                "KEYHASH is \(tlv.length) bytes, longer than the \(c.hash.byteCount)-byte hash"
            )
        }
        let index = keyIDs.firstIndex { $0.starts(with: value) }
        if index != nil && tlv.length < c.hash.byteCount {
            let reason = "KEYHASH of \(tlv.length) bytes matched a key by prefix"
            tolerated.append(.init(rule: CatalogueRule.keyHashPrefix, offset: tlv.offset, reason: reason))
        }
        return index
    }

    /// The length rule is the build's (an RSA build knows its modulus size), then the key's (N15); a lenient ECDSA
    /// backend (tinycrypt, PSA) ignores bytes after the DER SEQUENCE, a strict one (mbedTLS) fails on them (N18).
    private func checkSignature(_ tlv: TLVEntry, key index: Int, in image: MCUbootImage) throws(ImageError) -> Checked {
        let c = configuration
        let key = c.keys[index]
        if let problem = c.signature.signatureLengthError(tlv.length) ?? key.signatureLengthError(tlv.length) {
            throw ImageError(.signatureLength, at: tlv.offset, problem)
        }
        let value = image.value(of: tlv)
        let ecdsa = c.signature == .ecdsaP256 || c.signature == .ecdsaP384
        let padding = ecdsa ? Self.bytesAfterDER(value) : 0
        let signature = c.lenientECDSADER && padding > 0 ? value.dropLast(padding) : value
        return Checked(
            keyIndex: index,
            isValid: key.isValidSignature(signature, region: region, digest: digest, pure: c.pure),
            tlv: tlv,
            derPadding: c.lenientECDSADER ? 0 : padding
        )
    }

    /// How many bytes follow a DER SEQUENCE with a short-form length (ECDSA signatures are under 128 bytes).
    static func bytesAfterDER(_ value: ArraySlice<UInt8>) -> Int {
        guard value.count >= 2, value[value.startIndex] == 0x30, value[value.startIndex + 1] < 0x80 else { return 0 }
        return max(0, value.count - 2 - Int(value[value.startIndex + 1]))
    }
}
