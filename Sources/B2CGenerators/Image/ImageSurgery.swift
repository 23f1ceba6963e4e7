import B2CImage

/// An image taken apart into header, header padding, body and TLV lists, to be edited and put back together —
/// with the layout fields kept as they are (for structural mutations) or recomputed and re-signed (`reseal`).
package struct ImageParts: Sendable {
    package var header: ImageHeader
    /// Bytes 32..<hdr_size.
    package var headerPadding: [UInt8]
    package var body: [UInt8]
    /// nil: no protected area.
    package var protected: [(type: TLVType, value: [UInt8])]?
    package var unprotected: [(type: TLVType, value: [UInt8])]
    /// Bytes after the TLV area (padding, trailer).
    package var tail: [UInt8]
    /// Overrides for the info headers' totals (nil: computed).
    package var protectedTotal: UInt16?
    package var unprotectedTotal: UInt16?
    package var unprotectedMagic: UInt16 = MCUbootImage.unprotectedInfoMagic
    /// Bytes the last protected entry's `it_len` claims beyond its value (0: its value's length), to make an entry
    /// that runs past the protected area's end; the area's total stays that of the bytes.
    package var protectedOverrun = 0

    package init(_ bytes: [UInt8]) throws(ImageError) {
        let image = try MCUbootImage(parsing: bytes)
        header = image.header
        headerPadding = Array(bytes[ImageHeader.byteCount..<Int(image.header.headerSize)])
        body = Array(bytes[image.body])
        let prot = image.tlvs.filter(\.isProtected).map { (type: $0.type, value: Array(image.value(of: $0))) }
        protected = image.protectedArea.isEmpty ? nil : prot
        unprotected = image.tlvs.filter { !$0.isProtected }.map { (type: $0.type, value: Array(image.value(of: $0))) }
        tail = Array(bytes[image.tlvEnd...])
    }

    /// What `it_tlv_tot` says for an area holding `tlvs`: the info header, then each entry's header and value.
    package static func areaSize(_ tlvs: [(type: TLVType, value: [UInt8])]) -> Int {
        MCUbootImage.infoByteCount + tlvs.reduce(0) { $0 + TLVEntry.headerByteCount + $1.value.count }
    }

    static func area(_ magic: UInt16, _ tlvs: [(type: TLVType, value: [UInt8])], total: UInt16?, overrun: Int = 0)
        -> [UInt8]
    {
        var out: [UInt8] = []
        out.append(UInt8(magic & 0xff))
        out.append(UInt8(magic >> 8))
        let tot = total ?? UInt16(truncatingIfNeeded: areaSize(tlvs))
        out += [UInt8(tot & 0xff), UInt8(tot >> 8)]
        for (i, t) in tlvs.enumerated() {
            let length = t.value.count + (i == tlvs.count - 1 ? overrun : 0)
            out += [UInt8(t.type.rawValue & 0xff), UInt8(t.type.rawValue >> 8)]
            out += [UInt8(length & 0xff), UInt8((length >> 8) & 0xff)]
            out += t.value
        }
        return out
    }

    package var protectedArea: [UInt8] {
        protected.map {
            Self.area(MCUbootImage.protectedInfoMagic, $0, total: protectedTotal, overrun: protectedOverrun)
        } ?? []
    }

    /// The bytes, with the header exactly as it stands (no sizes recomputed).
    package var bytes: [UInt8] {
        header.bytes + headerPadding + body + protectedArea
            + Self.area(unprotectedMagic, unprotected, total: unprotectedTotal) + tail
    }

    /// Recomputes the header's sizes, the hash TLV(s), KEYHASH and signature(s) over the edited hashed region, in
    /// place, keeping the unprotected TLV order. `key` re-signs every signature TLV of its type.
    package mutating func reseal(
        key: ImagePrivateKey?,
        hash: ImageHashAlgorithm,
        pure: Bool = false,
        keepSizes: Bool = false,
        signer: ((ArraySlice<UInt8>, ImageDigest) throws(ImageError) -> [UInt8])? = nil
    ) throws(ImageError) {
        if !keepSizes {
            header.headerSize = UInt16(truncatingIfNeeded: ImageHeader.byteCount + headerPadding.count)
            header.imageSize = UInt32(truncatingIfNeeded: body.count)
            header.protectedTLVSize = UInt16(truncatingIfNeeded: protectedArea.count)
        }
        let region = header.bytes + headerPadding + body + protectedArea
        let digest = hash.digest(region)
        for i in unprotected.indices {
            let t = unprotected[i].type
            if t == hash.tlvType {
                unprotected[i].value = digest.bytes
            } else if let key, t == .keyHash {
                unprotected[i].value = key.publicKey.keyHash(hash)
            } else if let key, t == key.type.signatureTLV {
                if let signer {
                    unprotected[i].value = try signer(region[...], digest)
                } else {
                    unprotected[i].value = try key.sign(region: region[...], digest: digest, pure: pure)
                }
            }
        }
    }
}
