import B2CImage

/// The named mutators, one or more per negative-catalogue class N1–N33 (N33: NON_BOOTABLE, ours; the notes stop at N32) that a single image can show.
extension ImageMutator {
    /// Rewrites the parts of the fixture and keeps its configuration.
    static func edit(_ f: ImageFixture, _ body: (inout ImageParts) throws -> Void) throws -> (
        bytes: [UInt8], configuration: ImageVerifier.Configuration
    ) {
        var p = try ImageParts(f.bytes)
        try body(&p)
        return (p.bytes, f.configuration)
    }

    /// Edits the hashed region, then recomputes sizes, hash and signature so only the edit is under test.
    /// With `keepSizes` the header's size fields stay as the edit left them (to sign a layout lie).
    static func resealed(_ f: ImageFixture, keepSizes: Bool = false, _ body: (inout ImageParts) throws -> Void) throws
        -> (
            bytes: [UInt8], configuration: ImageVerifier.Configuration
        )
    {
        var p = try ImageParts(f.bytes)
        try body(&p)
        if let signer = f.signer, let key = f.options.key {
            try p.reseal(key: key, hash: f.hash, pure: f.options.pure, keepSizes: keepSizes) {
                (region, digest) throws(ImageError) in
                try signer.sign(key, region, digest, f.options.pure)
            }
        } else {
            try p.reseal(key: f.options.key, hash: f.hash, pure: f.options.pure, keepSizes: keepSizes)
        }
        return (p.bytes, f.configuration)
    }

    static func configured(_ f: ImageFixture, _ change: (inout ImageVerifier.Configuration) -> Void) -> (
        bytes: [UInt8], configuration: ImageVerifier.Configuration
    ) {
        var c = f.configuration
        change(&c)
        return (f.bytes, c)
    }

    static func index(_ p: ImageParts, _ type: TLVType) throws -> Int {
        guard let i = p.unprotected.firstIndex(where: { $0.type == type }) else {
            throw ImageError(.badArgument, "the fixture has no \(type) TLV")
        }
        return i
    }

    static func signatureType(_ f: ImageFixture) throws -> TLVType {
        guard let t = f.options.key?.type.signatureTLV else { throw ImageError(.badArgument, "unsigned fixture") }
        return t
    }

    /// A second key of the fixture's type (a deterministic one, so a KEYHASH of it is stable).
    static func otherKeyHash(_ f: ImageFixture) -> [UInt8] {
        [UInt8](repeating: 0x5a, count: f.hash.byteCount)
    }

    /// Every mutator. `flipBit` and `truncate` are parameterised and listed separately. Append new mutators at the
    /// end: the vector generator numbers cases in this order, and a tcId is never reused.
    package static let all: [ImageMutator] = [
        ImageMutator("badMagic", "N1", .badMagic) { f in try edit(f) { $0.header.magic = ImageHeader.legacyMagic } },
        ImageMutator("erasedMagic", "N1", .badMagic) { f in try edit(f) { $0.header.magic = 0xffff_ffff } },
        ImageMutator("imgSizeOverflow", "N2", .sizeOverflow) { f in try edit(f) { $0.header.imageSize = 0xffff_ff00 } },
        ImageMutator("imageFillsSlot", "N2", .sizeOverflow) { f in
            let region = try MCUbootImage(parsing: f.bytes).hashedRegion.upperBound
            return configured(f) { $0.slotSize = region }
        },
        ImageMutator("bothAESFlags", "N3", .badFlags) { f in
            try edit(f) { $0.header.flags.formUnion([.encryptedAES128, .encryptedAES256]) }
        },
        ImageMutator("aesFlagWithoutEncryptionSupport", "N3", .badFlags, needs: [.plain]) { f in
            try resealed(f) { $0.header.flags.insert(.encryptedAES128) }
        },
        ImageMutator("compressionFlag", "N3", .badFlags, needs: [.plain]) { f in
            try resealed(f) { $0.header.flags.insert(.compressedLZMA2) }
        },
        ImageMutator("protectSizeMismatch", "N4", .protectSizeMismatch, needs: [.protectedArea]) { f in
            try edit(f) { $0.header.protectedTLVSize &+= 4 }
        },
        ImageMutator("protectSizeZeroWithArea", "N4", .protectSizeMismatch, needs: [.protectedArea]) { f in
            try edit(f) { $0.header.protectedTLVSize = 0 }
        },
        ImageMutator("protectSizeWithoutArea", "N5", .protectedInfoMissing) { f in
            try edit(f) { p in
                guard p.protected == nil else { throw ImageError(.badArgument, "fixture has a protected area") }
                p.header.protectedTLVSize = 8
            }
        },
        ImageMutator("badUnprotectedMagic", "N6", .badTLVInfo) { f in try edit(f) { $0.unprotectedMagic = 0x6906 } },
        ImageMutator("tlvCrossesArea", "N7", .tlvOutOfBounds) { f in
            try edit(f) { p in
                p.unprotectedTotal = UInt16(
                    truncatingIfNeeded: ImageParts.areaSize(p.unprotected) - 1
                )
            }
        },
        ImageMutator(
            "protectedTlvCrossesArea",
            "N7",
            .badTLVInfo,
            needs: [.protectedArea],
            reference:
                "tlv.c bootutil_tlv_iter_begin reads the unprotected info at the shrunk protected end, one byte early, and its magic is wrong before any entry is walked"
        ) { f in
            try edit(f) { p in
                let tot = ImageParts.areaSize(p.protected ?? []) - 1
                p.protectedTotal = UInt16(tot)
                p.header.protectedTLVSize = UInt16(tot)
            }
        },
        ImageMutator("tlvBeyondSlot", "N8", .tlvBeyondMaxSize) { f in
            // The build's maximum image size (where its trailer starts) falls one byte short of the TLV end.
            let image = try MCUbootImage(parsing: f.bytes)
            return configured(f) { $0.maxImageSize = image.tlvEnd - 1 }
        },
        ImageMutator("missingHash", "N9", .hashMissing, needs: [.hashChecked]) { f in
            try edit(f) { p in p.unprotected.removeAll { $0.type == f.hash.tlvType } }
        },
        ImageMutator("shortHash", "N9", .hashLength, needs: [.hashChecked]) { f in
            try edit(f) { p in p.unprotected[try index(p, f.hash.tlvType)].value.removeLast() }
        },
        ImageMutator("hashOfOtherAlgorithm", "N9", .hashMissing, needs: [.hashChecked]) { f in
            try edit(f) { p in
                let i = try index(p, f.hash.tlvType)
                p.unprotected[i].type = f.hash == .sha256 ? .sha384 : .sha256
            }
        },
        ImageMutator("wrongHash", "N10", .hashMismatch, needs: [.hashChecked]) { f in
            try edit(f) { p in p.unprotected[try index(p, f.hash.tlvType)].value[0] ^= 0x80 }
        },
        ImageMutator("duplicateHashAfterSignature", "N11", .hashMismatch, needs: [.hashChecked]) { f in
            try edit(f) { p in
                var bad = p.unprotected[try index(p, f.hash.tlvType)]
                bad.value[5] ^= 0x01
                p.unprotected.append(bad)
            }
        },
        ImageMutator("longKeyHash", "N12", .keyHashLength, needs: [.signature]) { f in
            try edit(f) { p in p.unprotected[try index(p, .keyHash)].value.append(0) }
        },
        ImageMutator("shortKeyHash", CatalogueRule.keyHashPrefix, nil, needs: [.signature]) { f in
            try edit(f) { p in p.unprotected[try index(p, .keyHash)].value.removeLast(f.hash.byteCount - 8) }
        },
        ImageMutator("emptyKeyHash", CatalogueRule.keyHashPrefix, nil, needs: [.signature]) { f in
            try edit(f) { p in p.unprotected[try index(p, .keyHash)].value = [] }
        },
        ImageMutator("unknownKeyHash", "N14", .noValidSignature, needs: [.signature]) { f in
            try edit(f) { p in p.unprotected[try index(p, .keyHash)].value = otherKeyHash(f) }
        },
        ImageMutator("signatureBeforeKeyHash", "N14", .noValidSignature, needs: [.signature]) { f in
            try edit(f) { p in
                let k = try index(p, .keyHash)
                let keyHash = p.unprotected.remove(at: k)
                p.unprotected.append(keyHash)
            }
        },
        ImageMutator("signatureOfOtherAlgorithm", "N14", .noValidSignature, needs: [.signature]) { f in
            try edit(f) { p in
                let s = try index(p, try signatureType(f))
                p.unprotected[s].type = p.unprotected[s].type == .ed25519 ? .ecdsaSig : .ed25519
            }
        },
        ImageMutator("signatureTooLong", "N15", .signatureLength, needs: [.signature]) { f in
            try edit(f) { p in
                let s = try index(p, try signatureType(f))
                p.unprotected[s].value += [UInt8](repeating: 0, count: max(1, 129 - p.unprotected[s].value.count))
            }
        },
        ImageMutator("goodThenBadSignaturePair", "N17", .signatureInvalid, needs: [.signature]) { f in
            try edit(f) { p in
                let k = p.unprotected[try index(p, .keyHash)]
                var s = p.unprotected[try index(p, try signatureType(f))]
                s.value[s.value.count / 2] ^= 0x01
                p.unprotected += [k, s]
            }
        },
        ImageMutator("badThenGoodSignaturePair", "N17", nil, needs: [.signature]) { f in
            try edit(f) { p in
                let k = p.unprotected[try index(p, .keyHash)]
                var s = p.unprotected[try index(p, try signatureType(f))]
                s.value[s.value.count / 2] ^= 0x01
                p.unprotected.insert(contentsOf: [k, s], at: 1)
            }
        },
        ImageMutator("derTrailingZeros", "N18", .signatureInvalid, needs: [.ecdsa]) { f in
            try edit(f) { p in p.unprotected[try index(p, .ecdsaSig)].value += [0, 0] }
        },
        ImageMutator("derLongInteger", "N19", .signatureInvalid, needs: [.ecdsa]) { f in
            try edit(f) { p in
                // INTEGER r gets a redundant leading zero byte: lengths fixed up, so only DER's minimality breaks.
                let s = try index(p, .ecdsaSig)
                var der = p.unprotected[s].value
                guard der.count > 4, der[0] == 0x30, der[2] == 0x02 else { throw ImageError(.badArgument, "not DER") }
                der.insert(0x00, at: 4)
                der[3] &+= 1
                der[1] &+= 1
                p.unprotected[s].value = der
            }
        },
        ImageMutator("protectedTlvInUnprotectedArea", "N20", .tlvNotAllowed) { f in
            try edit(f) { p in p.unprotected.append((.securityCounter, [1, 0, 0, 0])) }
        },
        ImageMutator("dependencyInUnprotectedArea", "N20", .tlvNotAllowed) { f in
            try edit(f) { p in
                p.unprotected.insert(
                    (.dependency, ImageDependency(imageID: 1, minimumVersion: .init(major: 9)).bytes),
                    at: 1
                )
            }
        },
        ImageMutator("bootRecordInUnprotectedAreaWithoutAllowList", "N20", nil) { f in
            var r = try edit(f) { p in p.unprotected.append((.bootRecord, [0xa0])) }
            r.configuration.allowList = false
            return r
        },
        ImageMutator("sigPureMissing", "N21", .sigPure, needs: [.pure]) { f in
            try edit(f) { p in p.unprotected.removeAll { $0.type == .sigPure } }
        },
        ImageMutator("sigPureWrongValue", "N21", .sigPure, needs: [.pure]) { f in
            try edit(f) { p in p.unprotected[try index(p, .sigPure)].value = [0x02] }
        },
        ImageMutator("securityCounterMissing", "N22", .securityCounter, needs: [.plain]) { f in
            var r = try resealed(f) { p in
                p.protected = p.protected?.filter { $0.type != .securityCounter }
                if p.protected?.isEmpty == true { p.protected = nil }
            }
            r.configuration.securityCounterFloor = 1
            return r
        },
        ImageMutator("securityCounterBelowFloor", "N22", .securityCounter, needs: [.plain]) { f in
            var r = try resealed(f) { p in
                p.protected =
                    (p.protected ?? []).filter { $0.type != .securityCounter } + [(.securityCounter, [4, 0, 0, 0])]
            }
            r.configuration.securityCounterFloor = 5
            return r
        },
        ImageMutator("securityCounterShort", "N22", .securityCounter, needs: [.plain]) { f in
            var r = try resealed(f) { p in
                p.protected =
                    (p.protected ?? []).filter { $0.type != .securityCounter } + [(.securityCounter, [9, 0, 0])]
            }
            r.configuration.securityCounterFloor = 1
            return r
        },
        ImageMutator("uuidMismatch", "N23", .uuidMismatch, needs: [.plain]) { f in
            var r = try resealed(f) { p in
                p.protected = (p.protected ?? []) + [(.uuidVID, [UInt8](repeating: 0x11, count: 16))]
            }
            r.configuration.vendorID = [UInt8](repeating: 0x22, count: 16)
            return r
        },
        ImageMutator("uuidMissing", "N23", .uuidMismatch) { f in
            configured(f) { $0.classID = [UInt8](repeating: 0x22, count: 16) }
        },
        ImageMutator("encTLVMissing", "N25", .encTLVMissing, needs: [.encryption]) { f in
            try edit(f) { p in
                p.unprotected.removeAll {
                    [TLVType.encX25519, .encX25519SHA512, .encEC256, .encRSA2048, .encKW].contains($0.type)
                }
            }
        },
        ImageMutator("encTagFlipped", "N25", .encHMAC, needs: [.encryption]) { f in
            try edit(f) { p in
                guard let i = p.unprotected.firstIndex(where: { $0.type == .encX25519 || $0.type == .encEC256 }) else {
                    throw ImageError(.badArgument, "no ECIES TLV")
                }
                let tagStart = p.unprotected[i].type == .encEC256 ? 65 : 32
                p.unprotected[i].value[tagStart] ^= 0x01
            }
        },
        ImageMutator("encKeyLengthForOtherAESSize", "N25", .encTLVLength, needs: [.encryption]) { f in
            // RSA-OAEP's TLV is 256 bytes at either AES size (aes256RSAImageOnAES128Build).
            if case .rsa? = f.configuration.decryptionKey { throw ImageError(.badArgument, "RSA-OAEP: one TLV size") }
            return configured(f) { $0.aesKeyBits = f.options.encryption?.keyBits == 256 ? 128 : 256 }
        },
        ImageMutator("unknownProtectedTLV", CatalogueRule.unknownProtectedTLV, nil, needs: [.plain]) { f in
            try resealed(f) { p in p.protected = (p.protected ?? []) + [(TLVType(0x0003), [1, 2, 3])] }
        },
        ImageMutator("duplicateSecurityCounterOneLow", "N30", .securityCounter, needs: [.plain]) { f in
            var r = try resealed(f) { p in
                p.protected =
                    (p.protected ?? []).filter { $0.type != .securityCounter }
                    + [(.securityCounter, [9, 0, 0, 0]), (.securityCounter, [2, 0, 0, 0])]
            }
            r.configuration.securityCounterFloor = 5
            return r
        },
        ImageMutator("duplicateKeyHashLastDecides", "N32", .noValidSignature, needs: [.signature]) { f in
            try edit(f) { p in p.unprotected.insert((.keyHash, otherKeyHash(f)), at: try index(p, .keyHash) + 1) }
        },
        ImageMutator("duplicateKeyHashLastIsRight", "N32", nil, needs: [.signature]) { f in
            try edit(f) { p in p.unprotected.insert((.keyHash, otherKeyHash(f)), at: try index(p, .keyHash)) }
        },
        ImageMutator("pad1Nonzero", CatalogueRule.uncheckedHeaderField, nil, needs: [.plain]) { f in
            try resealed(f) { $0.header.pad1 = 1 }
        },
        ImageMutator("picFlag", CatalogueRule.uncheckedHeaderField, nil, needs: [.plain]) { f in
            try resealed(f) { $0.header.flags.insert(.pic) }
        },
        ImageMutator("downgrade", "N27", .downgrade) { f in
            // 255.0.0 is not newer than 255.x.y: the running version must be the image's successor, when it has one.
            guard let newer = f.options.version.successor else {
                throw ImageError(.badArgument, "no version ranks above \(f.options.version)")
            }
            return configured(f) { $0.runningVersion = newer }
        },
        ImageMutator("protectSizeMismatchSigned", "N4", .protectSizeMismatch, needs: [.protectedArea, .plain]) { f in
            // The lie is inside the signed header: only the layout check can catch it (imgtool's verify does not).
            try resealed(f, keepSizes: true) { $0.header.protectedTLVSize &+= 4 }
        },
        ImageMutator(
            "nonBootable",
            "N33",
            .nonBootable,
            needs: [.plain],
            reference:
                "loader.c boot_validate_slot: a header with IMAGE_F_NON_BOOTABLE is no bootable image, before boot_check_header_valid"
        ) { f in
            try resealed(f) { $0.header.flags.insert(.nonBootable) }
        },
        ImageMutator(
            "tlvIntoTrailer",
            "N8",
            .tlvBeyondMaxSize,
            reference:
                "image_validate.c bootutil_img_validate: TLV beyond image size, the TLV end one byte past the slot less bootutil_area.c boot_trailer_sz"
        ) { f in
            let end = try MCUbootImage(parsing: f.bytes).tlvEnd
            return configured(f) { $0.slotSize = end + trailerSize($0) - 1 }
        },
        ImageMutator(
            "tlvEndsAtTrailer",
            "N8",
            nil,
            reference:
                "image_validate.c bootutil_img_validate rejects only a TLV end greater than bootutil_max_image_size: ending where the trailer starts passes"
        ) { f in
            let end = try MCUbootImage(parsing: f.bytes).tlvEnd
            return configured(f) { $0.slotSize = end + trailerSize($0) }
        },
        ImageMutator(
            "aes256RSAImageOnAES128Build",
            "N25",
            .encKey,
            needs: [.encryption],
            reference:
                "encrypted.c boot_enc_load: BOOT_ENC_TLV_SIZE is 256 for RSA-OAEP at either AES size, so the length passes; boot_decrypt_key's OAEP decryption into BOOT_ENC_KEY_SIZE (16) bytes fails on the 32-byte key"
        ) { f in
            guard f.options.encryption?.keyBits == 256, case .rsa? = f.configuration.decryptionKey else {
                throw ImageError(.badArgument, "not an AES-256 RSA-OAEP fixture")
            }
            return configured(f) { $0.aesKeyBits = 128 }
        },
        ImageMutator(
            "clearImageInSecondarySlot",
            "N10",
            .hashMismatch,
            reference:
                "bootutil_img_hash.c bootutil_img_hash: MUST_DECRYPT (image.h: secondary slot and an AES flag) decrypts the plaintext body of a --clear image into garbage before hashing"
        ) { f in
            guard f.options.encryption?.clear == true, f.configuration.decryptionKey != nil else {
                throw ImageError(.badArgument, "not a --clear fixture with the device key")
            }
            return configured(f) { $0.secondarySlot = true }
        },
        ImageMutator(
            "protectedTlvSwallowsUnprotectedInfo",
            CatalogueRule.protectedTLVOverrun,
            nil,
            needs: [.plain],
            reference:
                "tlv.c bootutil_tlv_iter_next (after PR #2733) bounds the whole-area walk by tlv_end only and skips the unprotected info only on tlv_off == prot_end: a protected TLV 4 bytes too long takes the info as payload and the walk lands on the first unprotected TLV"
        ) { f in
            try protectedOverrun(f) { _ in MCUbootImage.infoByteCount }
        },
        ImageMutator(
            "protectedTlvSwallowsUnprotectedArea",
            "N7",
            .hashMissing,
            needs: [.plain, .hashChecked],
            reference:
                "tlv.c bootutil_tlv_iter_next: a protected TLV whose payload ends exactly at tlv_end is within bounds and swallows every unprotected TLV; image_validate.c then finds no hash TLV"
        ) { f in
            try protectedOverrun(f, landsAt: { $0 == $1 }) { ImageParts.areaSize($0.unprotected) }
        },
        ImageMutator(
            "protectedTlvPastTLVEnd",
            "N7",
            .tlvOutOfBounds,
            needs: [.plain],
            reference:
                "tlv.c bootutil_tlv_iter_next: it_len > end - tlv_off - sizeof(tlv) with end = tlv_end fails the iteration (-1)"
        ) { f in
            try protectedOverrun(f, landsAt: { $0 > $1 }) { ImageParts.areaSize($0.unprotected) + 3 }
        },
        ImageMutator(
            "emptyProtectedTLVAtEnd",
            "N20",
            .tlvNotAllowed,
            needs: [.plain],
            reference:
                "image_validate.c asks bootutil_tlv_iter_is_prot(&it, off) with the payload offset, off < prot_end: an empty TLV closing the protected area has its payload at prot_end, so the allow list judges it unprotected"
        ) { f in
            try resealed(f) { p in p.protected = (p.protected ?? []) + [(TLVType(0x00a0), [])] }
        },
    ]

    /// The trailer the fixture's build reserves (`boot_trailer_sz`).
    static func trailerSize(_ c: ImageVerifier.Configuration) -> Int {
        c.trailer.size(encryptionKeyBytes: c.decryptionKey == nil ? nil : c.aesKeyBits / 8)
    }

    /// The vendor TLV ``protectedOverrun`` appends.
    static let overrunTLV: (type: TLVType, value: [UInt8]) = (TLVType(0x00a0), [0xa5, 0xa5, 0xa5, 0xa5])

    /// A vendor TLV appended to the protected area (made if there is none) whose `it_len` claims `overrun` more bytes
    /// than it holds, then re-sealed: only the walk's bounds are under test. `landsAt(payload end, TLV end)` must
    /// hold of the result; a re-signed signature of another length (ECDSA's DER) can move the TLV end, and then the
    /// fixture is skipped.
    static func protectedOverrun(
        _ f: ImageFixture,
        landsAt: (Int, Int) -> Bool = { _, _ in true },
        _ overrun: (ImageParts) -> Int
    ) throws -> (bytes: [UInt8], configuration: ImageVerifier.Configuration) {
        let r = try resealed(f) { p in
            p.protected = (p.protected ?? []) + [overrunTLV]
            p.protectedOverrun = overrun(p)
        }
        let h = try ImageHeader(parsing: r.bytes)
        let protectedEnd = Int(h.headerSize) + Int(h.imageSize) + Int(h.protectedTLVSize)
        let entry = protectedEnd - TLVEntry.headerByteCount - overrunTLV.value.count
        guard let declared = r.bytes.le16(at: entry + TLVEntry.lengthOffset),
            let unprotectedTotal = r.bytes.le16(at: protectedEnd + MCUbootImage.infoTotalOffset),
            landsAt(entry + TLVEntry.headerByteCount + Int(declared), protectedEnd + Int(unprotectedTotal))
        else { throw ImageError(.badArgument, "the overrun does not land where the mutation needs it") }
        return r
    }

    /// N10: one bit flipped at `offset` of the hashed region. Outside the layout fields (magic, sizes, flags, TLV
    /// info headers) the only possible finding is a hash mismatch.
    package static func flipBit(at offset: Int, bit: Int = 0) -> ImageMutator {
        ImageMutator("flipBit(\(offset))", "N10", .hashMismatch, needs: [.hashChecked]) { f in
            var b = f.bytes
            guard offset < b.count else { throw ImageError(.badArgument, "offset \(offset) past the image") }
            b[offset] ^= UInt8(1 << (bit & 7))
            return (b, f.configuration)
        }
    }

    /// The image cut to its first `length` bytes.
    package static func truncate(at length: Int) -> ImageMutator {
        ImageMutator("truncate(\(length))", "—", .truncated) { f in (Array(f.bytes.prefix(length)), f.configuration) }
    }
}
