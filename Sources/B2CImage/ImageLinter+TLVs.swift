/// The TLV part of the lint: key transport, hash, allow list, keys and signatures, SIG_PURE, protected payloads and
/// the trailer.
extension ImageLinter {
    static func lintTLVs(_ image: MCUbootImage, _ options: Options, _ out: inout [Finding]) {
        let flags = image.header.flags
        let encrypted = !flags.isDisjoint(with: [.encryptedAES128, .encryptedAES256])
        let encTypes: Set<TLVType> = [.encRSA2048, .encKW, .encEC256, .encX25519, .encX25519SHA512]
        let encTLVs = image.tlvs.filter { encTypes.contains($0.type) }
        if encrypted && encTLVs.isEmpty {
            out.error(
                "N25",
                .encTLVMissing,
                ImageHeader.Offset.flags,
                "encryption flag set but no key-transport TLV"
            )
        }
        if !encrypted && !encTLVs.isEmpty {
            out.warn("N25", encTLVs[0].offset, "key-transport TLV on an image without an encryption flag")
        }
        if encTLVs.count > 1 {
            out.warn(
                "N31",
                encTLVs[1].offset,
                "\(encTLVs.count) key-transport TLVs: bootutil uses the first of its type"
            )
        }

        // The plaintext region, when it can be had.
        var plaintext: [UInt8]? = image.bytes
        if encrypted {
            var c = ImageVerifier.Configuration(signature: .none)
            c.decryptionKey = options.decryptionKey
            // The lint describes the image, not a build: it decrypts with the size the header names.
            c.aesKeyBits = flags.aesKeyBits ?? c.aesKeyBits
            plaintext = options.decryptionKey == nil ? nil : try? ImageVerifier(c).decryptedImage(image)
            if options.decryptionKey == nil {
                out.warn(
                    "encrypted",
                    ImageHeader.Offset.flags,
                    "encrypted image: hash and signatures not checked (give the device key)"
                )
            } else if plaintext == nil {
                out.error(
                    "N25",
                    .encHMAC,
                    encTLVs.first?.offset,
                    "the image key cannot be recovered with the given device key"
                )
            }
        }
        // imgtool --clear: an encryption flag over a plaintext body, which the stored bytes' hash shows.
        if encrypted, let h = image.tlvs.first(where: { ImageHashAlgorithm(tlvType: $0.type) != nil }),
            let alg = ImageHashAlgorithm(tlvType: h.type), h.length == alg.byteCount,
            image.value(of: h).elementsEqual(alg.digest(Array(image.bytes[image.hashedRegion])).bytes)
        {
            out.warn(
                "clear",
                h.valueOffset,
                "plaintext body under an encryption flag (imgtool --clear): it verifies in the primary slot only; a secondary slot decrypts it into garbage"
            )
            plaintext = image.bytes
        }
        if flags.contains(.encryptedAES256) {
            out.warn(
                "N25",
                ImageHeader.Offset.flags,
                "AES-256 image: MCUboot's default build (AES-128) rejects it at key load; it needs MCUBOOT_AES_256"
            )
        }
        let region = plaintext.map { Array($0[image.hashedRegion]) }

        let hashTLVs = image.tlvs.filter { ImageHashAlgorithm(tlvType: $0.type) != nil }
        if hashTLVs.isEmpty {
            out.error("N9", .hashMissing, image.unprotectedArea.lowerBound, "no hash TLV")
        }
        if Set(hashTLVs.map(\.type)).count > 1 {
            out.warn("N9", hashTLVs[1].offset, "hash TLVs of several algorithms: a build checks one")
        }
        var seenSignature = false
        for t in hashTLVs {
            guard let alg = ImageHashAlgorithm(tlvType: t.type) else { continue }
            if t.length != alg.byteCount {
                out.error(
                    "N9",
                    .hashLength,
                    t.offset,
                    "\(t.type) is \(t.length) bytes, not \(alg.byteCount)"
                )
            } else if let region, !image.value(of: t).elementsEqual(alg.digest(region).bytes) {
                let after = image.tlvs.contains { $0.offset < t.offset && TLVType.signatureTypes.contains($0.type) }
                out.error(
                    after ? "N11" : "N10",
                    .hashMismatch,
                    t.valueOffset,
                    "\(t.type) does not match the image"
                )
            }
        }
        let hash = hashTLVs.compactMap { ImageHashAlgorithm(tlvType: $0.type) }.first ?? .sha256

        // Unprotected area: allow list (N20).
        for t in image.tlvs where !t.isProtected {
            if !(TLVType.unprotectedAllowList.union([.sigPure, .encX25519, .encX25519SHA512])).contains(t.type) {
                out.error(
                    "N20",
                    .tlvNotAllowed,
                    t.offset,
                    "\(t.type) in the unprotected area (not signed; the allow list rejects it; CVE-2024-32883)"
                )
            }
        }
        // Keys and signatures in order (N12–N18).
        var keyHashSinceSignature: [TLVEntry] = []
        var selected: ImagePublicKey?
        for t in image.tlvs where !t.isProtected {
            let value = image.value(of: t)
            if t.type == .keyHash {
                if t.length > hash.byteCount {
                    out.error(
                        "N12",
                        .keyHashLength,
                        t.offset,
                        "KEYHASH is \(t.length) bytes, longer than the hash"
                    )
                } else if t.length < hash.byteCount {
                    out.warn(
                        CatalogueRule.keyHashPrefix,
                        t.offset,
                        "KEYHASH of \(t.length) bytes: bootutil matches it by prefix"
                    )
                }
                keyHashSinceSignature.append(t)
                selected = options.keys.first { $0.keyHash(hash).starts(with: value) }
                if !options.keys.isEmpty && selected == nil {
                    out.error("N14", .noValidSignature, t.offset, "KEYHASH matches none of the given keys")
                }
            } else if t.type == .publicKey {
                keyHashSinceSignature.append(t)
                selected = options.keys.first { $0.embeddedBytes.elementsEqual(value) }
            } else if TLVType.signatureTypes.contains(t.type) {
                seenSignature = true
                if keyHashSinceSignature.isEmpty {
                    out.error(
                        "N14",
                        .noValidSignature,
                        t.offset,
                        "\(t.type) follows no KEYHASH: bootutil skips it"
                    )
                }
                if keyHashSinceSignature.count > 1 {
                    out.warn(
                        "N32",
                        keyHashSinceSignature[0].offset,
                        "\(keyHashSinceSignature.count) key TLVs before one signature: the last selects"
                    )
                }
                if t.type == .ecdsaSig, value.count > 2, value[value.startIndex] == 0x30,
                    Int(value[value.startIndex + 1]) + 2 < value.count
                {
                    out.error(
                        "N18",
                        .signatureInvalid,
                        t.valueOffset,
                        "ECDSA DER followed by \(value.count - Int(value[value.startIndex + 1]) - 2) padding bytes (--pad-sig): mbedTLS builds reject it"
                    )
                }
                if let key = selected, key.type.signatureTLV == t.type {
                    if let problem = key.signatureLengthError(t.length) {
                        out.error("N15", .signatureLength, t.offset, problem)
                    } else if let region, let plaintext,
                        !key.isValidSignature(
                            value,
                            region: plaintext[image.hashedRegion],
                            digest: hash.digest(region),
                            pure: image.entries(.sigPure).isEmpty == false
                        )
                    {
                        let pairs = image.tlvs.filter { TLVType.signatureTypes.contains($0.type) }.count
                        out.error(
                            pairs > 1 ? "N17" : "signature",
                            .signatureInvalid,
                            t.valueOffset,
                            "\(t.type) does not verify with the selected key"
                        )
                    }
                }
                keyHashSinceSignature = []
                selected = nil
            }
        }
        if !seenSignature && !options.keys.isEmpty {
            out.error("N14", .noValidSignature, nil, "no signature TLV, but keys were given")
        }
        let pures = image.entries(.sigPure)
        for p in pures where p.length != 1 || image.bytes[p.valueOffset] != 0x01 {
            out.error("N21", .sigPure, p.offset, "SIG_PURE must be one byte 0x01")
        }
        if pures.count > 1 { out.warn("N31", pures[1].offset, "\(pures.count) SIG_PURE TLVs") }

        // Protected payloads (N22–N24, N29, N30).
        for t in image.tlvs where t.isProtected {
            let value = Array(image.value(of: t))
            switch t.type {
            case .securityCounter where t.length != 4:
                out.error("N22", .securityCounter, t.offset, "SEC_CNT is \(t.length) bytes, not 4")
            case .dependency where t.length != 12:
                out.error("N24", .dependency, t.offset, "DEPENDENCY is \(t.length) bytes, not 12")
            case .uuidVID where t.length != 16, .uuidCID where t.length != 16:
                out.error("N23", .uuidMismatch, t.offset, "\(t.type) is \(t.length) bytes, not 16")
            case .bootRecord:
                if let problem = bootRecordProblem(value, hash: hash) {
                    out.error("boot_record", .badArgument, t.valueOffset, problem)
                }
            default:
                if t.type.name == nil {
                    out.warn(
                        CatalogueRule.unknownProtectedTLV,
                        t.offset,
                        "unknown protected TLV \(t.type) (ignored, but signed)"
                    )
                }
            }
        }
        for type in [TLVType.securityCounter, .uuidVID, .uuidCID] {
            let copies = image.entries(type)
            if copies.count > 1 {
                out.warn("N30", copies[1].offset, "\(copies.count) \(type) TLVs: every copy is checked")
            }
        }
        // Trailer (N26), when the input extends to a slot.
        if image.bytes.count > image.tlvEnd,
            let state = ImageTrailer.State(slot: image.bytes, maxAlign: options.maxAlign)
        {
            if state.magic == .bad {
                out.warn(
                    "N26",
                    image.bytes.count - 16,
                    "trailer magic is not the one for BOOT_MAX_ALIGN \(options.maxAlign)"
                )
            }
            if state.imageOK == .bad { out.warn("N26", nil, "image_ok is neither 0x01 nor erased") }
            if state.copyDone == .bad { out.warn("N26", nil, "copy_done is neither 0x01 nor erased") }
        }
    }
}
