import ArgumentParser
import B2CHex
import B2CImage
import B2CVectors
import B2CWire
import Foundation

struct DumpInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dumpinfo",
        abstract: "Print the header, the TLVs and the trailer of an image (imgtool's layout)."
    )
    @Option(
        name: [.short, .customLong("format")],
        help: "human, json or yaml (default: human on stdout, yaml to a file)."
    )
    var format: String?
    @Flag(name: .long, help: "Same as -f json.") var json = false
    @Option(name: [.short, .customLong("outfile"), .customLong("output")], help: "Write to this file.") var outfile:
        String?
    @Flag(name: [.short, .long], help: "Accepted and ignored, as imgtool 2.5.0 ignores it.") var silent = false
    @Option(
        name: .long,
        help: "BOOT_MAX_ALIGN of the trailer (default: read from its magic, as imgtool; with an unknown magic, none)."
    )
    var maxAlign: String?
    @Option(name: [.customShort("R"), .long], help: "Erased value: 0 or 0xff.") var erasedVal = "0xff"
    @Argument var image: String

    func run() throws {
        let format = json ? "json" : (self.format ?? (outfile == nil ? "human" : "yaml"))
        guard ["human", "json", "yaml"].contains(format) else {
            throw CLIError("-f: \"\(format)\" is not human, yaml or json")
        }
        let erased = try parseInteger(erasedVal, "--erased-val")
        guard erased == 0 || erased == 0xff else { throw CLIError("--erased-val: \(erasedVal) is not 0 or 0xff") }
        var align: Int?
        if let maxAlign {
            align = try parseInteger(maxAlign, "--max-align")
            guard [8, 16, 32].contains(align ?? 0) else {
                throw CLIError("--max-align: \(maxAlign) is not 8, 16 or 32")
            }
        }
        let bytes = try readFile(image)
        let parsed: MCUbootImage
        do { parsed = try MCUbootImage(parsing: bytes) } catch {
            Console.out("invalid: \(error)\n")
            throw ExitCode(1)
        }
        let value = Self.describe(parsed, file: image, maxAlign: align)
        if let t = value.objectValue?["trailer"]?.objectValue, t["magic"] != nil, t["image_ok"] == nil {
            // imgtool warns on stdout, before the document; a JSON or YAML document on stdout stays parseable.
            let warning = "Warning: the trailer magic value is invalid!\n"
            if format != "human" && outfile == nil { Console.err(warning) } else { Console.out(warning) }
        }
        // JSON is valid YAML 1.2, so -f yaml writes the same document (binary data as hex strings).
        let text = format == "human" ? Self.human(value) : CanonicalJSON.render(value)
        if let outfile { try writeFile(outfile, Array(text.utf8)) } else { Console.out(text) }
    }

    /// imgtool's names of the header flags, in the order its human layout lists them.
    static let imgtoolFlagNames: [(UInt32, String)] = [
        (0x1, "PIC"), (0x4, "ENCRYPTED_AES128"), (0x8, "ENCRYPTED_AES256"), (0x10, "NON_BOOTABLE"),
        (0x20, "RAM_LOAD"), (0x100, "ROM_FIXED"), (0x200, "COMPRESSED_LZMA1"), (0x400, "COMPRESSED_LZMA2"),
        (0x800, "COMPRESSED_ARM_THUMB"),
    ]

    /// imgtool's TLV type names (its `TLV_VALUES`): they differ from b2c's for the RSA signatures, and imgtool has
    /// none for ECDSA224 or the vendor range, which it calls `UNKNOWN`.
    static let imgtoolTLVNames: [UInt16: String] = [
        0x01: "KEYHASH", 0x02: "PUBKEY", 0x10: "SHA256", 0x11: "SHA384", 0x12: "SHA512", 0x20: "RSA2048",
        0x22: "ECDSASIG", 0x23: "RSA3072", 0x24: "ED25519", 0x25: "SIG_PURE", 0x30: "ENCRSA2048", 0x31: "ENCKW",
        0x32: "ENCEC256", 0x33: "ENCX25519", 0x34: "ENCX25519_SHA512", 0x40: "DEPENDENCY", 0x50: "SEC_CNT",
        0x60: "BOOT_RECORD", 0x70: "DECOMP_SIZE", 0x71: "DECOMP_SHA", 0x72: "DECOMP_SIGNATURE", 0x73: "COMP_DEC_SIZE",
        0x74: "UUID_VID", 0x75: "UUID_CID",
    ]

    /// imgtool's `dumpinfo` document (filename as its base name, header, tlv_area, trailer: `{}` without one, the
    /// magic alone when it is unknown), plus a `b2c` object: flag and TLV names as b2c gives them, TLV offsets, the
    /// hashed region, and the trailer's BOOT_MAX_ALIGN.
    static func describe(_ image: MCUbootImage, file: String, maxAlign: Int?) -> JSONValue {
        let h = image.header
        let header: [String: JSONValue] = [
            "magic": .int(Int64(h.magic)), "load_addr": .int(Int64(h.loadAddress)),
            "hdr_size": .int(Int64(h.headerSize)), "protected_tlv_size": .int(Int64(h.protectedTLVSize)),
            "img_size": .int(Int64(h.imageSize)), "flags": .int(Int64(h.flags.rawValue)),
            "version": .string(h.version.description),
        ]
        func tlv(_ t: TLVEntry) -> JSONValue {
            .object([
                "type": .int(Int64(t.type.rawValue)),
                "type_name": .string(imgtoolTLVNames[t.type.rawValue] ?? "UNKNOWN"),
                "len": .int(Int64(t.length)), "data": .string(Hex.encode(image.value(of: t))),
            ])
        }
        func info(_ area: Range<Int>) -> JSONValue {
            guard !area.isEmpty, let magic = image.bytes.le16(at: area.lowerBound),
                let tot = image.bytes.le16(at: area.lowerBound + 2)
            else { return .object([:]) }
            return .object(["magic": .int(Int64(magic)), "tlv_tot": .int(Int64(tot))])
        }
        var b2c: [String: JSONValue] = [
            "flag_names": .array(h.flags.names.map(JSONValue.string)), "pad1": .int(Int64(h.pad1)),
            "tlv_names": .array(image.tlvs.map { .string($0.type.name ?? "UNKNOWN") }),
            "tlv_offsets": .array(image.tlvs.map { .int(Int64($0.offset)) }),
            "hashed_region_end": .int(Int64(image.hashedRegion.upperBound)), "tlv_end": .int(Int64(image.tlvEnd)),
        ]
        var trailer: [String: JSONValue] = [:]
        if image.bytes.count > image.tlvEnd, image.bytes.count >= 16 {
            trailer["magic"] = .string(Hex.encode(image.bytes[(image.bytes.count - 16)...]))
            if let align = maxAlign ?? ImageTrailer.maxAlign(ofSlot: image.bytes),
                let t = ImageTrailer.Raw(slot: image.bytes, maxAlign: align)
            {
                trailer["image_ok"] = .int(Int64(t.imageOK))
                trailer["copy_done"] = .int(Int64(t.copyDone))
                trailer["swap_info"] = .int(Int64(t.swapInfo))
                trailer["swap_size"] = .int(Int64(t.swapSize))
                if !h.flags.isDisjoint(with: [.encryptedAES128, .encryptedAES256]) {
                    // Two key slots of 16 bytes, aligned: right unless the build saves whole ENC TLVs.
                    trailer["key_field_len"] = .int(Int64(2 * ((16 + align - 1) / align * align)))
                }
                b2c["trailer_max_align"] = .int(Int64(align))
            }
        }
        return .object([
            "filename": .string((file as NSString).lastPathComponent),
            "header": .object(header),
            "tlv_area": .object([
                "tlv_hdr_prot": info(image.protectedArea),
                "tlvs_prot": .array(image.tlvs.filter(\.isProtected).map(tlv)),
                "tlv_hdr": info(image.unprotectedArea),
                "tlvs": .array(image.tlvs.filter { !$0.isProtected }.map(tlv)),
            ]),
            "trailer": .object(trailer),
            "b2c": .object(b2c),
        ])
    }

    /// The document in imgtool's human layout, line for line: 60-column banners, the header fields, a box for the
    /// payload, each TLV area with eight data bytes a line, and the trailer when the image has one.
    static func human(_ value: JSONValue) -> String {
        let width = 60
        guard let o = value.objectValue else { return "" }
        let h = o["header"]?.objectValue ?? [:]
        let area = o["tlv_area"]?.objectValue ?? [:]
        let trailer = o["trailer"]?.objectValue ?? [:]
        func int(_ v: JSONValue?) -> Int64 { v?.intValue ?? 0 }
        func hex(_ v: Int64) -> String { "0x" + String(v, radix: 16) }
        func banner(_ text: String) -> String {
            let head = "#### " + text + " "
            return head + String(repeating: "#", count: max(0, width - head.count))
        }
        func bytes(_ list: [UInt8], indent: Int) -> [String] {
            var lines: [String] = []
            var line = ""
            for (j, b) in list.enumerated() {
                line += "0x" + hex2(b) + " "
                if (j + 1) % 8 == 0 && j + 1 != list.count {
                    lines.append(line)
                    line = String(repeating: " ", count: indent)
                }
            }
            return lines + [line]
        }
        var out: [String] = []
        out.append("Printing content of signed image: \(o["filename"]?.stringValue ?? "") ")
        out.append("")
        out.append(banner("Image header (offset: 0x0)"))
        for key in ["magic", "load_addr", "hdr_size", "protected_tlv_size", "img_size", "flags", "version"] {
            var text = h[key]?.stringValue ?? hex(int(h[key]))
            if key == "flags", int(h[key]) != 0 {
                let flags = int(h[key])
                text = imgtoolFlagNames.filter { Int64($0.0) & flags != 0 }.map { "\($0.1) (\(hex(Int64($0.0))))" }
                    .joined(separator: "\n" + String(repeating: " ", count: 20))
            }
            out.append(key + ":" + String(repeating: " ", count: 19 - key.count) + text)
        }
        out.append(String(repeating: "#", count: width))
        let payload = "FW image (size: \(hex(int(h["img_size"]))) Bytes)"
        let left = (width - payload.count) / 2
        let blank = "|" + String(repeating: " ", count: width - 2) + "|"
        out.append(banner("Payload (offset: \(hex(int(h["hdr_size"]))))"))
        out += [
            blank,
            "|" + String(repeating: " ", count: left - 1) + payload
                + String(repeating: " ", count: width - left - payload.count - 1) + "|",
            blank, String(repeating: "#", count: width),
        ]
        var offset = int(h["hdr_size"]) + int(h["img_size"])
        func section(_ title: String, _ info: String, _ tlvs: String) {
            out.append(banner("\(title) (offset: \(hex(offset)))"))
            let i = area[info]?.objectValue ?? [:]
            out.append("magic:     " + hex(int(i["magic"])))
            out.append("area size: " + hex(int(i["tlv_tot"])))
            let list = (area[tlvs]?.arrayValue ?? []).compactMap(\.objectValue)
            var lines: [String] = []
            for t in list {
                let pad = String(repeating: " ", count: 7)
                lines.append(pad + " " + String(repeating: "-", count: 45))
                lines.append(pad + " type: \(t["type_name"]?.stringValue ?? "") (\(hex(int(t["type"]))))")
                lines.append(pad + " len:  " + hex(int(t["len"])))
                let data = Hex.decode(t["data"]?.stringValue ?? "") ?? []
                var rows = bytes(data, indent: 14)
                rows[0] = pad + " data: " + rows[0]
                lines += rows
            }
            out.append(lines.joined(separator: "\n"))
            out.append(String(repeating: "#", count: width))
        }
        if int(h["protected_tlv_size"]) != 0 { section("Protected TLV area", "tlv_hdr_prot", "tlvs_prot") }
        offset += int(h["protected_tlv_size"])
        section("TLV area", "tlv_hdr", "tlvs")
        if let magic = trailer["magic"]?.stringValue.flatMap({ Hex.decode($0) }), !magic.isEmpty {
            func status(_ key: String) -> String {
                let v = int(trailer[key])
                let names: [Int64: String] = [1: "SET", 2: "BAD", 3: "UNSET", 4: "ANY"]
                return "\(names[v] ?? "INVALID") (\(hex(v)))"
            }
            out.append(banner("Image trailer (offset: unknown)"))
            out += ["(Note: some fields may not be used, depending on the update ", "strategy)", ""]
            out.append("swap status: (len: unknown)")
            let keys = trailer["key_field_len"].map { "(len: \(hex(int($0))), if BOOT_SWAP_SAVE_ENCTLV is unset)" }
            out.append("enc. keys:   " + (keys ?? "Image not encrypted"))
            if let size = trailer["swap_size"]?.intValue {
                out.append("swap size:   " + (size == 0xffff_ffff ? "unknown" : "\(hex(size)) octal: \(size)"))
            }
            for (key, label) in [
                ("swap_info", "swap_info:   "), ("copy_done", "copy_done:   "), ("image_ok", "image_ok:    "),
            ]
            where trailer[key] != nil {
                out.append(label + status(key))
            }
            let rows = bytes(magic, indent: 13)
            out.append("boot magic:  " + rows.joined(separator: "\n"))
            out.append("")
        }
        out.append(banner("End of Image "))
        return out.joined(separator: "\n") + "\n"
    }
}

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report every rule an image breaks (not only the first): exit 0 clean, 1 with errors, 2 bad usage."
    )
    @Option(name: [.short, .long], help: "Accepted signing key (repeatable): KEYHASH and signatures are checked.")
    var key: [String] = []
    @Option(name: [.customShort("E"), .customLong("decrypt-key")], help: "Device key, to check an encrypted image.")
    var decryptKey: String?
    @Option(name: .long, help: "ECIES-X25519 HMAC: 256 or 512.") var hmacSha = "256"
    @Option(name: .long, help: "Slot size: bounds the image as the bootloader does.") var slotSize: String?
    @Option(name: .long, help: "BOOT_MAX_ALIGN for the trailer of a padded image.") var maxAlign = "8"
    @Flag(name: .long, help: "One JSON object on stdout.") var json = false
    @Argument var image: String

    func run() throws {
        let bytes = try readFile(image)
        var o = ImageLinter.Options()
        o.keys = try key.map { try loadKey($0).publicKey }
        if let s = slotSize { o.slotSize = try parseInteger(s, "--slot-size") }
        o.maxAlign = try parseInteger(maxAlign, "--max-align")
        guard [8, 16, 32].contains(o.maxAlign) else { throw CLIError("--max-align: \(maxAlign) is not 8, 16 or 32") }
        if let decryptKey {
            guard case .privateKey(let k) = try loadKey(decryptKey) else {
                throw CLIError("\(decryptKey): needs the private key")
            }
            guard hmacSha == "256" || hmacSha == "512" else {
                throw CLIError("--hmac-sha: \"\(hmacSha)\" is not 256 or 512")
            }
            o.decryptionKey = try imageCall { () throws(ImageError) in
                try DecryptionKey(k, hmacSHA512: hmacSha == "512")
            }
        }
        let findings = ImageLinter.lint(bytes, options: o)
        let errors = findings.filter { $0.severity == .error }.count
        if json {
            let list: [JSONValue] = findings.map { f in
                var e: [String: JSONValue] = [
                    "severity": .string(f.severity.rawValue), "rule": .string(f.rule), "message": .string(f.message),
                    "specRef": .string(f.specRef),
                ]
                if let c = f.code { e["code"] = .string(c.rawValue) }
                if let off = f.offset { e["offset"] = .int(Int64(off)) }
                return .object(e)
            }
            Console.out(
                CanonicalJSON.render(
                    .object([
                        "file": .string(image), "errors": .int(Int64(errors)),
                        "warnings": .int(Int64(findings.count - errors)), "findings": .array(list),
                    ])
                )
            )
        } else {
            for f in findings {
                let at = f.offset.map { " @\($0)" } ?? ""
                let code = f.code.map { " \($0.rawValue)" } ?? ""
                Console.out("\(f.severity.rawValue) \(f.rule)\(code)\(at): \(f.message) [\(f.specRef)]\n")
            }
            Console.out("\(image): \(errors) errors, \(findings.count - errors) warnings\n")
        }
        if errors > 0 { throw ExitCode(1) }
    }
}
