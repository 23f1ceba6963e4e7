import B2CCBOR

/// Reports every rule an image breaks, not only the first: what a bootloader would reject (errors) and what bootutil
/// tolerates but a strict implementation may not (warnings). Rules are named by the negative catalogue (N1–N33),
/// whose texts are in `docs/rules/mcuboot.md`.
public enum ImageLinter {
    public struct Finding: Hashable, Sendable {
        public enum Severity: String, Sendable { case error, warning }
        public let severity: Severity
        /// `N4`, `N20`…, or a name for rules outside the catalogue.
        public let rule: String
        /// The error code a verifier reports for it (errors only).
        public let code: ImageError.Code?
        public let offset: Int?
        public let message: String

        /// Where the rule is written down: its section of `docs/rules/mcuboot.md`.
        public var specRef: String { Self.rulesFile + "#" + rule.lowercased() }
        public static let rulesFile = "docs/rules/mcuboot.md"
    }

    public struct Options: Sendable {
        public var keys: [ImagePublicKey] = []
        public var slotSize: Int?
        public var decryptionKey: DecryptionKey?
        public var maxAlign = 8
        public init() {}
    }

    public static func lint(_ bytes: [UInt8], options: Options = Options()) -> [Finding] {
        var out: [Finding] = []
        guard let header = try? ImageHeader(parsing: bytes) else {
            out.error(
                "truncated",
                .truncated,
                bytes.count,
                "\(bytes.count) bytes is shorter than the image header"
            )
            return out
        }
        // Header (N1–N3, N28).
        if header.magic != ImageHeader.magic {
            out.error(
                "N1",
                .badMagic,
                ImageHeader.Offset.magic,
                "header magic is 0x\(hex32(header.magic)), not 0x96f3b83d"
            )
        }
        do { try header.checkLayout(slotSize: options.slotSize) } catch let e where e.code == .sizeOverflow {
            out.error("N2", .sizeOverflow, e.offset, e.reason)
        } catch {}
        if header.flags.contains(.encryptedAES128) && header.flags.contains(.encryptedAES256) {
            out.error("N3", .badFlags, ImageHeader.Offset.flags, "both AES-128 and AES-256 flags are set")
        }
        if !header.flags.isDisjoint(with: [.compressedLZMA1, .compressedLZMA2, .compressedARMThumb]) {
            out.warn(
                "N3",
                ImageHeader.Offset.flags,
                "compression flag: only a bootloader built with decompression accepts it"
            )
        }
        if header.flags.contains(.nonBootable) {
            out.error(
                "N33",
                .nonBootable,
                ImageHeader.Offset.flags,
                "IMAGE_F_NON_BOOTABLE: the loader does not boot it (loader.c boot_validate_slot)"
            )
        }
        if header.headerSize < ImageHeader.byteCount {
            out.warn(
                CatalogueRule.uncheckedHeaderField,
                ImageHeader.Offset.headerSize,
                "header size \(header.headerSize) is below 32"
            )
        }
        if header.pad1 != 0 {
            out.warn(
                CatalogueRule.uncheckedHeaderField,
                ImageHeader.Offset.pad1,
                "_pad1 is 0x\(hex32(header.pad1)), not zero"
            )
        }
        if header.flags.contains(.pic) {
            out.warn(
                CatalogueRule.uncheckedHeaderField,
                ImageHeader.Offset.flags,
                "PIC flag: not supported by bootutil"
            )
        }
        let unknownFlags = header.flags.rawValue & ~ImageFlags.names.reduce(0) { $0 | $1.0.rawValue }
        if unknownFlags != 0 {
            out.warn("flags", ImageHeader.Offset.flags, "unassigned flag bits 0x\(hex32(unknownFlags))")
        }

        // Layout (N4–N8): strictly, and once more trusting the protected info so the rest can still be linted.
        var image: MCUbootImage?
        do {
            image = try MCUbootImage(parsing: bytes, slotSize: options.slotSize, trustProtectedInfo: false)
        } catch let e {
            let rule: String
            switch e.code {
            case .protectSizeMismatch: rule = "N4"
            case .protectedInfoMissing: rule = "N5"
            case .badTLVInfo: rule = "N6"
            case .tlvOutOfBounds: rule = "N7"
            case .tlvBeyondMaxSize: rule = "N8"
            case .sizeOverflow, .badMagic: rule = ""
            default: rule = "layout"
            }
            if !rule.isEmpty {
                out.append(
                    Finding(
                        severity: .error,
                        rule: rule,
                        code: e.code,
                        offset: e.offset,
                        message: e.reason
                    )
                )
            }
            image = try? MCUbootImage(parsing: bytes, slotSize: options.slotSize, trustProtectedInfo: true)
        }
        guard let image else { return out }
        if let slotSize = options.slotSize {
            // N8: the TLV area must end before the trailer a default build (Geometry's defaults at this BOOT_MAX_ALIGN)
            // reserves: image_validate.c against bootutil_max_image_size.
            let encrypted = options.decryptionKey == nil ? nil : header.flags.aesKeyBits.map { $0 / 8 }
            let trailer = ImageTrailer.Geometry(maxAlign: options.maxAlign).size(encryptionKeyBytes: encrypted)
            if image.tlvEnd > slotSize - trailer, image.tlvEnd <= slotSize {
                out.error(
                    "N8",
                    .tlvBeyondMaxSize,
                    image.unprotectedArea.lowerBound + MCUbootImage.infoTotalOffset,
                    "the TLV area ends at \(image.tlvEnd), inside the \(trailer)-byte trailer at \(slotSize - trailer)"
                )
            }
        }
        if let t = image.protectedEntryOverrun {
            out.warn(
                CatalogueRule.protectedTLVOverrun,
                t.offset,
                "protected TLV \(t.type) runs past the protected area's end (\(image.protectedArea.upperBound)): bootutil's walk takes what follows as its payload"
            )
        }
        lintTLVs(image, options, &out)
        return out
    }

    /// The measured-boot record: a CBOR map whose last key is 2 (the measurement, hash-sized).
    static func bootRecordProblem(_ bytes: [UInt8], hash: ImageHashAlgorithm) -> String? {
        guard let item = try? CBORDecoder.decode(bytes) else { return "BOOT_RECORD is not one valid CBOR item" }
        guard case .map(let pairs) = item else { return "BOOT_RECORD is not a CBOR map" }
        guard let last = pairs.last, last.key == .unsigned(2) else {
            return "BOOT_RECORD's last key is not 2 (measurement value)"
        }
        guard case .bytes(let m) = last.value, m.count == hash.byteCount else {
            return "BOOT_RECORD's measurement value is not a \(hash.byteCount)-byte string"
        }
        return nil
    }
}

extension [ImageLinter.Finding] {
    /// Records a rule the image breaks.
    mutating func error(_ rule: String, _ code: ImageError.Code, _ offset: Int?, _ message: String) {
        append(.init(severity: .error, rule: rule, code: code, offset: offset, message: message))
    }

    /// Records what bootutil tolerates but a strict implementation may reject.
    mutating func warn(_ rule: String, _ offset: Int?, _ message: String) {
        append(.init(severity: .warning, rule: rule, code: nil, offset: offset, message: message))
    }
}
