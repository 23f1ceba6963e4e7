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
    @Flag(name: [.short, .long], help: "Print nothing (with -o, only write the file).") var silent = false
    @Option(name: .long, help: "BOOT_MAX_ALIGN of the trailer (default: read from its magic, else 8).") var maxAlign:
        String?
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
        let value = Self.describe(parsed, file: image, maxAlign: align, erased: UInt8(erased))
        // JSON is valid YAML 1.2, so -f yaml writes the same document (binary data as hex strings).
        let text = format == "human" ? Self.human(value) : CanonicalJSON.render(value)
        if let outfile { try writeFile(outfile, Array(text.utf8)) }
        if !silent && outfile == nil { Console.out(text) }
    }

    /// imgtool's `dumpinfo` document (filename, header, tlv_area, trailer), plus a `b2c` object with offsets.
    static func describe(_ image: MCUbootImage, file: String, maxAlign: Int?, erased: UInt8) -> JSONValue {
        let h = image.header
        let header: [String: JSONValue] = [
            "magic": .int(Int64(h.magic)), "load_addr": .int(Int64(h.loadAddress)),
            "hdr_size": .int(Int64(h.headerSize)), "protected_tlv_size": .int(Int64(h.protectedTLVSize)),
            "img_size": .int(Int64(h.imageSize)), "flags": .int(Int64(h.flags.rawValue)),
            "version": .string(h.version.description),
        ]
        func tlv(_ t: TLVEntry) -> JSONValue {
            .object([
                "type": .int(Int64(t.type.rawValue)), "type_name": .string(t.type.name ?? "UNKNOWN"),
                "len": .int(Int64(t.length)), "data": .string(Hex.encode(image.value(of: t))),
            ])
        }
        func info(_ area: Range<Int>) -> JSONValue {
            guard !area.isEmpty, let magic = image.bytes.le16(at: area.lowerBound),
                let tot = image.bytes.le16(at: area.lowerBound + 2)
            else { return .object([:]) }
            return .object(["magic": .int(Int64(magic)), "tlv_tot": .int(Int64(tot))])
        }
        var out: [String: JSONValue] = [
            "filename": .string(file),
            "header": .object(header),
            "tlv_area": .object([
                "tlv_hdr_prot": info(image.protectedArea),
                "tlvs_prot": .array(image.tlvs.filter(\.isProtected).map(tlv)),
                "tlv_hdr": info(image.unprotectedArea),
                "tlvs": .array(image.tlvs.filter { !$0.isProtected }.map(tlv)),
            ]),
            "b2c": .object([
                "flag_names": .array(h.flags.names.map(JSONValue.string)), "pad1": .int(Int64(h.pad1)),
                "tlv_offsets": .array(image.tlvs.map { .int(Int64($0.offset)) }),
                "hashed_region_end": .int(Int64(image.hashedRegion.upperBound)), "tlv_end": .int(Int64(image.tlvEnd)),
            ]),
        ]
        let align = maxAlign ?? ImageTrailer.maxAlign(ofSlot: image.bytes) ?? 8
        if image.bytes.count > image.tlvEnd, let t = ImageTrailer.Raw(slot: image.bytes, maxAlign: align) {
            out["trailer"] = .object([
                "magic": .string(Hex.encode(t.magic)), "image_ok": .int(Int64(t.imageOK)),
                "copy_done": .int(Int64(t.copyDone)), "swap_info": .int(Int64(t.swapInfo)),
                "swap_size": .int(Int64(t.swapSize)), "max_align": .int(Int64(align)),
            ])
        }
        return .object(out)
    }

    static func human(_ value: JSONValue) -> String {
        guard let o = value.objectValue else { return "" }
        var out = ""
        func line(_ s: String) { out += s + "\n" }
        line("Printing content of signed image: \(scalar(o["filename"]))")
        if let h = o["header"]?.objectValue {
            line("header:")
            for k in ["magic", "load_addr", "hdr_size", "protected_tlv_size", "img_size", "flags", "version"] {
                let v = h[k]
                let text = k == "magic" || k == "flags" ? "0x" + String(v?.intValue ?? 0, radix: 16) : scalar(v)
                line("  \(k): \(text)")
            }
            if let names = o["b2c"]?.objectValue?["flag_names"]?.arrayValue, !names.isEmpty {
                line("  flag names: " + names.compactMap(\.stringValue).joined(separator: " | "))
            }
        }
        let area = o["tlv_area"]?.objectValue ?? [:]
        for (title, key) in [("protected TLVs", "tlvs_prot"), ("TLVs", "tlvs")] {
            let list = area[key]?.arrayValue ?? []
            line("\(title): \(list.count)")
            for t in list.compactMap(\.objectValue) {
                line(
                    "  \(scalar(t["type_name"])) (0x\(String(t["type"]?.intValue ?? 0, radix: 16))) len \(scalar(t["len"])): \(scalar(t["data"]))"
                )
            }
        }
        if let t = o["trailer"]?.objectValue {
            func flag(_ k: String) -> String {
                let v = t[k]?.intValue ?? 0
                return v == 1
                    ? "SET (0x01)"
                    : v == 0xff || v == 0 ? "UNSET (0x\(String(v, radix: 16)))" : "INVALID (0x\(String(v, radix: 16)))"
            }
            line("trailer (BOOT_MAX_ALIGN \(scalar(t["max_align"]))):")
            line("  magic: \(scalar(t["magic"]))")
            line("  image_ok: \(flag("image_ok"))")
            line("  copy_done: \(flag("copy_done"))")
            line("  swap_info: 0x\(String(t["swap_info"]?.intValue ?? 0, radix: 16))")
            line("  swap_size: \(scalar(t["swap_size"]))")
        }
        return out
    }

    private static func scalar(_ v: JSONValue?) -> String {
        switch v {
        case .string(let s)?: s
        case .int(let i)?: String(i)
        case .null?, nil: "none"
        default: "?"
        }
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
