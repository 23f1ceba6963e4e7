import Crypto
import CryptoExtras
import Foundation
import SwiftASN1

/// Key types imgtool knows (`keygen -t`).
public enum ImageKeyType: String, CaseIterable, Sendable {
    case rsa2048 = "rsa-2048"
    case rsa3072 = "rsa-3072"
    case ecdsaP256 = "ecdsa-p256"
    case ecdsaP384 = "ecdsa-p384"
    case ed25519
    case x25519

    /// The signature TLV this key type produces (nil for X25519, an encryption-only key).
    public var signatureTLV: TLVType? {
        switch self {
        case .rsa2048: .rsa2048PSS
        case .rsa3072: .rsa3072PSS
        case .ecdsaP256, .ecdsaP384: .ecdsaSig
        case .ed25519: .ed25519
        case .x25519: nil
        }
    }

    /// The hash imgtool pairs with the key by default (`--sha auto`).
    public var defaultHash: ImageHashAlgorithm { self == .ecdsaP384 ? .sha384 : .sha256 }

    /// imgtool's `ALLOWED_KEY_SHA` for signing keys.
    public var allowedHashes: [ImageHashAlgorithm] {
        switch self {
        case .ecdsaP384: [.sha384]
        case .ed25519: [.sha256, .sha512]
        default: [.sha256]
        }
    }
}

/// A private key of any type an image can be signed or decrypted with.
public enum ImagePrivateKey: Sendable {
    case rsa(_RSA.Signing.PrivateKey)
    case p256(P256.Signing.PrivateKey)
    case p384(P384.Signing.PrivateKey)
    case ed25519(Curve25519.Signing.PrivateKey)
    case x25519(Curve25519.KeyAgreement.PrivateKey)

    public static func generate(_ type: ImageKeyType) throws(ImageError) -> ImagePrivateKey {
        switch type {
        case .rsa2048, .rsa3072:
            do {
                return .rsa(try _RSA.Signing.PrivateKey(keySize: .init(bitCount: type == .rsa2048 ? 2048 : 3072)))
            } catch { throw ImageError(.badKey, "RSA key generation failed: \(error)") }
        case .ecdsaP256: return .p256(P256.Signing.PrivateKey())
        case .ecdsaP384: return .p384(P384.Signing.PrivateKey())
        case .ed25519: return .ed25519(Curve25519.Signing.PrivateKey())
        case .x25519: return .x25519(Curve25519.KeyAgreement.PrivateKey())
        }
    }

    public var type: ImageKeyType { publicKey.type }

    public var publicKey: ImagePublicKey {
        switch self {
        case .rsa(let k): .rsa(k.publicKey)
        case .p256(let k): .p256(k.publicKey)
        case .p384(let k): .p384(k.publicKey)
        case .ed25519(let k): .ed25519(k.publicKey)
        case .x25519(let k): .x25519(k.publicKey)
        }
    }

    /// PKCS#8 DER, as imgtool writes every private key.
    public var pkcs8DER: [UInt8] {
        switch self {
        case .rsa(let k): Array(k.pkcs8DERRepresentation)
        case .p256(let k): Array(k.derRepresentation)
        case .p384(let k): Array(k.derRepresentation)
        case .ed25519(let k): Array(k.derRepresentation)
        case .x25519(let k): Array(k.derRepresentation)
        }
    }

    /// PKCS#1 `RSAPrivateKey` DER, for RSA keys.
    public var pkcs1DER: [UInt8]? {
        if case .rsa(let k) = self { return Array(k.derRepresentation) }
        return nil
    }

    /// SEC1 `ECPrivateKey` DER with the curve and the public key (`openssl ec -outform DER`), for EC keys.
    public func sec1DER() throws(ImageError) -> [UInt8] {
        let (scalar, point, curve): ([UInt8], [UInt8], ASN1ObjectIdentifier)
        switch self {
        case .p256(let k):
            (scalar, point, curve) = (
                Array(k.rawRepresentation), Array(k.publicKey.x963Representation), ImageKeyFile.secp256r1
            )
        case .p384(let k):
            (scalar, point, curve) = (
                Array(k.rawRepresentation), Array(k.publicKey.x963Representation), ImageKeyFile.secp384r1
            )
        default: throw ImageError(.badKey, "SEC1 is an encoding of EC keys")
        }
        do {
            var s = DER.Serializer()
            try s.appendConstructedNode(identifier: .sequence) { c in
                try c.serialize(1)
                try c.serialize(ASN1OctetString(contentBytes: scalar[...]))
                try c.serialize(curve, explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific)
                try c.serialize(
                    ASN1BitString(bytes: point[...]),
                    explicitlyTaggedWithTagNumber: 1,
                    tagClass: .contextSpecific
                )
            }
            return s.serializedBytes
        } catch { throw ImageError(.badKey, "SEC1 encoding failed: \(error)") }
    }

    /// PKCS#8 PEM (`BEGIN PRIVATE KEY`).
    public var pkcs8PEM: String { PEMDocument(type: "PRIVATE KEY", derBytes: pkcs8DER).pemString + "\n" }
}

/// A public key, with the exact bytes the bootloader embeds and KEYHASH hashes (§8 of the notes).
public enum ImagePublicKey: Sendable {
    case rsa(_RSA.Signing.PublicKey)
    case p256(P256.Signing.PublicKey)
    case p384(P384.Signing.PublicKey)
    case ed25519(Curve25519.Signing.PublicKey)
    case x25519(Curve25519.KeyAgreement.PublicKey)

    public var type: ImageKeyType {
        switch self {
        case .rsa(let k): k.keySizeInBits == 3072 ? .rsa3072 : .rsa2048
        case .p256: .ecdsaP256
        case .p384: .ecdsaP384
        case .ed25519: .ed25519
        case .x25519: .x25519
        }
    }

    /// RSA: PKCS#1 `RSAPublicKey` DER; every other type: SubjectPublicKeyInfo DER.
    public var embeddedBytes: [UInt8] {
        switch self {
        case .rsa(let k): Array(k.pkcs1DERRepresentation)
        case .p256(let k): Array(k.derRepresentation)
        case .p384(let k): Array(k.derRepresentation)
        case .ed25519(let k): Array(k.derRepresentation)
        case .x25519(let k): Array(k.derRepresentation)
        }
    }

    /// SubjectPublicKeyInfo DER, for every type (what `getpub -e pem` prints).
    public var spkiDER: [UInt8] {
        switch self {
        case .rsa(let k): Array(k.derRepresentation)
        default: embeddedBytes
        }
    }

    public var spkiPEM: String { PEMDocument(type: "PUBLIC KEY", derBytes: spkiDER).pemString + "\n" }

    /// KEYHASH: the image hash over the embedded bytes.
    public func keyHash(_ hash: ImageHashAlgorithm) -> [UInt8] { hash.digest(embeddedBytes).bytes }

    /// A key from the bytes a bootloader embeds (PKCS#1 for RSA, SPKI otherwise).
    public init(embeddedBytes: [UInt8]) throws(ImageError) {
        if let spki = try? ImageKeyFile.decode(der: embeddedBytes), case .publicKey(let k) = spki {
            self = k
            return
        }
        guard let k = try? ImageKeyFile.rsaPublicKey(embeddedBytes, malformed: "the key") else {
            throw ImageError(.badKey, "not a key the bootloader embeds (PKCS#1 RSA or SPKI)")
        }
        self = .rsa(k)
    }
}

/// A key file's content: a private key, or only a public one.
public enum ImageKeyMaterial: Sendable {
    case privateKey(ImagePrivateKey)
    case publicKey(ImagePublicKey)

    public var publicKey: ImagePublicKey {
        switch self {
        case .privateKey(let k): k.publicKey
        case .publicKey(let k): k
        }
    }
}

/// Reads PEM or DER key files: PKCS#8 and SPKI for every type, plus PKCS#1 RSA and SEC1 EC private keys.
public enum ImageKeyFile {
    static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 1]
    static let ecPublicKey: ASN1ObjectIdentifier = [1, 2, 840, 10045, 2, 1]
    static let secp256r1: ASN1ObjectIdentifier = [1, 2, 840, 10045, 3, 1, 7]
    static let secp384r1: ASN1ObjectIdentifier = [1, 3, 132, 0, 34]
    static let ed25519: ASN1ObjectIdentifier = [1, 3, 101, 112]
    static let x25519: ASN1ObjectIdentifier = [1, 3, 101, 110]

    /// Reads a key file's bytes (PEM text or DER).
    public static func load(_ bytes: [UInt8]) throws(ImageError) -> ImageKeyMaterial {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("-----BEGIN ") else { return try decode(der: bytes) }
        let document: PEMDocument
        do { document = try PEMDocument(pemString: text) } catch {
            throw ImageError(.badKey, "not a PEM or DER key (the PEM block is malformed)")
        }
        switch document.discriminator {
        case "PRIVATE KEY", "PUBLIC KEY":
            return try decode(der: document.derBytes)
        case "RSA PRIVATE KEY":
            return .privateKey(.rsa(try rsaPrivateKey(document.derBytes, malformed: "the RSA PRIVATE KEY block")))
        case "RSA PUBLIC KEY":
            return .publicKey(.rsa(try rsaPublicKey(document.derBytes, malformed: "the RSA PUBLIC KEY block")))
        case "EC PRIVATE KEY":
            if let k = try? P256.Signing.PrivateKey(derRepresentation: document.derBytes) {
                return .privateKey(.p256(k))
            }
            if let k = try? P384.Signing.PrivateKey(derRepresentation: document.derBytes) {
                return .privateKey(.p384(k))
            }
            throw ImageError(.badKey, "EC keys on curves other than P-256 and P-384 are not supported")
        case "ENCRYPTED PRIVATE KEY":
            throw ImageError(.badKey, "password-protected keys are not supported; decrypt it first")
        default:
            throw ImageError(.badKey, "unknown PEM block \"\(document.discriminator)\"")
        }
    }

    /// A PKCS#8 PrivateKeyInfo or a SubjectPublicKeyInfo, told apart and typed by its algorithm identifier.
    static func decode(der: [UInt8]) throws(ImageError) -> ImageKeyMaterial {
        let (algorithm, parameter, isPrivate): (ASN1ObjectIdentifier, ASN1ObjectIdentifier?, Bool)
        do { (algorithm, parameter, isPrivate) = try identify(der) } catch {
            throw ImageError(.badKey, "not a PEM or DER key (PKCS#8, SubjectPublicKeyInfo, SEC1 or PKCS#1)")
        }
        do {
            switch (algorithm, isPrivate) {
            case (rsaEncryption, true):
                return .privateKey(.rsa(try rsaPrivateKey(der, malformed: "the RSA key")))
            case (rsaEncryption, false):
                return .publicKey(.rsa(try rsaPublicKey(der, malformed: "the RSA key")))
            case (ecPublicKey, let p) where parameter == secp256r1:
                return p
                    ? .privateKey(.p256(try .init(derRepresentation: der)))
                    : .publicKey(.p256(try .init(derRepresentation: der)))
            case (ecPublicKey, let p) where parameter == secp384r1:
                return p
                    ? .privateKey(.p384(try .init(derRepresentation: der)))
                    : .publicKey(.p384(try .init(derRepresentation: der)))
            case (ed25519, let p):
                return p
                    ? .privateKey(.ed25519(try .init(derRepresentation: der)))
                    : .publicKey(.ed25519(try .init(derRepresentation: der)))
            case (x25519, let p):
                return p
                    ? .privateKey(.x25519(try .init(derRepresentation: der)))
                    : .publicKey(.x25519(try .init(derRepresentation: der)))
            case (ecPublicKey, _):
                throw ImageError(.badKey, "EC keys on curves other than P-256 and P-384 are not supported")
            default:
                throw ImageError(.badKey, "\(unsupportedName(algorithm)) keys are not supported")
            }
        } catch let e as ImageError {
            throw e
        } catch {
            throw ImageError(.badKey, "the \(unsupportedName(algorithm)) key is malformed")
        }
    }

    /// An RSA private key (PKCS#8 or PKCS#1 DER) of a size MCUboot signs with: every RSA key b2c reads goes
    /// through here or ``rsaPublicKey(_:malformed:)``, so the size rule has one place.
    static func rsaPrivateKey(_ der: [UInt8], malformed what: String) throws(ImageError) -> _RSA.Signing.PrivateKey {
        let k: _RSA.Signing.PrivateKey
        do { k = try _RSA.Signing.PrivateKey(derRepresentation: der) } catch {
            throw rsaProblem(der, "\(what) is malformed")
        }
        try checkRSA(k.keySizeInBits)
        return k
    }

    /// An RSA public key (SubjectPublicKeyInfo or PKCS#1 DER) of a size MCUboot signs with.
    static func rsaPublicKey(_ der: [UInt8], malformed what: String) throws(ImageError) -> _RSA.Signing.PublicKey {
        let k: _RSA.Signing.PublicKey
        do { k = try _RSA.Signing.PublicKey(derRepresentation: der) } catch {
            throw rsaProblem(der, "\(what) is malformed")
        }
        try checkRSA(k.keySizeInBits)
        return k
    }

    private static func checkRSA(_ bits: Int) throws(ImageError) {
        guard bits == 2048 || bits == 3072 else {
            throw ImageError(.badKey, "RSA-\(bits) is not supported (use 2048 or 3072)")
        }
    }

    /// A name a user knows for a key algorithm b2c does not sign with.
    private static func unsupportedName(_ oid: ASN1ObjectIdentifier) -> String {
        switch oid {
        case [1, 3, 101, 113]: "Ed448"
        case [1, 3, 101, 111]: "X448"
        case [1, 2, 840, 10040, 4, 1]: "DSA"
        case [1, 2, 840, 113549, 1, 1, 10]: "RSA-PSS (id-RSASSA-PSS)"
        case ed25519: "Ed25519"
        case x25519: "X25519"
        case ecPublicKey: "EC"
        default: "algorithm \(oid)"
        }
    }

    /// Why an RSA key that swift-crypto refused is refused: its size when that is the reason (RSA-1024 is refused
    /// before it is read), else `malformed`.
    private static func rsaProblem(_ der: [UInt8], _ malformed: String) -> ImageError {
        if let bits = rsaModulusBits(der), bits != 2048 && bits != 3072 {
            return ImageError(.badKey, "RSA-\(bits) is not supported (use 2048 or 3072)")
        }
        return ImageError(.badKey, malformed)
    }

    /// The bit length of the first RSA modulus in `der` (PKCS#8, SubjectPublicKeyInfo or PKCS#1): the first INTEGER
    /// of at least 64 bytes, looking into OCTET STRING and BIT STRING wrappers.
    static func rsaModulusBits(_ der: ArraySlice<UInt8>, depth: Int = 0) -> Int? {
        guard depth < 4, let root = try? DER.parse(der) else { return nil }
        return modulusBits(root, depth: depth)
    }

    static func rsaModulusBits(_ der: [UInt8]) -> Int? { rsaModulusBits(der[...]) }

    private static func modulusBits(_ node: ASN1Node, depth: Int) -> Int? {
        switch node.content {
        case .constructed(let children):
            for child in children { if let bits = modulusBits(child, depth: depth) { return bits } }
            return nil
        case .primitive(let bytes):
            if node.identifier == .integer {
                let significant = bytes.drop { $0 == 0 }
                guard significant.count >= 64, let top = significant.first else { return nil }
                return (significant.count - 1) * 8 + (8 - top.leadingZeroBitCount)
            }
            if node.identifier == .octetString { return rsaModulusBits(bytes, depth: depth + 1) }
            if node.identifier == .bitString, bytes.first == 0 {
                return rsaModulusBits(bytes.dropFirst(), depth: depth + 1)
            }
            return nil
        }
    }

    /// (algorithm OID, curve OID if any, whether it is a private key).
    private static func identify(_ der: [UInt8]) throws -> (ASN1ObjectIdentifier, ASN1ObjectIdentifier?, Bool) {
        let root = try DER.parse(der)
        guard case .constructed(let children) = root.content else {
            throw ASN1Error.unexpectedFieldType(root.identifier)
        }
        var it = children.makeIterator()
        guard var first = it.next() else { throw ASN1Error.invalidASN1Object(reason: "empty SEQUENCE") }
        var isPrivate = false
        if first.identifier == .integer {  // PKCS#8: version INTEGER, then the AlgorithmIdentifier
            isPrivate = true
            guard let next = it.next() else { throw ASN1Error.invalidASN1Object(reason: "no AlgorithmIdentifier") }
            first = next
        }
        guard case .constructed(let alg) = first.content else { throw ASN1Error.unexpectedFieldType(first.identifier) }
        var ai = alg.makeIterator()
        guard let oidNode = ai.next() else { throw ASN1Error.invalidASN1Object(reason: "empty AlgorithmIdentifier") }
        let oid = try ASN1ObjectIdentifier(derEncoded: oidNode)
        let parameter = ai.next().flatMap { try? ASN1ObjectIdentifier(derEncoded: $0) }
        return (oid, parameter, isPrivate)
    }
}
