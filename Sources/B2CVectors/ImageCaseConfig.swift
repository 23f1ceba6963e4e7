import B2CHex
import B2CImage
import B2CWire

/// The bootloader configuration an `image.verify` case carries (in vector files and in the request's `args.config`),
/// as JSON: what build the target must emulate to judge the image.
///
/// ```
/// {"signature": "ed25519", "hash": "sha256", "pure": false, "hwKey": false, "allowList": true,
///  "keys": [{"type": "ed25519", "embedded": HEX, "spki": HEX}],
///  "securityCounter": 5, "vendorID": HEX, "classID": HEX, "slotSize": 32768, "maxImageSize": 31744,
///  "maxAlign": 8, "writeSize": 8, "maxImageSectors": 128,
///  "runningVersion": "1.2.3+0",
///  "compareBuildNumber": false, "secondarySlot": true, "aesKeyBits": 128,
///  "decryption": {"type": "x25519", "pkcs8": HEX, "hmacSha": 256} | {"type": "aes-kw", "kek": HEX}}
/// ```
/// Absent optional members turn the feature off, except three with the defaults of MCUboot's default build:
/// `aesKeyBits` 128, and the trailer's `maxAlign` 8, `writeSize` 8 and `maxImageSectors` 128 (which with a
/// `slotSize` and no `maxImageSize` bound the TLV end at the slot size less `boot_trailer_sz`).
public enum ImageCaseConfig {
    /// The JSON for a configuration. `decryptionKey` is the private key the device holds (the configuration only
    /// keeps the derived agreement key).
    public static func json(
        _ c: ImageVerifier.Configuration,
        decryptionKey: ImagePrivateKey? = nil,
        kek: [UInt8]? = nil
    ) -> JSONValue {
        var o: [String: JSONValue] = [
            "signature": .string(c.signature.rawValue), "hash": .string(c.hash.rawValue), "pure": .bool(c.pure),
            "hwKey": .bool(c.hardwareKey), "allowList": .bool(c.allowList),
            "compareBuildNumber": .bool(c.compareBuildNumber), "secondarySlot": .bool(c.secondarySlot),
            "keys": .array(
                c.keys.map {
                    .object([
                        "type": .string($0.type.rawValue), "embedded": .string(Hex.encode($0.embeddedBytes)),
                        "spki": .string(Hex.encode($0.spkiDER)),
                    ])
                }
            ),
        ]
        if let v = c.securityCounterFloor { o["securityCounter"] = .int(Int64(v)) }
        if let v = c.vendorID { o["vendorID"] = .string(Hex.encode(v)) }
        if let v = c.classID { o["classID"] = .string(Hex.encode(v)) }
        if let v = c.slotSize { o["slotSize"] = .int(Int64(v)) }
        if let v = c.maxImageSize { o["maxImageSize"] = .int(Int64(v)) }
        if let v = c.runningVersion { o["runningVersion"] = .string(v.description) }
        // The AES size counts only on an encryption build; 128 (MCUboot's default) is said only there.
        if c.decryptionKey != nil || c.aesKeyBits != 128 { o["aesKeyBits"] = .int(Int64(c.aesKeyBits)) }
        // The trailer counts only with a slot size (and no explicit maximum image size).
        if c.slotSize != nil && c.maxImageSize == nil {
            o["maxAlign"] = .int(Int64(c.trailer.maxAlign))
            o["writeSize"] = .int(Int64(c.trailer.writeSize))
            o["maxImageSectors"] = .int(Int64(c.trailer.maxImageSectors))
        }
        if let kek {
            o["decryption"] = .object(["type": .string("aes-kw"), "kek": .string(Hex.encode(kek))])
        } else if let k = decryptionKey, let d = c.decryptionKey {
            var sha = 256
            if case .x25519(_, let s512) = d, s512 { sha = 512 }
            o["decryption"] = .object([
                "type": .string(k.type.rawValue), "pkcs8": .string(Hex.encode(k.pkcs8DER)), "hmacSha": .int(Int64(sha)),
            ])
        }
        return .object(o)
    }

    /// Reads a configuration; every member is checked, an unknown one is an error (a typo must not turn a check off).
    public static func parse(_ value: JSONValue) throws(ImageError) -> ImageVerifier.Configuration {
        func bad(_ what: String) -> ImageError { ImageError(.badArgument, "config: \(what)") }
        guard let o = value.objectValue else { throw bad("not an object") }
        let known: Set<String> = [
            "signature", "hash", "pure", "hwKey", "allowList", "compareBuildNumber", "secondarySlot", "keys",
            "securityCounter", "vendorID", "classID", "slotSize", "maxImageSize", "runningVersion", "aesKeyBits",
            "maxAlign", "writeSize", "maxImageSectors", "decryption",
        ]
        if let unknown = o.keys.first(where: { !known.contains($0) }) { throw bad("unknown member \"\(unknown)\"") }
        guard let sigName = o["signature"]?.stringValue, let sig = ImageVerifier.SignatureType(rawValue: sigName) else {
            throw bad("\"signature\" must be one of \(ImageVerifier.SignatureType.allCases.map(\.rawValue))")
        }
        guard let hashName = o["hash"]?.stringValue, let hash = ImageHashAlgorithm(rawValue: hashName) else {
            throw bad("\"hash\" must be sha256, sha384 or sha512")
        }
        var keys: [ImagePublicKey] = []
        for (i, k) in (o["keys"]?.arrayValue ?? []).enumerated() {
            guard let hex = k.objectValue?["embedded"]?.stringValue, let bytes = Hex.decode(hex) else {
                throw bad("keys[\(i)].embedded must be hex")
            }
            keys.append(try ImagePublicKey(embeddedBytes: bytes))
        }
        var c = ImageVerifier.Configuration(signature: sig, hash: hash, keys: keys)
        func flag(_ name: String, _ fallback: Bool) throws(ImageError) -> Bool {
            guard let v = o[name] else { return fallback }
            guard case .bool(let b) = v else { throw bad("\"\(name)\" must be a boolean") }
            return b
        }
        func int(_ name: String, max: Int64) throws(ImageError) -> Int? {
            guard let v = o[name] else { return nil }
            guard let i = v.intValue, i >= 0, i <= max else { throw bad("\"\(name)\" must be an integer 0…\(max)") }
            return Int(i)
        }
        func hex16(_ name: String) throws(ImageError) -> [UInt8]? {
            guard let v = o[name] else { return nil }
            guard let b = v.stringValue.flatMap(Hex.decode), b.count == 16 else {
                throw bad("\"\(name)\" must be 16 bytes of hex")
            }
            return b
        }
        c.pure = try flag("pure", false)
        c.hardwareKey = try flag("hwKey", false)
        c.allowList = try flag("allowList", true)
        c.compareBuildNumber = try flag("compareBuildNumber", false)
        c.secondarySlot = try flag("secondarySlot", true)
        c.securityCounterFloor = try int("securityCounter", max: Int64(UInt32.max)).map(UInt32.init)
        c.slotSize = try int("slotSize", max: Int64(UInt32.max))
        c.maxImageSize = try int("maxImageSize", max: Int64(UInt32.max))
        let bits = try int("aesKeyBits", max: 256) ?? c.aesKeyBits
        guard bits == 128 || bits == 256 else { throw bad("\"aesKeyBits\" must be 128 or 256") }
        c.aesKeyBits = bits
        let maxAlign = try int("maxAlign", max: 32) ?? c.trailer.maxAlign
        guard [8, 16, 32].contains(maxAlign) else { throw bad("\"maxAlign\" must be 8, 16 or 32") }
        let writeSize = try int("writeSize", max: 32) ?? c.trailer.writeSize
        guard [1, 2, 4, 8, 16, 32].contains(writeSize) else { throw bad("\"writeSize\" must be 1, 2, 4, 8, 16 or 32") }
        let sectors = try int("maxImageSectors", max: 65536) ?? c.trailer.maxImageSectors
        c.trailer = ImageTrailer.Geometry(maxAlign: maxAlign, writeSize: writeSize, maxImageSectors: sectors)
        c.vendorID = try hex16("vendorID")
        c.classID = try hex16("classID")
        if let v = o["runningVersion"] {
            guard let s = v.stringValue else { throw bad("\"runningVersion\" must be a string") }
            c.runningVersion = try ImageVersion(parsing: s)
        }
        if let d = o["decryption"] {
            guard let dobj = d.objectValue, let type = dobj["type"]?.stringValue else {
                throw bad("\"decryption\" needs a type")
            }
            if type == "aes-kw" {
                guard let kek = dobj["kek"]?.stringValue.flatMap(Hex.decode), kek.count == 16 || kek.count == 32 else {
                    throw bad("decryption.kek must be 16 or 32 bytes of hex")
                }
                c.decryptionKey = .aesKW(kek: kek)
            } else {
                guard let der = dobj["pkcs8"]?.stringValue.flatMap(Hex.decode),
                    case .privateKey(let k) = try ImageKeyFile.load(der)
                else { throw bad("decryption.pkcs8 must be a PKCS#8 private key in hex") }
                let sha = dobj["hmacSha"]?.intValue ?? 256
                guard sha == 256 || sha == 512 else { throw bad("decryption.hmacSha must be 256 or 512") }
                c.decryptionKey = try DecryptionKey(k, hmacSHA512: sha == 512)
            }
        }
        return c
    }
}
