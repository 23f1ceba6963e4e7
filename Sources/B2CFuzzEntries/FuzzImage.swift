import B2CImage
import Crypto

/// libFuzzer entries and property checks for MCUboot images. Each check returns nil or a description of the first
/// property violated; the entry functions trap on a finding (see `fuzzFailure`).
public enum ImageFuzzChecks {
    /// The fixed key set the verify target judges with: an Ed25519 key, a P-256 key, an X25519 device key.
    static let ed25519 = builtIn("Ed25519 key") {
        try Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 0x11, count: 32))
    }
    static let p256 = builtIn("P-256 key") {
        try P256.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 0x21, count: 32))
    }
    static let x25519 = builtIn("X25519 key") {
        try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: [UInt8](repeating: 0x41, count: 32))
    }
    static let p256Agreement = builtIn("P-256 key") {
        try P256.KeyAgreement.PrivateKey(rawRepresentation: p256.rawRepresentation)
    }
    static let kek = [UInt8](repeating: 0x70, count: 16)

    /// Bootloader builds the verify target tries every input against.
    static let configurations: [ImageVerifier.Configuration] = {
        var out: [ImageVerifier.Configuration] = []
        var ed = ImageVerifier.Configuration(signature: .ed25519, keys: [.ed25519(ed25519.publicKey)])
        ed.decryptionKey = .x25519(x25519, hmacSHA512: false)
        ed.slotSize = 0x4000
        out.append(ed)
        var pure = ImageVerifier.Configuration(signature: .ed25519, hash: .sha512, keys: [.ed25519(ed25519.publicKey)])
        pure.pure = true
        out.append(pure)
        var ec = ImageVerifier.Configuration(signature: .ecdsaP256, keys: [.p256(p256.publicKey)])
        ec.decryptionKey = .ecP256(p256Agreement)
        ec.securityCounterFloor = 3
        ec.hardwareKey = true
        out.append(ec)
        var none = ImageVerifier.Configuration(signature: .none, hash: .sha384)
        none.allowList = false
        none.decryptionKey = .aesKW(kek: kek)
        none.vendorID = [UInt8](repeating: 1, count: 16)
        out.append(none)
        return out
    }()

    /// Parsing is total and self-consistent: the areas tile the TLV region, and the entries are bootutil's walk
    /// (`tlv.c` `bootutil_tlv_iter_next`): back to back from the first info, the unprotected info stepped over only
    /// when the cursor lands on the protected end, every entry inside the TLV end, protected when its payload starts
    /// before the protected end, and the last one ending at the TLV end.
    public static func parse(_ bytes: [UInt8]) -> String? {
        guard let image = try? MCUbootImage(parsing: bytes) else { return nil }
        if (try? ImageHeader(parsing: image.header.bytes)) != image.header { return "header does not round-trip" }
        if image.protectedArea.upperBound != image.unprotectedArea.lowerBound { return "areas do not touch" }
        if image.tlvEnd > bytes.count { return "tlvEnd \(image.tlvEnd) past the input" }
        let protectedEnd = image.protectedArea.isEmpty ? nil : image.protectedArea.upperBound
        var cursor = (image.protectedArea.isEmpty ? image.unprotectedArea : image.protectedArea).lowerBound + 4
        func skipInfo() { if cursor == protectedEnd { cursor += 4 } }
        for t in image.tlvs {
            skipInfo()
            if t.offset != cursor { return "TLV at \(t.offset), expected \(cursor)" }
            if t.valueRange.upperBound > image.tlvEnd { return "TLV at \(t.offset) crosses the TLV end" }
            if t.isProtected != (protectedEnd.map { t.valueOffset < $0 } ?? false) {
                return "TLV at \(t.offset): protected is \(t.isProtected)"
            }
            cursor = t.valueRange.upperBound
        }
        skipInfo()
        if cursor != image.tlvEnd { return "entries end at \(cursor), area at \(image.tlvEnd)" }
        return nil
    }

    /// Verification is total and deterministic under every configuration of the fixed key set.
    public static func verify(_ bytes: [UInt8]) -> String? {
        for (i, c) in configurations.enumerated() {
            let v = ImageVerifier(c)
            let first = Result { () throws(ImageError) in try v.verify(bytes).digest }
            let second = Result { () throws(ImageError) in try v.verify(bytes).digest }
            if first != second { return "configuration \(i): two verifications disagree" }
            if case .success = first, (try? MCUbootImage(parsing: bytes)) == nil {
                return "configuration \(i): accepted an image the parser rejects"
            }
        }
        return nil
    }

    /// The TLV walker on a fixed, valid header and body: the input is the TLV region. Parsing it must be total; an
    /// accepted region must give back its own bytes.
    public static func tlvWalk(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 2 else { return nil }
        let protSize = UInt16(bytes[0]) | UInt16(bytes[1]) << 8
        let body = [UInt8](repeating: 0xa5, count: 16)
        let header = ImageHeader(
            headerSize: 32,
            protectedTLVSize: protSize,
            imageSize: UInt32(body.count),
            version: .init(major: 1)
        )
        let image = header.bytes + body + bytes[2...]
        guard let parsed = try? MCUbootImage(parsing: image) else { return nil }
        for t in parsed.tlvs where parsed.value(of: t).count != t.length { return "TLV at \(t.offset): payload length" }
        _ = try? ImageVerifier(configurations[0]).verify(image)
        return nil
    }

    /// Decryption of a fuzzed key-transport TLV and body: the first byte picks the scheme, then the TLV payload
    /// (its length implied by the scheme), then the body. Never a trap; garbage must fail the HMAC or the unwrap.
    public static func decrypt(_ bytes: [UInt8]) -> String? {
        guard let scheme = bytes.first else { return nil }
        let variants: [(TLVType, Int, DecryptionKey)] = [
            (.encX25519, 80, .x25519(x25519, hmacSHA512: false)),
            (.encX25519SHA512, 112, .x25519(x25519, hmacSHA512: true)),
            (.encEC256, 113, .ecP256(p256Agreement)),
            (.encKW, 24, .aesKW(kek: kek)),
        ]
        let (type, length, key) = variants[Int(scheme) % variants.count]
        let rest = Array(bytes.dropFirst())
        let tlv = Array(rest.prefix(length))
        let body = Array(rest.dropFirst(length).prefix(1024))
        var header = ImageHeader(
            headerSize: 32,
            imageSize: UInt32(body.count),
            flags: [.encryptedAES128],
            version: .init(major: 1)
        )
        header.protectedTLVSize = 0
        var unprot: [UInt8] = [0x07, 0x69]
        let total = 4 + 4 + tlv.count
        unprot += [UInt8(total & 0xff), UInt8(total >> 8), UInt8(type.rawValue), 0, UInt8(tlv.count), 0] + tlv
        let image = header.bytes + body + unprot
        var c = ImageVerifier.Configuration(signature: .none)
        c.decryptionKey = key
        guard let parsed = try? MCUbootImage(parsing: image) else { return "the harness built an unparsable image" }
        switch Result(catching: { () throws(ImageError) in try ImageVerifier(c).decryptedImage(parsed) }) {
        case .success(let plain):
            if plain.count != image.count { return "decryption changed the image length" }
        case .failure(let e):
            let expected: Set<ImageError.Code> = [.encTLVLength, .encHMAC, .encKey, .encTLVMissing]
            if !expected.contains(e.code) { return "unexpected error \(e.code)" }
        }
        return nil
    }
}

/// Runs one image check on a libFuzzer input and traps on a finding.
private func runImageCheck(_ target: String, _ check: ([UInt8]) -> String?, _ data: UnsafeRawBufferPointer) {
    let bytes = Array(data)
    if let finding = check(bytes) { fuzzFailure(target, finding, bytes) }
}

public func fuzzImageParse(_ data: UnsafeRawBufferPointer) {
    runImageCheck("FuzzImageParse", ImageFuzzChecks.parse, data)
}
public func fuzzImageVerify(_ data: UnsafeRawBufferPointer) {
    runImageCheck("FuzzImageVerify", ImageFuzzChecks.verify, data)
}
public func fuzzTLVWalk(_ data: UnsafeRawBufferPointer) { runImageCheck("FuzzTLVWalk", ImageFuzzChecks.tlvWalk, data) }
public func fuzzImageDecrypt(_ data: UnsafeRawBufferPointer) {
    runImageCheck("FuzzImageDecrypt", ImageFuzzChecks.decrypt, data)
}
