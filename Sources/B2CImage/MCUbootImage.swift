/// An MCUboot image parsed down to its TLV entries, strictly and totally: every byte string yields an image or a
/// typed ``ImageError`` naming the layer that rejects it.
///
/// Parsing checks structure only (header fields that bound the layout, the two TLV info headers, every entry inside
/// its area); integrity and policy belong to ``ImageVerifier``.
public struct MCUbootImage: Sendable {
    public static let protectedInfoMagic: UInt16 = 0x6908
    public static let unprotectedInfoMagic: UInt16 = 0x6907
    /// `struct image_tlv_info`: a u16 magic, then the u16 `it_tlv_tot` (the area's size, this header included) at
    /// this offset.
    package static let infoByteCount = 4
    package static let infoTotalOffset = 2

    /// The whole input (header, body, TLV areas and anything after them, e.g. padding and a trailer).
    public let bytes: [UInt8]
    public let header: ImageHeader
    /// TLV entries in media order: protected first, then unprotected.
    public let tlvs: [TLVEntry]
    /// The protected area, info header included (empty when there is none).
    public let protectedArea: Range<Int>
    /// The unprotected area, info header included.
    public let unprotectedArea: Range<Int>

    /// `[0, hdr + img + prot)`: what the hash and the signature cover.
    public var hashedRegion: Range<Int> { 0..<protectedArea.upperBound }
    public var body: Range<Int> { Int(header.headerSize)..<(Int(header.headerSize) + Int(header.imageSize)) }
    /// End of the unprotected area: the image's last byte plus one.
    public var tlvEnd: Int { unprotectedArea.upperBound }

    /// Parses `bytes`. `slotSize`, when known, bounds the layout as the bootloader does (N2, N8).
    public init(parsing bytes: [UInt8], slotSize: Int? = nil) throws(ImageError) {
        try self.init(parsing: bytes, slotSize: slotSize, trustProtectedInfo: false)
    }

    /// `trustProtectedInfo` takes the protected area's own total when it differs from the header (what imgtool's
    /// verify does; used only to act out that deviation). `maxTLVEnd` bounds the TLV end (N8) before any entry is
    /// read, as `bootutil_img_validate` does.
    package init(parsing bytes: [UInt8], slotSize: Int?, maxTLVEnd: Int? = nil, trustProtectedInfo: Bool)
        throws(ImageError)
    {
        let header = try ImageHeader(parsing: bytes)
        try self.init(
            bytes: bytes,
            header: header,
            slotSize: slotSize,
            maxTLVEnd: maxTLVEnd,
            trustProtectedInfo: trustProtectedInfo
        )
    }

    private init(bytes: [UInt8], header: ImageHeader, slotSize: Int?, maxTLVEnd: Int?, trustProtectedInfo: Bool)
        throws(ImageError)
    {
        try header.checkLayout(slotSize: slotSize)
        self.bytes = bytes
        self.header = header
        let start = Int(header.headerSize) + Int(header.imageSize)
        guard start + Self.infoByteCount <= bytes.count else {
            throw ImageError(
                .truncated,
                at: bytes.count,
                "the TLV area should start at \(start) but the image is \(bytes.count) bytes"
            )
        }
        var unprotStart = start
        let protSize = Int(header.protectedTLVSize)
        if bytes.le16(at: start) == Self.protectedInfoMagic {
            let tot = Int(bytes.le16(at: start + Self.infoTotalOffset) ?? 0)
            guard tot == protSize || trustProtectedInfo else {
                throw ImageError(
                    .protectSizeMismatch,
                    at: start + Self.infoTotalOffset,
                    "protected TLV area total \(tot) differs from the header's protect_tlv_size \(protSize)"
                )
            }
            guard tot >= Self.infoByteCount else {
                throw ImageError(
                    .badTLVInfo,
                    at: start + Self.infoTotalOffset,
                    "protected TLV area total \(tot) is below its 4-byte header"
                )
            }
            unprotStart = start + tot
            guard unprotStart <= bytes.count else {
                throw ImageError(.truncated, at: bytes.count, "the protected TLV area runs past the end of the image")
            }
        } else if protSize != 0 {
            throw ImageError(
                .protectedInfoMissing,
                at: start,
                "protect_tlv_size is \(protSize) but there is no protected TLV info (0x6908) at \(start)"
            )
        }
        guard unprotStart + Self.infoByteCount <= bytes.count else {
            throw ImageError(.truncated, at: bytes.count, "no room for the unprotected TLV info at \(unprotStart)")
        }
        guard let magic = bytes.le16(at: unprotStart), magic == Self.unprotectedInfoMagic,
            let tot = bytes.le16(at: unprotStart + Self.infoTotalOffset).map(Int.init)
        else {
            throw ImageError(.badTLVInfo, at: unprotStart, "no unprotected TLV info magic 0x6907 at \(unprotStart)")
        }
        guard tot >= Self.infoByteCount else {
            throw ImageError(
                .badTLVInfo,
                at: unprotStart + Self.infoTotalOffset,
                "unprotected TLV area total \(tot) is below its 4-byte header"
            )
        }
        let end = unprotStart + tot
        guard end <= bytes.count else {
            throw ImageError(
                .truncated,
                at: bytes.count,
                "the unprotected TLV area ends at \(end), past the end of the image (\(bytes.count) bytes)"
            )
        }
        if let slotSize, end > slotSize {
            throw ImageError(
                .tlvBeyondMaxSize,
                at: unprotStart + Self.infoTotalOffset,
                "the TLV area ends at \(end), past the slot"
            )
        }
        if let maxTLVEnd, end > maxTLVEnd {
            throw ImageError(
                .tlvBeyondMaxSize,
                at: unprotStart + Self.infoTotalOffset,
                "the TLV area ends at \(end), past the maximum image size \(maxTLVEnd) (where the trailer starts)"
            )
        }
        self.tlvs = try Self.entries(
            in: bytes,
            first: start + Self.infoByteCount,
            protectedEnd: unprotStart > start ? unprotStart : nil,
            end: end
        )
        self.protectedArea = start..<unprotStart
        self.unprotectedArea = unprotStart..<end
    }

    /// The entries as `bootutil_tlv_iter_next` walks both areas (`tlv.c`, after commit 90f4e7c3, PR #2733): from the
    /// first entry up to the TLV end, stepping over the unprotected info only when the cursor lands exactly on the
    /// protected area's end; each header and payload must lie before the TLV end (N7). A protected entry whose length
    /// runs past the protected area's end is therefore no error by itself: it swallows what follows (the
    /// unprotected info too), and the walk goes on from wherever its length lands. An entry is protected when its
    /// payload starts inside the protected area (`bootutil_tlv_iter_is_prot`).
    private static func entries(in bytes: [UInt8], first: Int, protectedEnd: Int?, end: Int) throws(ImageError)
        -> [TLVEntry]
    {
        var out: [TLVEntry] = []
        var off = first
        while off < end {
            if let protectedEnd, off == protectedEnd {
                off += infoByteCount
                continue
            }
            guard end - off >= TLVEntry.headerByteCount, let type = bytes.le16(at: off),
                let len = bytes.le16(at: off + TLVEntry.lengthOffset)
            else {
                throw ImageError(
                    .tlvOutOfBounds,
                    at: off,
                    "a TLV header at \(off) crosses the end of the TLV area (\(end))"
                )
            }
            guard Int(len) <= end - off - TLVEntry.headerByteCount else {
                throw ImageError(
                    .tlvOutOfBounds,
                    at: off + TLVEntry.lengthOffset,
                    "TLV \(TLVType(type)) at \(off) with length \(len) crosses the end of the TLV area (\(end))"
                )
            }
            let isProtected = protectedEnd.map { off + TLVEntry.headerByteCount < $0 } ?? false
            out.append(TLVEntry(type: TLVType(type), offset: off, length: Int(len), isProtected: isProtected))
            off += TLVEntry.headerByteCount + Int(len)
        }
        return out
    }

    /// Whether a protected entry's length runs past the protected area's end (into the unprotected info or beyond):
    /// bootutil's whole-area walk takes it, and what it swallows, as one protected entry (a tolerance, N7).
    public var protectedEntryOverrun: TLVEntry? {
        tlvs.first { $0.isProtected && $0.valueRange.upperBound > protectedArea.upperBound }
    }

    /// A one-line summary of the layout that `image.parse` answers and the vectors expect:
    /// `hdr=32 img=300 prot=12 flags=0x4 ver=1.2.3+4 tlvs=0x50:4p,0x10:32,0x1:32,0x24:64` (type:length, `p` for
    /// protected entries, in media order).
    public var layoutSummary: String {
        let h = header
        let tlvList = tlvs.map {
            "0x" + String($0.type.rawValue, radix: 16) + ":\($0.length)" + ($0.isProtected ? "p" : "")
        }
        return
            "hdr=\(h.headerSize) img=\(h.imageSize) prot=\(h.protectedTLVSize) flags=0x\(String(h.flags.rawValue, radix: 16)) "
            + "ver=\(h.version) tlvs=" + tlvList.joined(separator: ",")
    }

    /// The payload of an entry.
    public func value(of entry: TLVEntry) -> ArraySlice<UInt8> { bytes[entry.valueRange] }

    /// Entries of one type, in media order.
    public func entries(_ type: TLVType) -> [TLVEntry] { tlvs.filter { $0.type == type } }
}
