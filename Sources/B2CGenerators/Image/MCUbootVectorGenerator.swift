import B2CHex
import B2CImage
import B2CVectors
import B2CWire
import Crypto

/// Generates `vectors/mcuboot/*_test.json`: valid images per algorithm and option, and every named mutator of the
/// negative catalogue applied to the fixtures it fits. Images go to `vectors/blobs/<sha256>.bin`.
///
/// Everything is derived from fixed keys, a fixed payload and pinned randomness (AES image keys, ephemeral keys,
/// and ECDSA/RSA signatures through ``SignaturePins``), so the files reproduce byte for byte.
package enum MCUbootVectorGenerator {
    package static let schema = "mcuboot_verify_test_schema_v1"
    static let source = VectorFile.Source(name: "b2c-mcuboot", version: "1")
    static let payload: [UInt8] = (0..<300).map { UInt8(truncatingIfNeeded: ($0 &* 167) ^ ($0 >> 3) &+ 0x5d) }
    static let kek128 = (0..<16).map { UInt8(0x70 + $0) }

    /// A fixture and what the device needs to decrypt it.
    struct Named {
        var name: String
        var fixture: ImageFixture
        var decryptionKey: ImagePrivateKey?
        var kek: [UInt8]?
        var flags: [String]
        var comment: String
    }

    static func options(_ key: ImagePrivateKey?, _ change: (inout ImageSignOptions) -> Void = { _ in })
        -> ImageSignOptions
    {
        var o = ImageSignOptions(
            headerSize: 0x20,
            version: ImageVersion(major: 1, minor: 2, revision: 3, build: 4),
            slotSize: 0x4000
        )
        o.padHeader = true
        o.key = key
        change(&o)
        return o
    }

    static func encryption(_ recipient: ImagePrivateKey, bits: Int = 128, sha512: Bool = false)
        -> ImageEncryptionOptions
    {
        var e = ImageEncryptionOptions(recipient: builtIn("recipient") { try EncryptionRecipient(recipient.publicKey) })
        e.keyBits = bits
        e.hmacSHA512 = sha512
        e.imageKey = (0..<(bits / 8)).map { UInt8(0xa0 &+ $0) }
        e.ephemeralKey = (0..<32).map { UInt8(0x51 &+ $0) }
        return e
    }

    static func fixtures(_ pins: SignaturePins) throws -> [Named] {
        var out: [Named] = []
        func add(
            _ name: String,
            _ o: ImageSignOptions,
            flags: [String] = [],
            _ comment: String,
            dec: ImagePrivateKey? = nil,
            kek: [UInt8]? = nil,
            configure: (inout ImageVerifier.Configuration) -> Void = { _ in }
        ) throws {
            let decryption: DecryptionKey? =
                if let kek { .aesKW(kek: kek) } else if let dec {
                    try DecryptionKey(dec, hmacSHA512: o.encryption?.hmacSHA512 ?? false)
                } else { nil }
            var f = try ImageFixture(payload: payload, options: o, decryptionKey: decryption, signer: pins)
            // A build has one AES size; the vectors say it rather than leave it to the header flag.
            if let e = o.encryption { f.configuration.aesKeyBits = e.keyBits }
            configure(&f.configuration)
            out.append(Named(name: name, fixture: f, decryptionKey: dec, kek: kek, flags: flags, comment: comment))
        }
        let k = VectorKeys.self
        try add("ed25519", options(k.ed25519), flags: ["Ed25519"], "Ed25519 over the SHA-256 hash")
        try add(
            "ed25519-sha512",
            options(k.ed25519) { $0.hash = .sha512 },
            flags: ["Ed25519"],
            "Ed25519 over the SHA-512 hash"
        )
        try add(
            "ed25519-pure",
            options(k.ed25519) { $0.pure = true },
            flags: ["Ed25519", "Pure"],
            "pure Ed25519 (SIG_PURE) over the region"
        )
        try add("ecdsa-p256", options(k.ecdsaP256), flags: ["ECDSA"], "ECDSA P-256 with SHA-256")
        try add("ecdsa-p384", options(k.ecdsaP384), flags: ["ECDSA"], "ECDSA P-384 with SHA-384")
        try add("rsa-2048", options(k.rsa2048), flags: ["RSA"], "RSA-2048 PSS (salt 32)")
        try add("rsa-3072", options(k.rsa3072), flags: ["RSA"], "RSA-3072 PSS (salt 32)")
        for h in ImageHashAlgorithm.allCases {
            try add(
                "hash-\(h.rawValue)",
                options(nil) { $0.hash = h },
                flags: ["HashOnly"],
                "unsigned, \(h.rawValue) only"
            )
        }
        try add(
            "ed25519-pubkey",
            options(k.ed25519) { $0.publicKeyFormat = .full },
            flags: ["Ed25519", "HardwareKey"],
            "full public key (PUBKEY) for an MCUBOOT_HW_KEY build"
        ) { $0.hardwareKey = true }
        try add(
            "ed25519-second-key",
            options(k.ed25519Second),
            flags: ["Ed25519", "MultiKey"],
            "signed by the second of two accepted keys"
        ) { $0.keys = [k.ed25519.publicKey, k.ed25519Second.publicKey] }
        try add(
            "ed25519-protected",
            options(k.ed25519) {
                $0.securityCounter = 7
                $0.dependencies = [ImageDependency(imageID: 1, minimumVersion: ImageVersion(major: 1, minor: 1))]
                $0.bootRecord = "SPE"
                $0.vendorID = ImageUUID.vendor("example.com")
                $0.classID = try? ImageUUID.imageClass("mcu-app", vendor: $0.vendorID)
                $0.customTLVs = [(TLVType(0xa0), [1, 2, 3, 4])]
            },
            flags: ["Ed25519", "ProtectedTLVs"],
            "protected SEC_CNT, BOOT_RECORD, DEPENDENCY, UUIDs and a vendor TLV; the device checks counter and UUIDs"
        ) {
            $0.securityCounterFloor = 7
            $0.vendorID = ImageUUID.vendor("example.com")
            $0.classID = try? ImageUUID.imageClass("mcu-app", vendor: $0.vendorID)
        }
        try add(
            "ed25519-confirmed",
            options(k.ed25519) {
                $0.confirm = true; $0.align = 8
            },
            flags: ["Ed25519", "Trailer"],
            "padded to the slot with a confirmed trailer"
        )
        try add(
            "ed25519-x25519",
            options(k.ed25519) { $0.encryption = encryption(k.x25519) },
            flags: ["Ed25519", "Encrypted"],
            "AES-128-CTR body, key by ECIES-X25519 (HKDF/HMAC-SHA-256)",
            dec: k.x25519
        )
        try add(
            "ed25519-x25519-256-sha512",
            options(k.ed25519) { $0.encryption = encryption(k.x25519, bits: 256, sha512: true) },
            flags: ["Ed25519", "Encrypted"],
            "AES-256-CTR body, key by ECIES-X25519 with HKDF/HMAC-SHA-512",
            dec: k.x25519
        )
        try add(
            "ecdsa-p256-ec256",
            options(k.ecdsaP256) { $0.encryption = encryption(k.ecdsaP256) },
            flags: ["ECDSA", "Encrypted"],
            "AES-128-CTR body, key by ECIES-P256",
            dec: k.ecdsaP256
        )
        try add(
            "ecdsa-p256-ec256-256",
            options(k.ecdsaP256) { $0.encryption = encryption(k.ecdsaP256, bits: 256) },
            flags: ["ECDSA", "Encrypted"],
            "AES-256-CTR body, key by ECIES-P256",
            dec: k.ecdsaP256
        )
        var kw = ImageEncryptionOptions(recipient: .aesKW(kek: kek128))
        kw.imageKey = (0..<16).map { UInt8(0xb0 + $0) }
        try add(
            "ed25519-aeskw",
            options(k.ed25519) { $0.encryption = kw },
            flags: ["Ed25519", "Encrypted"],
            "AES-128-CTR body, key wrapped with AES-KW under a pre-shared KEK",
            kek: kek128
        )
        // Appended last: valid case ids follow this list.
        var oaep = ImageEncryptionOptions(recipient: try EncryptionRecipient(k.rsa2048.publicKey))
        oaep.imageKey = (0..<16).map { UInt8(0xc0 + $0) }
        oaep.fixedKeyTLV = try pins.oaep(k.rsa2048, imageKey: oaep.imageKey ?? [])
        try add(
            "rsa-2048-oaep",
            options(k.rsa2048) { $0.encryption = oaep },
            flags: ["RSA", "Encrypted"],
            "AES-128-CTR body, key by RSA-OAEP (SHA-256) to the device's RSA-2048 key",
            dec: k.rsa2048
        )
        // An AES-256 build (MCUBOOT_AES_256): the RSA-OAEP TLV is 256 bytes whatever the AES size.
        var oaep256 = ImageEncryptionOptions(recipient: try EncryptionRecipient(k.rsa2048.publicKey))
        oaep256.keyBits = 256
        oaep256.imageKey = (0..<32).map { UInt8(0xd0 + $0) }
        oaep256.fixedKeyTLV = try pins.oaep(k.rsa2048, imageKey: oaep256.imageKey ?? [])
        try add(
            "rsa-2048-oaep-256",
            options(k.rsa2048) { $0.encryption = oaep256 },
            flags: ["RSA", "Encrypted"],
            "AES-256-CTR body, key by RSA-OAEP (SHA-256), for an AES-256 build",
            dec: k.rsa2048
        )
        // imgtool --clear: plaintext body, ENCRYPTED flag and key TLV kept, for factory programming of the primary
        // slot, where the loader checks the image as stored (image.h MUST_DECRYPT: the secondary slot only); the
        // fixture's build says primary slot.
        var clear = encryption(k.x25519)
        clear.clear = true
        try add(
            "ed25519-x25519-clear",
            options(k.ed25519) { $0.encryption = clear },
            flags: ["Ed25519", "Encrypted", "Clear"],
            "imgtool --clear: plaintext body with the AES-128 flag and an ECIES-X25519 key TLV, in the primary slot",
            dec: k.x25519
        )
        return out
    }

    /// The feature a target must declare to be sent a case (`image.verify` capability `features`).
    static func feature(_ n: Named) -> String {
        if let kek = n.kek { return "enc-kw" + (kek.count == 32 ? "-256" : "") }
        if let d = n.fixture.configuration.decryptionKey {
            switch d {
            case .x25519(_, let s): return s ? "enc-x25519-sha512" : "enc-x25519"
            case .ecP256: return "enc-ec256"
            case .rsa: return "enc-rsa"
            case .aesKW: return "enc-kw"
            }
        }
        if n.fixture.configuration.hardwareKey { return "hw-key" }
        if n.fixture.options.pure { return "sig-pure" }
        return "sig-" + n.fixture.configuration.signature.rawValue
    }

    static let notes: [String: VectorFile.Note] = {
        var n: [String: VectorFile.Note] = [
            "Ed25519": .init(
                bugType: "BASIC",
                description: "Ed25519 signature (TLV 0x24).",
                specRefs: ["docs/rules/mcuboot.md#ed25519", "image_ed25519.c"]
            ),
            "ECDSA": .init(
                bugType: "BASIC",
                description: "ECDSA signature, DER (TLV 0x22).",
                specRefs: ["docs/rules/mcuboot.md#ecdsa", "image_ecdsa.c"]
            ),
            "RSA": .init(
                bugType: "BASIC",
                description: "RSASSA-PSS, SHA-256, salt 32 (TLV 0x20/0x23).",
                specRefs: ["docs/rules/mcuboot.md#rsa", "image_rsa.c"]
            ),
            "Pure": .init(
                bugType: "BASIC",
                description: "Ed25519 over the region itself (SIG_PURE).",
                specRefs: ["docs/rules/mcuboot.md#pure", "image_validate.c"]
            ),
            "HashOnly": .init(
                bugType: "BASIC",
                description: "Unsigned image: the hash TLV alone.",
                specRefs: ["docs/rules/mcuboot.md#hashonly", "image_validate.c bootutil_img_hash"]
            ),
            "HardwareKey": .init(
                bugType: "BASIC",
                description: "MCUBOOT_HW_KEY: the image carries PUBKEY.",
                specRefs: ["docs/rules/mcuboot.md#hardwarekey", "bootutil_find_key.c"]
            ),
            "MultiKey": .init(
                bugType: "BASIC",
                description: "Several accepted keys; KEYHASH selects one.",
                specRefs: ["docs/rules/mcuboot.md#multikey", "bootutil_find_key.c"]
            ),
            "ProtectedTLVs": .init(
                bugType: "BASIC",
                description: "Protected TLVs the device checks.",
                specRefs: ["docs/rules/mcuboot.md#protectedtlvs", "image_validate.c", "tlv.c"]
            ),
            "Trailer": .init(
                bugType: "BASIC",
                description: "Padded image with a trailer.",
                specRefs: ["docs/rules/mcuboot.md#trailer", "bootutil_misc.c", "bootutil_public.c"]
            ),
            "Encrypted": .init(
                bugType: "BASIC",
                description: "Encrypted body; hash and signature over the plaintext.",
                specRefs: ["docs/rules/mcuboot.md#encrypted", "encrypted.c boot_enc_load"]
            ),
            "Clear": .init(
                bugType: "BASIC",
                description: "imgtool --clear: plaintext body, encryption flag and key TLV kept; verified as stored.",
                specRefs: [
                    "docs/rules/mcuboot.md#clear", "loader.c decrypts only images copied from the secondary slot",
                ]
            ),
            "Lenient": .init(
                bugType: "EDGE_CASE",
                description: "bootutil accepts this; a stricter implementation may reject it (acceptable).",
                specRefs: ["docs/rules/mcuboot.md#lenient"]
            ),
        ]
        let classes: [(String, String, String)] = [
            ("N1", "Header magic other than 0x96f3b83d.", "bootutil_loader.c boot_check_header_valid"),
            ("N2", "Header + image + protected size overflows or reaches the slot size.", "boot_check_header_valid"),
            (
                "N3", "Flags the build cannot honour: both AES bits, AES without encryption, compression.",
                "boot_check_header_valid"
            ),
            ("N4", "ih_protect_tlv_size differs from the protected area's total.", "tlv.c bootutil_tlv_iter_begin"),
            ("N5", "ih_protect_tlv_size set but no protected info.", "tlv.c"),
            ("N6", "Missing or corrupt unprotected TLV info.", "tlv.c"),
            (
                "N7",
                "A TLV crossing the TLV end, or a protected TLV running past the protected end (walked on as bootutil's iterator does).",
                "tlv.c bootutil_tlv_iter_next (after PR #2733)"
            ),
            (
                "N8", "TLV area beyond the maximum image size (the slot less the build's trailer).",
                "image_validate.c bootutil_img_validate, bootutil_area.c boot_trailer_sz"
            ),
            ("N9", "Hash TLV absent, of another algorithm, or of the wrong length.", "image_validate.c"),
            ("N10", "A changed byte in the hashed region.", "image_validate.c"),
            ("N11", "A second hash TLV with a wrong value (every hash TLV is checked).", "image_validate.c"),
            ("N12", "KEYHASH longer than the hash.", "bootutil_find_key.c"),
            ("N13", "KEYHASH shorter than the hash: matched by prefix.", "bootutil_find_key.c (PR #113)"),
            ("N14", "No signature after a KEYHASH of a known key.", "image_validate.c"),
            ("N15", "Signature of the wrong length.", "image_validate.c"),
            ("N17", "Several (KEYHASH, signature) pairs: the last checked decides.", "image_validate.c"),
            ("N18", "ECDSA DER with trailing zero bytes (imgtool --pad-sig).", "mbedTLS rejects, tinycrypt/PSA accept"),
            ("N19", "ECDSA DER with a non-minimal INTEGER.", "backend-dependent"),
            ("N20", "A TLV that must be protected, in the unprotected area.", "CVE-2024-32883"),
            ("N21", "Pure build: SIG_PURE missing or not 0x01.", "image_validate.c"),
            (
                "N22", "Hardware rollback: SEC_CNT missing, short or below the stored counter.",
                "bootutil_img_security_cnt.c"
            ),
            ("N23", "UUID VID/CID missing or different.", "image_validate.c"),
            ("N25", "Encryption: key TLV missing, wrong length, bad HMAC tag.", "encrypted.c boot_enc_load"),
            ("N27", "Downgrade prevention: older than the running image.", "loader.c"),
            ("N28", "Header oddities bootutil never checks (_pad1, PIC).", "not checked"),
            ("N29", "Unknown TLV type in the protected area.", "ignored, authenticated by the hash"),
            ("N30", "Duplicate SEC_CNT: every copy is checked.", "image_validate.c"),
            ("N32", "Duplicate KEYHASH before one signature: the latest selects.", "image_validate.c"),
            ("N33", "IMAGE_F_NON_BOOTABLE: the loader does not boot the image.", "loader.c boot_validate_slot"),
            ("Truncated", "The image cut short.", "total parsing"),
        ]
        for (flag, d, ref) in classes {
            n[flag] = .init(
                bugType: flag == "N20" ? "KNOWN_BUG" : "MODIFIED_IMAGE",
                description: d,
                specRefs: ["docs/rules/mcuboot.md#\(flag.lowercased())", ref]
            )
        }
        return n
    }()

    package static func files(pins: SignaturePins) throws(VectorError) -> (
        files: [(path: String, file: VectorFile)], blobs: [String: [UInt8]]
    ) {
        func broken(_ why: String) -> VectorError { VectorError(.generator, file: "mcuboot generator", reason: why) }
        var blobs: [String: [UInt8]] = [:]
        func blob(_ bytes: [UInt8]) -> String {
            let sha = Hex.encode(SHA256.hash(data: bytes))
            blobs[sha] = bytes
            return sha
        }
        let fixtures: [Named]
        do { fixtures = try Self.fixtures(pins) } catch { throw broken("the fixtures do not build: \(error)") }
        func testCase(
            _ id: Int,
            _ n: Named,
            bytes: [UInt8],
            config: ImageVerifier.Configuration,
            result: VectorFile.Result,
            error: ImageError.Code?,
            flags: [String],
            comment: String
        ) -> VectorFile.TestCase {
            var fields: [String: JSONValue] = [
                "image": .string(blob(bytes)), "imageSize": .int(Int64(bytes.count)),
                "config": ImageCaseConfig.json(config, decryptionKey: n.decryptionKey, kek: n.kek),
                "feature": .string(feature(n)),
            ]
            // What a parser must say of the bytes alone (image.parse), and for an encrypted valid image the
            // decrypted image (image.decrypt).
            switch Result(catching: { () throws(ImageError) in try MCUbootImage(parsing: bytes) }) {
            case .success(let image): fields["layout"] = .string(image.layoutSummary)
            case .failure(let e): fields["parseError"] = .string(e.code.rawValue)
            }
            if result == .valid, config.decryptionKey != nil, !config.pure,
                let image = try? MCUbootImage(parsing: bytes),
                let plain = try? ImageVerifier(config).decryptedImage(image)
            {
                fields["plaintext"] = .string(blob(plain))
            }
            // A pure build computes no image hash, so a pure case expects none.
            if result != .invalid, !config.pure, let v = try? ImageVerifier(config).verify(bytes) {
                fields["hash"] = .string(Hex.encode(v.digest))
            }
            return VectorFile.TestCase(
                tcId: id,
                comment: comment,
                flags: flags,
                result: result,
                expectedError: error?.rawValue,
                fields: fields
            )
        }
        var valid: [VectorFile.TestCase] = []
        for (i, n) in fixtures.enumerated() {
            valid.append(
                testCase(
                    i + 1,
                    n,
                    bytes: n.fixture.bytes,
                    config: n.fixture.configuration,
                    result: .valid,
                    error: nil,
                    flags: n.flags,
                    comment: "\(n.name): \(n.comment)"
                )
            )
        }
        var negative: [VectorFile.TestCase] = []
        let targets = Set([
            "ed25519", "ecdsa-p256", "rsa-2048", "ed25519-pure", "hash-sha256", "ed25519-protected",
            "ed25519-x25519", "ecdsa-p256-ec256-256", "ecdsa-p384",
        ])
        // Parameterised mutators first, then the catalogue in its append-only order, so case ids stay stable.
        let mutators =
            [
                ImageMutator.flipBit(at: 40), ImageMutator.flipBit(at: 0x20 + 299, bit: 7),
                ImageMutator.flipBit(at: 22, bit: 3),
                ImageMutator.flipBit(at: 28, bit: 1), ImageMutator.truncate(at: 31),
                ImageMutator.truncate(at: 0x20 + 100),
            ] + ImageMutator.all
        // Fixtures that only the mutators made for them are applied to (so the cases of the others keep their ids).
        let extraTargets: [String: Set<String>] = [
            "aes256RSAImageOnAES128Build": ["rsa-2048-oaep-256"],
            "clearImageInSecondarySlot": ["ed25519-x25519-clear"],
        ]
        for m in mutators {
            let names = targets.union(extraTargets[m.name] ?? [])
            for n in fixtures where names.contains(n.name) && m.applies(to: n.fixture) {
                guard let (bytes, config) = try? m.apply(n.fixture) else { continue }
                let verdict = Result { () throws(ImageError) in try ImageVerifier(config).verify(bytes) }
                let got: ImageError.Code? = if case .failure(let e) = verdict { e.code } else { nil }
                guard got == m.expected else {
                    throw broken(
                        "\(m.name) on \(n.name): the reference says \(got?.rawValue ?? "valid"), the mutator expects \(m.expected?.rawValue ?? "valid")"
                    )
                }
                let acceptable = m.isAcceptable
                let result: VectorFile.Result = acceptable ? .acceptable : (m.expected == nil ? .valid : .invalid)
                let flag = m.catalogue == "—" ? "Truncated" : m.catalogue
                negative.append(
                    testCase(
                        negative.count + 1,
                        n,
                        bytes: bytes,
                        config: config,
                        result: result,
                        error: result == .valid ? nil : m.expected,
                        flags: [flag] + (acceptable ? ["Lenient"] : []),
                        comment: "\(m.name) on \(n.name)" + (m.reference.map { ": \($0)" } ?? "")
                    )
                )
            }
        }
        func file(_ algorithm: String, _ header: [String], _ tests: [VectorFile.TestCase]) -> VectorFile {
            let used = Set(tests.flatMap(\.flags))
            return VectorFile(
                schema: schema,
                area: "mcuboot",
                algorithm: algorithm,
                header: header,
                notes: notes.filter { used.contains($0.key) },
                testGroups: [VectorFile.TestGroup(type: "ImageVerify", source: source, tests: tests)]
            )
        }
        return (
            [
                (
                    "mcuboot/mcuboot_valid_test.json",
                    file(
                        "MCUboot image verification: valid images",
                        [
                            "Valid images per signature, hash and option. `config` is the bootloader build to emulate;",
                            "`hash` is the image digest a verifier reports (none for pure builds); `layout` what image.parse",
                            "answers (or `parseError`); `plaintext` the decrypted image (a blob) for image.decrypt.",
                            "Images are in vectors/blobs/<image>.bin.",
                        ],
                        valid
                    )
                ),
                (
                    "mcuboot/mcuboot_negative_test.json",
                    file(
                        "MCUboot image verification: the negative catalogue",
                        [
                            "Mutations of valid images, one class of the MCUboot negative catalogue (N1–N33) each.",
                            "expectedError names the first layer that must reject; `acceptable` cases are tolerated by bootutil.",
                        ],
                        negative
                    )
                ),
            ], blobs
        )
    }
}
