import Crypto
import CryptoExtras
import Foundation

/// Who can decrypt an encrypted image: the key-transport TLV is chosen by the recipient key's type (§11.3).
public enum EncryptionRecipient: Sendable {
    /// ECIES-P256 (TLV 0x32).
    case ecP256(P256.KeyAgreement.PublicKey)
    /// ECIES-X25519 (0x33 with HKDF/HMAC-SHA-256, 0x34 with SHA-512).
    case x25519(Curve25519.KeyAgreement.PublicKey)
    /// RSA-OAEP-SHA256 (0x30). (Kept as the Sendable signing-key type; the encryption view is made on use.)
    case rsa(_RSA.Signing.PublicKey)
    /// AES key wrap under a pre-shared KEK (0x31).
    case aesKW(kek: [UInt8])

    /// The recipient for an imgtool `-E` key file: P-256 and X25519 keys (public or private), RSA-2048 keys. The
    /// others imgtool takes too, but what it writes for them no bootloader can decrypt (``unrecoverable(_:)``).
    public init(_ key: ImagePublicKey) throws(ImageError) {
        if let reason = Self.unrecoverable(key.type) { throw ImageError(.badKey, reason) }
        switch key {
        case .p256(let k):
            guard let ka = try? P256.KeyAgreement.PublicKey(rawRepresentation: k.rawRepresentation) else {
                throw ImageError(.badKey, "the P-256 key cannot be used for key agreement")
            }
            self = .ecP256(ka)
        case .x25519(let k): self = .x25519(k)
        case .rsa(let k): self = .rsa(k)
        case .p384, .ed25519: throw ImageError(.badKey, "\(key.type.rawValue) keys cannot receive an image key")
        }
    }

    /// The key type of an imgtool `-E` key file (nil for a pre-shared AES-KW key, which imgtool has no option for).
    public var keyType: ImageKeyType? {
        switch self {
        case .ecP256: .ecdsaP256
        case .x25519: .x25519
        case .rsa(let k): k.keySizeInBits == 3072 ? .rsa3072 : .rsa2048
        case .aesKW: nil
        }
    }

    /// imgtool's pairing rule for `-k` with `-E` (notes §11.5): an ECDSA signing key needs an encryption key of its
    /// own curve and an RSA one an RSA key; an Ed25519 key or no key pairs with any. Nil when they pair.
    public static func pairingProblem(signer: ImageKeyType?, recipient: ImageKeyType) -> String? {
        let needed: (ImageKeyType) -> Bool
        let what: String
        switch signer {
        case .ecdsaP256?: (needed, what) = ({ $0 == .ecdsaP256 }, "an ECDSA P-256 signing key needs a P-256")
        case .ecdsaP384?: (needed, what) = ({ $0 == .ecdsaP384 }, "an ECDSA P-384 signing key needs a P-384")
        case .rsa2048?, .rsa3072?:
            (needed, what) = ({ $0 == .rsa2048 || $0 == .rsa3072 }, "an RSA signing key needs an RSA")
        case .ed25519?, .x25519?, nil: return nil
        }
        if needed(recipient) { return nil }
        return what + " encryption key, not \(recipient.rawValue) (imgtool: the same type of key signs and encrypts)"
    }

    /// Why imgtool's image for an `-E` key of this type could never be decrypted, or nil when it can be: imgtool
    /// encrypts the body for P-384 and Ed25519 keys but writes no key TLV (the image key is lost), and for RSA-3072
    /// writes a 384-byte RSA-OAEP TLV where bootutil reads 256 bytes (RSA-2048 only).
    public static func unrecoverable(_ type: ImageKeyType) -> String? {
        let why: String
        switch type {
        case .ecdsaP384:
            why = "MCUboot has no key transport to a P-384 key; imgtool encrypts the body and drops the key"
        case .ed25519: why = "it only signs; imgtool encrypts the body and drops the key"
        case .rsa3072:
            why = "MCUboot's RSA-OAEP takes RSA-2048 keys only; imgtool writes a 384-byte key TLV no bootloader reads"
        case .rsa2048, .ecdsaP256, .x25519: return nil
        }
        return "no bootloader can decrypt an image encrypted for \(type.rawValue) (\(why)); use an X25519, P-256 or"
            + " RSA-2048 key"
    }
}

/// `-E KEY`, `--encrypt-keylen`, `--hmac-sha`, `--clear`, `--save-enctlv`, and the randomness a reproducible image
/// needs (pinned in vectors, random otherwise).
public struct ImageEncryptionOptions: Sendable {
    public var recipient: EncryptionRecipient
    /// 128 or 256.
    public var keyBits = 128
    /// `--hmac-sha 512`: X25519 only, TLV 0x34.
    public var hmacSHA512 = false
    /// `--clear`: set the flag and add the key TLV, but leave the body in plaintext.
    public var clear = false
    /// `--save-enctlv`: size the trailer's key slots for whole ENC TLVs.
    public var saveEncTLV = false
    /// The AES image key; random when nil.
    public var imageKey: [UInt8]?
    /// The ephemeral private key (P-256 scalar or X25519 raw, 32 bytes); random when nil.
    public var ephemeralKey: [UInt8]?
    /// A key-transport payload made elsewhere for `imageKey` (RSA-OAEP is randomized: vector generators pin it).
    public var fixedKeyTLV: [UInt8]?

    public init(recipient: EncryptionRecipient) { self.recipient = recipient }

    var keyLength: Int { keyBits / 8 }
}

/// The device side of image decryption: the key the bootloader holds and the TLV type its build expects.
public enum DecryptionKey: Sendable {
    case ecP256(P256.KeyAgreement.PrivateKey)
    case x25519(Curve25519.KeyAgreement.PrivateKey, hmacSHA512: Bool)
    case rsa(_RSA.Signing.PrivateKey)
    case aesKW(kek: [UInt8])

    /// From a private key file; `hmacSHA512` selects TLV 0x34 for X25519.
    public init(_ key: ImagePrivateKey, hmacSHA512: Bool = false) throws(ImageError) {
        switch key {
        case .p256(let k):
            guard let ka = try? P256.KeyAgreement.PrivateKey(rawRepresentation: k.rawRepresentation) else {
                throw ImageError(.badKey, "the P-256 key cannot be used for key agreement")
            }
            self = .ecP256(ka)
        case .x25519(let k): self = .x25519(k, hmacSHA512: hmacSHA512)
        case .rsa(let k): self = .rsa(k)
        case .p384, .ed25519:
            throw ImageError(.badKey, "\(key.type.rawValue) keys cannot decrypt images; use X25519, P-256 or RSA")
        }
    }

    public var tlvType: TLVType {
        switch self {
        case .ecP256: .encEC256
        case .x25519(_, let sha512): sha512 ? .encX25519SHA512 : .encX25519
        case .rsa: .encRSA2048
        case .aesKW: .encKW
        }
    }

    /// `BOOT_ENC_TLV_SIZE` for an AES key of `keyLength` bytes.
    public func tlvLength(keyLength: Int) -> Int {
        switch self {
        case .ecP256: 65 + 32 + keyLength
        case .x25519(_, let sha512): 32 + (sha512 ? 64 : 32) + keyLength
        case .rsa: 256
        case .aesKW: keyLength + 8
        }
    }
}

/// Key transport on its own: the payload of the key TLV that carries an image key, and the image key it carries.
public enum ImageKeyTransport {
    public static func wrap(_ imageKey: [UInt8], options: ImageEncryptionOptions) throws(ImageError) -> [UInt8] {
        var o = options
        o.fixedKeyTLV = nil
        return try ImageCrypto.keyTLV(imageKey: imageKey, options: o).1
    }

    public static func unwrap(_ payload: [UInt8], key: DecryptionKey, keyLength: Int) throws(ImageError) -> [UInt8] {
        try ImageCrypto.imageKey(from: payload[...], at: 0, key: key, keyLength: keyLength)
    }
}

enum ImageCrypto {
    static let eciesInfo = Array("MCUBoot_ECIES_v1".utf8)

    /// AES-CTR from an all-zero counter block, as bootutil and imgtool use it for the body and the ECIES key.
    static func aesCTR(_ data: some DataProtocol, key: [UInt8]) throws(ImageError) -> [UInt8] {
        do {
            let nonce = try AES._CTR.Nonce(nonceBytes: [UInt8](repeating: 0, count: 16))
            return Array(try AES._CTR.encrypt(data, using: SymmetricKey(data: key), nonce: nonce))
        } catch { throw ImageError(.unsupported, "AES-CTR failed: \(error)") }
    }

    /// HKDF with no salt and the MCUboot info, split into the key-encryption key and the MAC key.
    static func eciesKeys(shared: SharedSecret, keyLength: Int, sha512: Bool) -> (kek: [UInt8], macKey: [UInt8]) {
        let okm: SymmetricKey
        if sha512 {
            okm = shared.hkdfDerivedSymmetricKey(
                using: SHA512.self,
                salt: [UInt8](),
                sharedInfo: eciesInfo,
                outputByteCount: keyLength + 64
            )
        } else {
            okm = shared.hkdfDerivedSymmetricKey(
                using: SHA256.self,
                salt: [UInt8](),
                sharedInfo: eciesInfo,
                outputByteCount: keyLength + 32
            )
        }
        let bytes = okm.withUnsafeBytes { Array($0) }
        return (Array(bytes[..<keyLength]), Array(bytes[keyLength...]))
    }

    static func mac(_ data: [UInt8], key: [UInt8], sha512: Bool) -> [UInt8] {
        sha512
            ? Array(HMAC<SHA512>.authenticationCode(for: data, using: SymmetricKey(data: key)))
            : Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }

    /// The key-transport TLV (type and payload) carrying `imageKey` to `options.recipient`.
    static func keyTLV(imageKey: [UInt8], options: ImageEncryptionOptions) throws(ImageError) -> (TLVType, [UInt8]) {
        let n = imageKey.count
        if let fixed = options.fixedKeyTLV {
            switch options.recipient {
            case .ecP256: return (.encEC256, fixed)
            case .x25519: return (options.hmacSHA512 ? .encX25519SHA512 : .encX25519, fixed)
            case .rsa: return (.encRSA2048, fixed)
            case .aesKW: return (.encKW, fixed)
            }
        }
        switch options.recipient {
        case .ecP256(let recipient):
            let eph: P256.KeyAgreement.PrivateKey
            do {
                eph =
                    try options.ephemeralKey.map { try P256.KeyAgreement.PrivateKey(rawRepresentation: $0) } ?? .init()
            } catch { throw ImageError(.badArgument, "the pinned P-256 ephemeral key is not a valid scalar") }
            guard let shared = try? eph.sharedSecretFromKeyAgreement(with: recipient) else {
                throw ImageError(.badKey, "P-256 key agreement failed")
            }
            let (kek, macKey) = eciesKeys(shared: shared, keyLength: n, sha512: false)
            let cipherKey = try aesCTR(imageKey, key: kek)
            return (
                .encEC256,
                Array(eph.publicKey.x963Representation) + mac(cipherKey, key: macKey, sha512: false) + cipherKey
            )
        case .x25519(let recipient):
            let eph: Curve25519.KeyAgreement.PrivateKey
            do {
                eph =
                    try options.ephemeralKey.map { try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: $0) }
                    ?? .init()
            } catch { throw ImageError(.badArgument, "the pinned X25519 ephemeral key is not 32 bytes") }
            guard let shared = try? eph.sharedSecretFromKeyAgreement(with: recipient) else {
                throw ImageError(.badKey, "X25519 key agreement failed")
            }
            let sha512 = options.hmacSHA512
            let (kek, macKey) = eciesKeys(shared: shared, keyLength: n, sha512: sha512)
            let cipherKey = try aesCTR(imageKey, key: kek)
            return (
                sha512 ? .encX25519SHA512 : .encX25519,
                Array(eph.publicKey.rawRepresentation) + mac(cipherKey, key: macKey, sha512: sha512) + cipherKey
            )
        case .rsa(let recipient):
            do {
                let key = try _RSA.Encryption.PublicKey(derRepresentation: recipient.derRepresentation)
                return (.encRSA2048, Array(try key.encrypt(imageKey, padding: .PKCS1_OAEP_SHA256)))
            } catch {
                throw ImageError(.badKey, "RSA-OAEP encryption failed: \(error)")
            }
        case .aesKW(let kek):
            guard kek.count == n else {
                throw ImageError(.badKey, "AES-KW needs a \(n * 8)-bit KEK for an AES-\(n * 8) image key")
            }
            do {
                return (
                    .encKW, Array(try AES.KeyWrap.wrap(SymmetricKey(data: imageKey), using: SymmetricKey(data: kek)))
                )
            } catch { throw ImageError(.badKey, "AES key wrap failed: \(error)") }
        }
    }

    /// Recovers the image key from a key-transport TLV payload, checking the HMAC tag before decrypting (N25).
    static func imageKey(from tlv: ArraySlice<UInt8>, at offset: Int, key: DecryptionKey, keyLength: Int)
        throws(ImageError) -> [UInt8]
    {
        let payload = Array(tlv)
        let expected = key.tlvLength(keyLength: keyLength)
        guard payload.count == expected else {
            throw ImageError(
                .encTLVLength,
                at: offset,
                "\(key.tlvType) is \(payload.count) bytes; an AES-\(keyLength * 8) build expects \(expected)"
            )
        }
        switch key {
        case .ecP256(let k):
            guard let eph = try? P256.KeyAgreement.PublicKey(x963Representation: payload[0..<65]),
                let shared = try? k.sharedSecretFromKeyAgreement(with: eph)
            else { throw ImageError(.encKey, at: offset, "the ephemeral P-256 key is not a valid point") }
            return try unwrapECIES(
                payload,
                ephLength: 65,
                shared: shared,
                keyLength: keyLength,
                sha512: false,
                at: offset
            )
        case .x25519(let k, let sha512):
            guard let eph = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: payload[0..<32]),
                let shared = try? k.sharedSecretFromKeyAgreement(with: eph)
            else { throw ImageError(.encKey, at: offset, "X25519 key agreement with the ephemeral key failed") }
            return try unwrapECIES(
                payload,
                ephLength: 32,
                shared: shared,
                keyLength: keyLength,
                sha512: sha512,
                at: offset
            )
        case .rsa(let k):
            guard let rsa = try? _RSA.Encryption.PrivateKey(derRepresentation: k.derRepresentation),
                let plain = try? rsa.decrypt(payload, padding: .PKCS1_OAEP_SHA256), plain.count == keyLength
            else {
                throw ImageError(.encKey, at: offset, "RSA-OAEP decryption of the image key failed")
            }
            return Array(plain)
        case .aesKW(let kek):
            guard let key = try? AES.KeyWrap.unwrap(payload, using: SymmetricKey(data: kek)),
                key.bitCount == keyLength * 8
            else { throw ImageError(.encKey, at: offset, "AES key unwrap failed (wrong KEK or corrupt TLV)") }
            return key.withUnsafeBytes { Array($0) }
        }
    }

    private static func unwrapECIES(
        _ payload: [UInt8],
        ephLength: Int,
        shared: SharedSecret,
        keyLength: Int,
        sha512: Bool,
        at offset: Int
    ) throws(ImageError) -> [UInt8] {
        let tagLength = sha512 ? 64 : 32
        let tag = payload[ephLength..<(ephLength + tagLength)]
        let cipherKey = Array(payload[(ephLength + tagLength)...])
        let (kek, macKey) = eciesKeys(shared: shared, keyLength: keyLength, sha512: sha512)
        let valid =
            sha512
            ? HMAC<SHA512>.isValidAuthenticationCode(tag, authenticating: cipherKey, using: SymmetricKey(data: macKey))
            : HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: cipherKey, using: SymmetricKey(data: macKey))
        guard valid else {
            throw ImageError(.encHMAC, at: offset, "the HMAC tag over the encrypted image key does not match")
        }
        return try aesCTR(cipherKey, key: kek)
    }
}
