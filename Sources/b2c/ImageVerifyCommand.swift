import ArgumentParser
import B2CHex
import B2CImage
import B2CVectors
import B2CWire
import Foundation

/// Options that configure the verifier like a bootloader build; defaults follow the image and the key.
struct BootloaderOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "Accepted signing key (repeatable, in bootutil_keys order); none: hash only.")
    var key: [String] = []
    @Option(name: .long, help: "auto (the image's hash TLV, else the key's default), 256, 384 or 512.") var sha = "auto"
    @Option(name: .long, help: "auto (pure when the image carries SIG_PURE and the key is Ed25519), yes or no.")
    var pure = "auto"
    @Option(
        name: .long,
        help:
            "Slot size: bounds the header sum, and the TLV end at the slot less the build's trailer (boot_trailer_sz)."
    )
    var slotSize: String?
    @Flag(name: .long, help: "Build without MCUBOOT_USE_TLV_ALLOW_LIST.") var noAllowList = false
    @Option(
        name: .long,
        help:
            "MCUBOOT_HW_KEY (the image carries the full public key): auto (when it has PUBKEY and no KEYHASH), yes or no."
    )
    var hwKey = "auto"
    @Option(
        name: .long,
        help: "ECDSA DER parsing: strict (mbedTLS) or lenient (tinycrypt, PSA: padding after the SEQUENCE ignored)."
    )
    var ecdsaDer = "strict"
    @Option(name: .long, help: "Hardware rollback protection: the stored security counter.") var securityCounter:
        String?
    @Option(name: .long, help: "Downgrade prevention: the running image's version.") var runningVersion: String?
    @Option(name: [.customShort("E"), .customLong("decrypt-key")], help: "The device's decryption key (PEM).")
    var decryptKey: String?
    @Option(name: .long, help: "ECIES-X25519 HMAC: 256 or 512.") var hmacSha = "256"
    @Option(
        name: .long,
        help:
            "The build's AES key size: 128 (MCUboot's default build) or 256 (MCUBOOT_AES_256); an image of the other size fails at key load."
    )
    var aesKeylen = "128"
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The slot the image sits in: secondary (an encrypted image is decrypted) or primary (it is checked as stored).",
            discussion:
                "An imgtool --clear image (plaintext body, encryption flag and key TLV kept) is for the primary slot: verify it with --slot primary and the build's -E key; in the secondary slot the loader would decrypt it into garbage."
        )
    )
    var slot = "secondary"
    @Option(name: .long, help: "The trailer (with --slot-size): the flash write size, one swap-status record.")
    var align = "8"
    @Option(name: .long, help: "The trailer (with --slot-size): BOOT_MAX_ALIGN, 8, 16 or 32.") var maxAlign = "8"
    @Option(name: .long, help: "The trailer (with --slot-size): BOOT_MAX_IMG_SECTORS.") var maxSectors = "128"

    func configuration(for bytes: [UInt8]) throws -> ImageVerifier.Configuration {
        let keys = try key.map { try loadKey($0).publicKey }
        let type = keys.first?.type
        if let type, keys.contains(where: { $0.type != type }) {
            throw CLIError("-k: a bootloader build accepts keys of one signature type; got several")
        }
        let signature =
            try type.map { t in try imageCall { () throws(ImageError) in try ImageVerifier.SignatureType(t) } } ?? .none
        let parsed = try? MCUbootImage(parsing: bytes)
        let imageHash = parsed?.tlvs.lazy.compactMap { ImageHashAlgorithm(tlvType: $0.type) }.first
        var c = ImageVerifier.Configuration(signature: signature, keys: keys)
        if sha != "auto" {
            guard let h = ImageHashAlgorithm(bits: sha) else {
                throw CLIError("--sha: \"\(sha)\" is not auto, 256, 384 or 512")
            }
            c.hash = h
        } else if signature == .none || signature == .ed25519, let imageHash {
            c.hash = imageHash
        }
        switch pure {
        case "yes": c.pure = true
        case "no": c.pure = false
        case "auto": c.pure = signature == .ed25519 && parsed?.entries(.sigPure).isEmpty == false
        default: throw CLIError("--pure: \"\(pure)\" is not auto, yes or no")
        }
        if let s = slotSize { c.slotSize = try parseInteger(s, "--slot-size") }
        c.allowList = !noAllowList
        switch hwKey {
        case "yes": c.hardwareKey = true
        case "no": c.hardwareKey = false
        case "auto":
            c.hardwareKey = parsed.map { !$0.entries(.publicKey).isEmpty && $0.entries(.keyHash).isEmpty } ?? false
        default: throw CLIError("--hw-key: \"\(hwKey)\" is not auto, yes or no")
        }
        guard ecdsaDer == "strict" || ecdsaDer == "lenient" else {
            throw CLIError("--ecdsa-der: \"\(ecdsaDer)\" is not strict or lenient")
        }
        c.lenientECDSADER = ecdsaDer == "lenient"
        if let s = securityCounter {
            let v = try parseInteger(s, "--security-counter")
            guard v <= Int(UInt32.max) else { throw CLIError("--security-counter \(s) does not fit in 32 bits") }
            c.securityCounterFloor = UInt32(v)
        }
        if let v = runningVersion {
            c.runningVersion = try imageCall { () throws(ImageError) in try ImageVersion(parsing: v) }
        }
        if let decryptKey {
            guard case .privateKey(let k) = try loadKey(decryptKey) else {
                throw CLIError("\(decryptKey): decryption needs the private key")
            }
            guard hmacSha == "256" || hmacSha == "512" else {
                throw CLIError("--hmac-sha: \"\(hmacSha)\" is not 256 or 512")
            }
            c.decryptionKey = try imageCall { () throws(ImageError) in
                try DecryptionKey(k, hmacSHA512: hmacSha == "512")
            }
        }
        let bits = try parseInteger(aesKeylen, "--aes-keylen")
        guard bits == 128 || bits == 256 else { throw CLIError("--aes-keylen: \(aesKeylen) is not 128 or 256") }
        c.aesKeyBits = bits
        switch slot {
        case "secondary": c.secondarySlot = true
        case "primary": c.secondarySlot = false
        default: throw CLIError("--slot: \"\(slot)\" is not primary or secondary")
        }
        let write = try parseInteger(align, "--align")
        guard [1, 2, 4, 8, 16, 32].contains(write) else {
            throw CLIError("--align: \(align) is not 1, 2, 4, 8, 16 or 32")
        }
        let maxA = try parseInteger(maxAlign, "--max-align")
        guard [8, 16, 32].contains(maxA) else { throw CLIError("--max-align: \(maxAlign) is not 8, 16 or 32") }
        let sectors = try parseInteger(maxSectors, "--max-sectors")
        guard (1...65536).contains(sectors) else { throw CLIError("--max-sectors: \(maxSectors) is not 1…65536") }
        c.trailer = ImageTrailer.Geometry(maxAlign: maxA, writeSize: write, maxImageSectors: sectors)
        return c
    }
}

struct ImageVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Judge an image as bootutil would: exit 0 valid, 1 invalid (with the error code), 2 bad usage.",
        discussion: """
            The options describe the bootloader build. Encrypted images are judged as the secondary slot holds them: \
            decrypted with the -E key at the build's AES size (--aes-keylen, default 128, MCUboot's default build).

            An imgtool --clear image (plaintext body, encryption flag and key TLV kept) is verified as the primary \
            slot holds it: give --slot primary (with -E, since a build without encryption support rejects the flag), \
            and the body is hashed as stored.

            With --slot-size the TLV area must end before the trailer the build reserves (boot_trailer_sz): \
            --max-sectors (BOOT_MAX_IMG_SECTORS, 128) x 3 status records of --align bytes (the write size, 8), two \
            key slots on an encryption build, four --max-align fields (BOOT_MAX_ALIGN, 8) and the magic; 3120 bytes \
            by default.
            """
    )
    @OptionGroup var bootloader: BootloaderOptions
    @Flag(name: .long, help: "One JSON object on stdout.") var json = false
    @Flag(
        name: [.customShort("v"), .long],
        help: "After imgtool's lines, the key whose signature decided and what bootutil tolerates."
    )
    var verbose = false
    @Argument var image: String

    var key: [String] { bootloader.key }

    func run() throws {
        let bytes = try readFile(image)
        let verifier = ImageVerifier(try bootloader.configuration(for: bytes))
        do {
            let v = try verifier.verify(bytes)
            if json {
                var o: [String: JSONValue] = ["result": .string("valid"), "hash": .string(Hex.encode(v.digest))]
                if let k = v.keyIndex { o["key"] = .int(Int64(k)) }
                o["tolerated"] = .array(v.tolerated.map { .string("\($0.rule): \($0.reason)") })
                Console.out(CanonicalJSON.render(.object(o)))
            } else {
                Console.out(Self.imgtoolLines(v, pure: verifier.configuration.pure))
                if verbose {
                    if let k = v.keyIndex { Console.out("Key: \(k) (\(key[k]))\n") }
                    for t in v.tolerated { Console.out("tolerated (\(t.rule)): \(t.reason)\n") }
                }
            }
        } catch {
            if json {
                var o: [String: JSONValue] = [
                    "result": .string("invalid"), "code": .string(error.code.rawValue), "reason": .string(error.reason),
                ]
                if let off = error.offset { o["offset"] = .int(Int64(off)) }
                Console.out(CanonicalJSON.render(.object(o)))
            } else {
                if let line = Self.imgtoolLine(for: error, in: bytes, keyFile: key.first) { Console.out(line + "\n") }
                Console.out("invalid: \(error)\n")
            }
            throw ExitCode(1)
        }
    }

    /// What imgtool prints for a valid image: the verdict, the version, and the digest, or for a pure signature
    /// (which covers the image, not a digest) the signature.
    static func imgtoolLines(_ v: ImageVerifier.Verification, pure: Bool) -> String {
        let last =
            if pure, let sig = v.signatureTLV {
                "Image signature over image: \(Hex.encode(v.image.value(of: sig)))"
            } else {
                "Image digest: \(Hex.encode(v.digest))"
            }
        return "Image was correctly validated\nImage version: \(v.image.header.version)\n\(last)\n"
    }

    /// imgtool's line for the kind of failure, where it has one (its five verdicts); b2c's own line follows it.
    static func imgtoolLine(for error: ImageError, in bytes: [UInt8], keyFile: String?) -> String? {
        switch error.code {
        case .badMagic: return "Invalid image magic; is this an MCUboot image?"
        case .badTLVInfo:
            // A TLV info whose magic is wrong (not one whose total is too small).
            guard let at = error.offset, let magic = bytes.le16(at: at), magic != 0x6907, magic != 0x6908 else {
                return nil
            }
            return "Invalid TLV info magic; is this an MCUboot image?"
        case .hashMismatch, .hashLength, .hashMissing, .noValidSignature, .signatureInvalid, .signatureLength:
            // imgtool first checks the image's hash TLV against the hashes it allows the key type (a SHA-256 image
            // and a P-384 key do not match), then the hash, then the signatures.
            let parsed = try? MCUbootImage(parsing: bytes)
            if let keyFile, let key = try? loadKey(keyFile),
                let hash = parsed?.tlvs.lazy.compactMap({ ImageHashAlgorithm(tlvType: $0.type) }).first
            {
                var allowed = key.publicKey.type.allowedHashes
                // imgtool allows a public P-256 key (not a private one) SHA-512 images too.
                if case .publicKey = key, key.publicKey.type == .ecdsaP256 { allowed.append(.sha512) }
                if !allowed.contains(hash) { return "Key type does not match TLV record" }
            }
            return error.code == .hashMismatch || error.code == .hashLength
                ? "Image has an invalid hash" : "No signature found for the given key"
        default: return nil
        }
    }
}

struct Decrypt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the image with its body decrypted (header and TLVs unchanged, so the hash still verifies)."
    )
    @Option(name: [.short, .long], help: "The device's decryption key (PEM).") var key: String
    @Option(name: .long, help: "ECIES-X25519 HMAC: 256 or 512.") var hmacSha = "256"
    @Argument var infile: String
    @Argument var outfile: String

    func run() throws {
        let bytes = try readFile(infile)
        guard case .privateKey(let k) = try loadKey(key) else {
            throw CLIError("\(key): decryption needs the private key")
        }
        guard hmacSha == "256" || hmacSha == "512" else {
            throw CLIError("--hmac-sha: \"\(hmacSha)\" is not 256 or 512")
        }
        var c = ImageVerifier.Configuration(signature: .none)
        c.decryptionKey = try imageCall { () throws(ImageError) in try DecryptionKey(k, hmacSHA512: hmacSha == "512") }
        do {
            let image = try MCUbootImage(parsing: bytes)
            guard !image.header.flags.isDisjoint(with: [.encryptedAES128, .encryptedAES256]) else {
                throw ImageError(.badFlags, at: 16, "the image is not encrypted")
            }
            // Like imgtool's decrypt, the key size is the one the header names.
            c.aesKeyBits = image.header.flags.aesKeyBits ?? c.aesKeyBits
            try writeFile(outfile, try ImageVerifier(c).decryptedImage(image))
        } catch let e as ImageError {
            Console.out("invalid: \(e)\n")
            throw ExitCode(1)
        }
    }
}
