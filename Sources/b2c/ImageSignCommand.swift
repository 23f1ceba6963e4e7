import ArgumentParser
import B2CHex
import B2CImage
import B2CWire
import Foundation

/// `b2c image sign` (alias `create`): imgtool's flags and defaults.
struct ImageSign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Create a signed or unsigned image (imgtool sign).",
        aliases: ["create"]
    )

    @Option(name: [.short, .long], help: "Signing key (PEM or DER); none gives a hash-only image.") var key: String?
    @Option(name: .long, help: "hash or full.") var publicKeyFormat = "hash"
    @Option(name: .long, help: "8, 16 or 32 (default max(8, --align)).") var maxAlign: String?
    @Option(name: .long, help: "Flash write alignment: 1, 2, 4, 8, 16, 32.") var align = "1"
    @Option(name: [.short, .long], help: "MAJOR[.MINOR[.REVISION[+BUILD]]]") var version: String
    @Option(name: [.short, .long], help: "Security counter value, or auto.") var securityCounter: String?
    @Option(name: [.short, .long], help: "\"(<image id>, <version>), …\"") var dependencies: String?
    @Flag(name: .long, help: "Pad ECDSA signatures with zeros to a fixed length (MCUboot < 1.5).") var padSig = false
    @Option(name: [.customShort("H"), .long], help: "Header size in bytes (0x… is hex); the image starts there.")
    var headerSize: String
    @Flag(name: .long, help: "Add --header-size erased bytes in front of the input.") var padHeader = false
    @Option(name: [.customShort("S"), .long], help: "Slot size in bytes: bounds the image and places the trailer.")
    var slotSize: String
    @Flag(name: .long, help: "Pad to the slot size and add the trailer magic.") var pad = false
    @Flag(name: .long, help: "Mark for a test swap (implies --pad).") var test = false
    @Flag(name: .long, help: "Mark as confirmed (implies --pad).") var confirm = false
    @Option(name: [.customShort("M"), .long], help: "Sectors per slot the trailer accounts for (swap status).")
    var maxSectors = "128"
    @Option(name: .long, help: "Boot record sw_type (at most 12 characters).") var bootRecord: String?
    @Flag(name: .long, help: "The bootloader runs in overwrite-only mode: a trailer without swap status.")
    var overwriteOnly = false
    @Option(name: [.short, .long], help: "little (big is refused: bootutil reads little-endian).") var endian = "little"
    @Flag(
        name: [.short, .long],
        help: "With -E: the encryption flag and key TLV, but a plaintext body (without -E: ignored, as imgtool)."
    )
    var clear = false
    @Option(name: .long, help: "disabled (compression is not supported).") var compression = "disabled"
    @Option(name: .long, help: "128 or 256.") var encryptKeylen = "128"
    @Option(name: [.customShort("E"), .customLong("encrypt")], help: "Encrypt for this public key.") var encrypt:
        String?
    @Flag(name: .long, help: "Keep the encrypted image key TLV in full (imgtool --save-enctlv).")
    var saveEnctlv = false
    @Option(name: [.customShort("F"), .long], help: "Address the image runs from in place (ROM_FIXED flag).")
    var romFixed: String?
    @Option(name: [.customShort("L"), .long], help: "RAM load address (RAM_LOAD flag).") var loadAddr: String?
    @Option(name: [.customShort("x"), .long], help: "Not supported (Intel HEX output).") var hexAddr: String?
    @Option(name: [.customShort("R"), .long], help: "0 or 0xff.") var erasedVal = "0xff"
    @Option(name: .long, help: "TAG FILE (two values; repeatable).") var customTlvFile: [String] = []
    @Option(name: .long, help: "TAG VALUE (two values; repeatable; 0x… is hex).") var customTlv: [String] = []
    @Flag(name: .long, help: "Set IMAGE_F_NON_BOOTABLE: the bootloader will not boot it.") var nonBootable = false
    @Option(name: .long, help: "Vendor UUID, or a name hashed to one (UUID_VID TLV).") var vid: String?
    @Option(name: .long, help: "Class UUID, or a name hashed to one (UUID_CID TLV; needs --vid).") var cid: String?
    @Option(name: .long, help: "payload or digest: write that instead of the image.") var vectorToSign: String?
    @Option(name: .long, help: "auto, 256 or 512.") var hmacSha = "auto"
    @Option(name: .long, help: "auto, 256, 384 or 512.") var sha = "auto"
    @Option(name: .long, help: "Write the signature here, base64.") var sigOut: String?
    @Flag(name: .long, help: "Ed25519 over the image itself (SIG_PURE).") var pure = false
    @Option(name: .long, help: "Not supported.") var fixSig: String?
    @Option(name: .long, help: "Not supported.") var fixSigPubkey: String?
    @Argument(help: "The binary to sign.") var infile: String
    @Argument(help: "The image to write.") var outfile: String

    func run() throws {
        let o = try options()
        let input = try readFile(infile)
        if let v = vectorToSign {
            guard let what = ImageBuilder.VectorToSign(rawValue: v) else {
                throw CLIError("--vector-to-sign: \"\(v)\" is not payload or digest")
            }
            try writeFile(
                outfile,
                try imageCall { () throws(ImageError) in try ImageBuilder.vectorToSign(input, options: o, what) }
            )
            return
        }
        let image = try imageCall { () throws(ImageError) in try ImageBuilder.sign(input, options: o) }
        try writeFile(outfile, image)
        if let sigOut {
            let parsed = try imageCall { () throws(ImageError) in try MCUbootImage(parsing: image) }
            guard let type = o.key?.type.signatureTLV, let sig = parsed.entries(type).last else {
                throw CLIError("--sig-out: the image has no signature (no -k)")
            }
            try writeFile(sigOut, Array(Data(parsed.value(of: sig)).base64EncodedString().utf8))
        }
    }

    func options() throws -> ImageSignOptions {
        for (flag, value) in [("-x/--hex-addr", hexAddr), ("--fix-sig", fixSig), ("--fix-sig-pubkey", fixSigPubkey)]
        where value != nil {
            throw CLIError("\(flag) is not supported")
        }
        guard endian == "little" else {
            throw CLIError(
                "-e \(endian): only little-endian images are conformant (bootutil reads them natively; imgtool's big-endian TLV types are broken)"
            )
        }
        guard compression == "disabled" else { throw CLIError("--compression \(compression) is not supported") }
        if outfile.lowercased().hasSuffix(".hex") || infile.lowercased().hasSuffix(".hex") {
            throw CLIError("Intel HEX files are not supported; use binary input and output")
        }
        let ver = try imageCall { () throws(ImageError) in try ImageVersion(parsing: version) }
        var o = ImageSignOptions(
            headerSize: try parseInteger(headerSize, "--header-size"),
            version: ver,
            slotSize: try parseInteger(slotSize, "--slot-size")
        )
        o.padHeader = padHeader
        if let key {
            guard case .privateKey(let k) = try loadKey(key) else { throw CLIError("\(key): a public key cannot sign") }
            o.key = k
        }
        guard let format = ImageSignOptions.PublicKeyFormat(rawValue: publicKeyFormat) else {
            throw CLIError("--public-key-format: \"\(publicKeyFormat)\" is not hash or full")
        }
        o.publicKeyFormat = format
        if sha != "auto" {
            guard let h = ImageHashAlgorithm(bits: sha) else {
                throw CLIError("--sha: \"\(sha)\" is not auto, 256, 384 or 512")
            }
            if pure { throw CLIError("--pure chooses SHA-512 itself; leave --sha at auto") }
            o.hash = h
        }
        o.pure = pure
        o.padSignature = padSig
        if let s = securityCounter {
            if s == "auto" {
                o.securityCounter = ver.automaticSecurityCounter
            } else {
                let v = try parseInteger(s, "--security-counter")
                guard v <= Int(UInt32.max) else { throw CLIError("--security-counter \(s) does not fit in 32 bits") }
                o.securityCounter = UInt32(v)
            }
        }
        if let d = dependencies {
            o.dependencies = try imageCall { () throws(ImageError) in try ImageDependency.parseList(d) }
        }
        o.bootRecord = bootRecord
        if let vid { o.vendorID = ImageUUID.vendor(vid) }
        if let cid {
            o.classID = try imageCall { () throws(ImageError) in try ImageUUID.imageClass(cid, vendor: o.vendorID) }
        }
        o.customTLVs = try customTLVs()
        if let a = loadAddr { o.loadAddress = try address(a, "--load-addr") }
        if let a = romFixed { o.romFixedAddress = try address(a, "--rom-fixed") }
        o.nonBootable = nonBootable
        // imgtool takes these as fixed choices, spelled exactly so.
        guard erasedVal == "0" || erasedVal == "0xff" else {
            throw CLIError("--erased-val: \"\(erasedVal)\" is not 0 or 0xff")
        }
        o.erasedValue = erasedVal == "0" ? 0 : 0xff
        guard ["1", "2", "4", "8", "16", "32"].contains(align) else {
            throw CLIError("--align: \"\(align)\" is not one of 1, 2, 4, 8, 16, 32")
        }
        o.align = Int(align) ?? 1
        if let m = maxAlign {
            guard ["8", "16", "32"].contains(m) else { throw CLIError("--max-align: \"\(m)\" is not one of 8, 16, 32") }
            o.maxAlign = Int(m)
        }
        o.maxSectors = try parseInteger(maxSectors, "--max-sectors")
        o.pad = pad
        o.test = test
        o.confirm = confirm
        o.overwriteOnly = overwriteOnly
        if let encrypt {
            let recipientKey = try loadKey(encrypt).publicKey
            // imgtool's pairing rule first, as imgtool checks it; then what imgtool would write but nothing decrypts.
            if let problem = EncryptionRecipient.pairingProblem(signer: o.key?.type, recipient: recipientKey.type) {
                throw CLIError("-k \(key ?? "") with -E \(encrypt): \(problem)")
            }
            let recipient: EncryptionRecipient
            do { recipient = try EncryptionRecipient(recipientKey) } catch {
                throw CLIError("-E \(encrypt): \(error.reason)")
            }
            var e = ImageEncryptionOptions(recipient: recipient)
            e.keyBits = try parseInteger(encryptKeylen, "--encrypt-keylen")
            guard ["auto", "256", "512"].contains(hmacSha) else {
                throw CLIError("--hmac-sha: \"\(hmacSha)\" is not auto, 256 or 512")
            }
            e.hmacSHA512 = hmacSha == "512"
            e.clear = clear
            e.saveEncTLV = saveEnctlv
            o.encryption = e
        }
        return o
    }

    private func address(_ text: String, _ what: String) throws -> UInt32 {
        let v = try parseInteger(text, what)
        guard v <= Int(UInt32.max) else { throw CLIError("\(what) \(text) does not fit in 32 bits") }
        return UInt32(v)
    }

    private func customTLVs() throws -> [(TLVType, [UInt8])] {
        func pair(_ joined: String, _ flag: String) throws -> (TLVType, String) {
            let parts = joined.split(
                separator: Character(pairSeparator),
                maxSplits: 1,
                omittingEmptySubsequences: false
            )
            guard parts.count == 2 else {
                throw CLIError("\(flag) takes two values: TAG and \(flag == "--custom-tlv" ? "VALUE" : "FILE")")
            }
            let v = try parseInteger(String(parts[0]), "\(flag) tag")
            guard v <= 0xffff else { throw CLIError("\(flag) tag \(parts[0]) does not fit in 16 bits") }
            return (TLVType(UInt16(v)), String(parts[1]))
        }
        var out: [(TLVType, [UInt8])] = []
        for joined in customTlv {
            let (tag, value) = try pair(joined, "--custom-tlv")
            if value.hasPrefix("0x") {  // imgtool: only a lower-case 0x prefix means hex
                guard let b = Hex.decode(String(value.dropFirst(2))) else {
                    throw CLIError("--custom-tlv value \(value) is not an even number of hex digits")
                }
                out.append((tag, b))
            } else {
                out.append((tag, Array(value.utf8)))
            }
        }
        for joined in customTlvFile {
            let (tag, file) = try pair(joined, "--custom-tlv-file")
            out.append((tag, try readFile(file)))
        }
        return out
    }
}
