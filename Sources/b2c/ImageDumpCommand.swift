import ArgumentParser
import B2CHarness
import B2CImage
import B2CVectors
import B2CWire
import Foundation

struct DumpInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dumpinfo", abstract: "Print the header, the TLVs and the trailer of an image.")
    @Option(name: [.short, .customLong("format")], help: "human or json.") var format = "human"
    @Flag(name: .long, help: "Same as -f json.") var json = false
    @Option(name: [.short, .long], help: "Write to this file instead of stdout.") var output: String?
    @Option(name: .long, help: "BOOT_MAX_ALIGN used to read the trailer of a padded image.") var maxAlign = "8"
    @Option(name: [.customShort("R"), .long], help: "Erased value: 0 or 0xff.") var erasedVal = "0xff"
    @Argument var image: String

    func run() throws {
        guard format == "human" || format == "json" else { throw HarnessError("-f: \"\(format)\" is not human or json") }
        let align = try parseInteger(maxAlign, "--max-align")
        guard [8, 16, 32].contains(align) else { throw HarnessError("--max-align: \(maxAlign) is not 8, 16 or 32") }
        let erased = try parseInteger(erasedVal, "--erased-val")
        guard erased == 0 || erased == 0xff else { throw HarnessError("--erased-val: \(erasedVal) is not 0 or 0xff") }
        let bytes = try readFile(image)
        let parsed: MCUbootImage
        do { parsed = try MCUbootImage(parsing: bytes) } catch {
            Console.out("invalid: \(error)\n")
            throw ExitCode(1)
        }
        let value = Self.describe(parsed, maxAlign: align, erased: UInt8(erased))
        let text = json || format == "json" ? CanonicalJSON.render(value) : Self.human(value)
        if let output { try writeFile(output, Array(text.utf8)) } else { Console.out(text) }
    }

    static func describe(_ image: MCUbootImage, maxAlign: Int, erased: UInt8) -> JSONValue {
        let h = image.header
        let header: [String: JSONValue] = [
            "magic": .string("0x" + String(h.magic, radix: 16)), "load_addr": .int(Int64(h.loadAddress)),
            "hdr_size": .int(Int64(h.headerSize)), "protected_tlv_size": .int(Int64(h.protectedTLVSize)),
            "img_size": .int(Int64(h.imageSize)), "flags": .int(Int64(h.flags.rawValue)),
            "flag_names": .array(h.flags.names.map(JSONValue.string)), "version": .string(h.version.description),
            "pad1": .int(Int64(h.pad1)),
        ]
        func tlv(_ t: TLVEntry) -> JSONValue {
            .object([
                "type": .int(Int64(t.type.rawValue)), "type_name": .string(t.type.name ?? "UNKNOWN"),
                "len": .int(Int64(t.length)), "offset": .int(Int64(t.offset)),
                "data": .string(Hex.encode(image.value(of: t))),
            ])
        }
        var out: [String: JSONValue] = [
            "header": .object(header),
            "protected_tlvs": .array(image.tlvs.filter(\.isProtected).map(tlv)),
            "tlvs": .array(image.tlvs.filter { !$0.isProtected }.map(tlv)),
            "hashed_region": .array([.int(0), .int(Int64(image.hashedRegion.upperBound))]),
            "tlv_end": .int(Int64(image.tlvEnd)),
        ]
        if image.bytes.count > image.tlvEnd, let t = ImageTrailer.State(slot: image.bytes, maxAlign: maxAlign, erasedValue: erased) {
            out["trailer"] = .object([
                "magic": .string(t.magic.rawValue), "image_ok": .string(t.imageOK.rawValue),
                "copy_done": .string(t.copyDone.rawValue),
                "swap_type": t.swapType.map { .int(Int64($0)) } ?? .null, "image_index": .int(Int64(t.imageIndex)),
            ])
        }
        return .object(out)
    }

    static func human(_ value: JSONValue) -> String {
        guard let o = value.objectValue else { return "" }
        var out = ""
        func line(_ s: String) { out += s + "\n" }
        if let h = o["header"]?.objectValue {
            line("header:")
            for k in ["magic", "load_addr", "hdr_size", "protected_tlv_size", "img_size", "flags", "version", "pad1"] {
                line("  \(k): \(scalar(h[k]))")
            }
            if let names = h["flag_names"]?.arrayValue, !names.isEmpty {
                line("  flag names: " + names.compactMap(\.stringValue).joined(separator: " | "))
            }
        }
        for (title, key) in [("protected TLVs", "protected_tlvs"), ("unprotected TLVs", "tlvs")] {
            let list = o[key]?.arrayValue ?? []
            line("\(title): \(list.count)")
            for t in list.compactMap(\.objectValue) {
                line("  @\(scalar(t["offset"])) \(scalar(t["type_name"])) (0x\(String(t["type"]?.intValue ?? 0, radix: 16))) len \(scalar(t["len"])): \(scalar(t["data"]))")
            }
        }
        line("tlv_end: \(scalar(o["tlv_end"]))")
        if let t = o["trailer"]?.objectValue {
            line("trailer: magic \(scalar(t["magic"])), image_ok \(scalar(t["image_ok"])), copy_done \(scalar(t["copy_done"])), swap_type \(scalar(t["swap_type"]))")
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
        abstract: "Report every rule an image breaks (not only the first): exit 0 clean, 1 with errors, 2 bad usage.")
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
        guard [8, 16, 32].contains(o.maxAlign) else { throw HarnessError("--max-align: \(maxAlign) is not 8, 16 or 32") }
        if let decryptKey {
            guard case .privateKey(let k) = try loadKey(decryptKey) else { throw HarnessError("\(decryptKey): needs the private key") }
            guard hmacSha == "256" || hmacSha == "512" else { throw HarnessError("--hmac-sha: \"\(hmacSha)\" is not 256 or 512") }
            o.decryptionKey = try imageCall { () throws(ImageError) in try DecryptionKey(k, hmacSHA512: hmacSha == "512") }
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
            Console.out(CanonicalJSON.render(.object([
                "file": .string(image), "errors": .int(Int64(errors)),
                "warnings": .int(Int64(findings.count - errors)), "findings": .array(list),
            ])))
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
