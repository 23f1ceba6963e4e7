import B2CCBOR

/// Builds, signs and optionally encrypts and pads an image, as imgtool `sign` does (§16 of the notes), but with an
/// error instead of a traceback for every input imgtool crashes on.
public enum ImageBuilder {
    /// What `--vector-to-sign` asks for.
    public enum VectorToSign: String, Sendable { case payload, digest }

    /// The signed image for `payload` (the raw binary: with `padHeader` the header room is added, otherwise its first
    /// `headerSize` bytes must be zero).
    public static func sign(_ payload: [UInt8], options: ImageSignOptions) throws(ImageError) -> [UInt8] {
        try build(payload, options: options).image
    }

    /// The hashed region or its digest, for signing elsewhere (`--vector-to-sign`).
    public static func vectorToSign(_ payload: [UInt8], options: ImageSignOptions, _ what: VectorToSign)
        throws(ImageError) -> [UInt8]
    {
        // The region does not depend on the signature: a placeholder saves the signing.
        var unsigned = options
        unsigned.fixedSignature = unsigned.fixedSignature ?? []
        let built = try build(payload, options: unsigned)
        return what == .payload ? built.region : built.digest.bytes
    }

    static func build(_ payload: [UInt8], options o: ImageSignOptions) throws(ImageError) -> (
        image: [UInt8], region: [UInt8], digest: ImageDigest
    ) {
        try validate(o)
        let hash = try hashAlgorithm(o)
        let h = o.headerSize
        var image: [UInt8]
        if o.padHeader {
            image = [UInt8](repeating: o.erasedValue, count: h) + payload
        } else {
            guard payload.count >= h, payload[0..<h].allSatisfy({ $0 == 0 }) else {
                throw ImageError(
                    .badArgument,
                    "header padding was not requested (--pad-header) and the input does not start with \(h) zero bytes"
                )
            }
            image = payload
        }
        let imageKey: [UInt8]?
        if let enc = o.encryption {
            image += [UInt8](repeating: 0, count: alignUp(image.count, 16) - image.count)
            imageKey = enc.imageKey ?? randomBytes(enc.keyLength)
            guard imageKey?.count == enc.keyLength else {
                throw ImageError(.badArgument, "the pinned image key is not \(enc.keyLength) bytes")
            }
        } else {
            imageKey = nil
        }
        let imageSize = image.count - h
        guard imageSize <= Int(UInt32.max) else { throw ImageError(.badArgument, "the image body exceeds 4 GiB") }

        // Protected TLVs, in imgtool's order.
        let publicKey = o.key?.publicKey
        let keyHash = publicKey?.keyHash(hash) ?? [UInt8](repeating: 0, count: 32)
        var prot: [(TLVType, [UInt8])] = []
        if let counter = o.securityCounter {
            var v: [UInt8] = []
            v.appendLE32(counter)
            prot.append((.securityCounter, v))
        }
        if let swType = o.bootRecord {
            prot.append((.bootRecord, bootRecord(swType: swType, version: o.version, hash: hash, signerID: keyHash)))
        }
        for d in o.dependencies { prot.append((.dependency, d.bytes)) }
        if let vid = o.vendorID { prot.append((.uuidVID, vid)) }
        if let cid = o.classID { prot.append((.uuidCID, cid)) }
        prot += o.customTLVs
        let protArea = prot.isEmpty ? [] : area(magic: MCUbootImage.protectedInfoMagic, prot)
        guard protArea.count <= Int(UInt16.max) else {
            throw ImageError(.badArgument, "the protected TLV area (\(protArea.count) bytes) exceeds 65535")
        }

        var flags: ImageFlags = []
        if let enc = o.encryption { flags.insert(enc.keyBits == 256 ? .encryptedAES256 : .encryptedAES128) }
        if o.nonBootable { flags.insert(.nonBootable) }
        if let a = o.loadAddress, a != 0 { flags.insert(.ramLoad) }
        if o.romFixedAddress != nil { flags.insert(.romFixed) }
        let header = ImageHeader(
            loadAddress: o.loadAddress ?? o.romFixedAddress ?? 0,
            headerSize: UInt16(h),
            protectedTLVSize: UInt16(protArea.count),
            imageSize: UInt32(imageSize),
            flags: flags,
            version: o.version
        )
        image.replaceSubrange(0..<ImageHeader.byteCount, with: header.bytes)
        image += protArea

        let digest = hash.digest(image)
        var unprot: [(TLVType, [UInt8])] = [(hash.tlvType, digest.bytes)]
        if o.pure { unprot.append((.sigPure, [0x01])) }
        if let key = o.key, let publicKey {
            unprot.append(o.publicKeyFormat == .full ? (.publicKey, publicKey.embeddedBytes) : (.keyHash, keyHash))
            var sig: [UInt8]
            if let fixed = o.fixedSignature {
                sig = fixed
            } else {
                sig = try key.sign(region: image[...], digest: digest, pure: o.pure)
            }
            if o.padSignature, case .p256 = key { sig += [UInt8](repeating: 0, count: max(0, 72 - sig.count)) }
            if o.padSignature, case .p384 = key { sig += [UInt8](repeating: 0, count: max(0, 103 - sig.count)) }
            guard let type = key.type.signatureTLV else { throw ImageError(.badKey, "an X25519 key cannot sign") }
            unprot.append((type, sig))
        }
        var encTLVLength = 0
        if let enc = o.encryption, let imageKey {
            let tlv = try ImageCrypto.keyTLV(imageKey: imageKey, options: enc)
            encTLVLength = tlv.1.count
            unprot.append(tlv)
        }
        let region = image
        if let enc = o.encryption, let imageKey, !enc.clear {
            image.replaceSubrange(
                h..<(h + imageSize),
                with: try ImageCrypto.aesCTR(image[h..<(h + imageSize)], key: imageKey)
            )
        }
        let unprotArea = area(magic: MCUbootImage.unprotectedInfoMagic, unprot)
        guard unprotArea.count <= Int(UInt16.max) else {
            throw ImageError(.badArgument, "the unprotected TLV area (\(unprotArea.count) bytes) exceeds 65535")
        }
        image += unprotArea

        let trailer = ImageTrailer.imgtoolTrailerSize(options: o, encTLVLength: encTLVLength)
        if image.count + trailer > o.slotSize {
            throw ImageError(
                .badArgument,
                "image size (0x\(String(image.count, radix: 16))) + trailer (0x\(String(trailer, radix: 16))) exceeds the slot size 0x\(String(o.slotSize, radix: 16))"
            )
        }
        if o.pad || o.test || o.confirm {
            image += ImageTrailer.imgtoolPadding(imageLength: image.count, trailerSize: trailer, options: o)
        }
        return (image, region, digest)
    }

    private static func area(magic: UInt16, _ tlvs: [(TLVType, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        out.appendLE16(magic)
        let total = MCUbootImage.infoByteCount + tlvs.reduce(0) { $0 + TLVEntry.headerByteCount + $1.1.count }
        out.appendLE16(UInt16(truncatingIfNeeded: total))
        for (type, value) in tlvs {
            out.appendLE16(type.rawValue)
            out.appendLE16(UInt16(truncatingIfNeeded: value.count))
            out += value
        }
        return out
    }

    /// The measured-boot record (PSA SW component): keys 1, 4, 5, 6, 2 in that order, the measurement value (2)
    /// last as a zero placeholder the bootloader overwrites.
    static func bootRecord(swType: String, version: ImageVersion, hash: ImageHashAlgorithm, signerID: [UInt8])
        -> [UInt8]
    {
        let map: CBOR = .map([
            .init(.unsigned(1), .text(swType)),
            .init(.unsigned(4), .text("\(version.major).\(version.minor).\(version.revision)")),
            .init(.unsigned(5), .bytes(signerID)),
            .init(.unsigned(6), .text(hash.tlvType.name ?? "")),
            .init(.unsigned(2), .bytes([UInt8](repeating: 0, count: hash.byteCount))),
        ])
        return CBOREncoder.encode(map)
    }

    static func hashAlgorithm(_ o: ImageSignOptions) throws(ImageError) -> ImageHashAlgorithm {
        if o.pure {
            if let hash = o.hash, hash != .sha512 {
                throw ImageError(
                    .badArgument,
                    "--pure signs with SHA-512; do not combine it with --sha \(hash.rawValue)"
                )
            }
            return .sha512
        }
        guard let key = o.key else { return o.hash ?? .sha256 }
        let chosen = o.hash ?? key.type.defaultHash
        guard key.type.allowedHashes.contains(chosen) else {
            let allowed = key.type.allowedHashes.map { $0.rawValue }.joined(separator: ", ")
            throw ImageError(.badArgument, "a \(key.type.rawValue) key signs with \(allowed), not \(chosen.rawValue)")
        }
        return chosen
    }

    static func validate(_ o: ImageSignOptions) throws(ImageError) {
        guard (32...0xffff).contains(o.headerSize) else {
            throw ImageError(.badArgument, "header size \(o.headerSize) is not in 32...65535")
        }
        guard [1, 2, 4, 8, 16, 32].contains(o.align) else {
            throw ImageError(.badArgument, "alignment \(o.align) is not one of 1, 2, 4, 8, 16, 32")
        }
        if let m = o.maxAlign, ![8, 16, 32].contains(m) {
            throw ImageError(.badArgument, "max alignment \(m) is not one of 8, 16, 32")
        }
        guard o.slotSize > 0 else { throw ImageError(.badArgument, "the slot size must be positive") }
        guard o.maxSectors >= 0 else { throw ImageError(.badArgument, "max sectors must not be negative") }
        guard o.erasedValue == 0 || o.erasedValue == 0xff else {
            throw ImageError(.badArgument, "the erased value is 0 or 0xff")
        }
        if o.loadAddress != nil && o.romFixedAddress != nil {
            throw ImageError(.badArgument, "a load address (-L) and a ROM-fixed address (-F) exclude each other")
        }
        if o.pure {
            guard case .ed25519 = o.key else { throw ImageError(.badArgument, "--pure needs an Ed25519 signing key") }
        }
        if case .x25519 = o.key { throw ImageError(.badKey, "an X25519 key encrypts images; it cannot sign them") }
        if let s = o.bootRecord, s.count > 12 {
            throw ImageError(.badArgument, "boot record sw_type \"\(s)\" is longer than 12 characters")
        }
        for id in [o.vendorID, o.classID] {
            if let id, id.count != 16 { throw ImageError(.badArgument, "a UUID TLV is 16 bytes, not \(id.count)") }
        }
        var seen = Set<TLVType>()
        for (type, value) in o.customTLVs {
            guard type.isVendor, TLVType.names[type.rawValue] == nil else {
                throw ImageError(.badArgument, "custom TLV type \(type) is outside the vendor range 0x00a0–0xfffe")
            }
            guard seen.insert(type).inserted else { throw ImageError(.badArgument, "custom TLV \(type) given twice") }
            guard value.count <= 0xffff else {
                throw ImageError(.badArgument, "custom TLV \(type) exceeds 65535 bytes")
            }
        }
        if let enc = o.encryption {
            guard enc.keyBits == 128 || enc.keyBits == 256 else {
                throw ImageError(.badArgument, "encryption key length \(enc.keyBits) is not 128 or 256")
            }
            if enc.hmacSHA512, case .x25519 = enc.recipient {
            } else if enc.hmacSHA512 {
                throw ImageError(.badArgument, "HMAC-SHA-512 key transport needs an X25519 encryption key")
            }
            if let recipient = enc.recipient.keyType,
                let problem = EncryptionRecipient.pairingProblem(signer: o.key?.type, recipient: recipient)
            {
                throw ImageError(.badArgument, problem)
            }
        }
    }
}

func randomBytes(_ n: Int) -> [UInt8] {
    var rng = SystemRandomNumberGenerator()
    return (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
}
